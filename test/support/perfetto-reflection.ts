/**
 * The reference Perfetto writer for tests: the same packets as src/outputs/perfetto/, built as
 * JS objects and encoded by protobufjs's reflection encoder from proto/. The encoding test
 * (test/perfetto-encoding.test.ts) checks that the writer's hand-encoded bytes decode to the same
 * messages as this one's, on every sample of every input.
 *
 * Perfetto protobuf trace (`Trace { repeated TracePacket packet = 1 }`) written packet by packet
 * with protobufjs from the proto2 subset in `proto/` (field numbers as in Perfetto's schema).
 *
 * Each track (thread or lane) writes on its own packet sequence, as a tracing SDK's thread
 * would: the first packet sets SEQ_INCREMENTAL_STATE_CLEARED and the sequence's defaults (the
 * track's uuid, and a sequence-scoped incremental clock anchored by a ClockSnapshot to BOOTTIME),
 * so each later TrackEvent carries only a small timestamp delta, its type and interned name and
 * category ids (packets using iids set SEQ_NEEDS_INCREMENTAL_STATE; a new name rides in the
 * packet that first uses it). An event earlier than the last one on its sequence (a synthesised
 * enclosing slice) names the BOOTTIME clock and an absolute time instead. Sequence 1 carries
 * stack samples and metadata with absolute times. Threads get one TrackDescriptor each (child
 * of their process's). Scheduler and interrupt events become
 * Perfetto's own ftrace packets (per-CPU FtraceEventBundles, sequence-less), so the UI shows CPU
 * tracks, thread states and wake-ups. Stack samples become PerfSamples (one per observation) plus
 * an instant carrying the whole call stack inline.
 */
import type protobuf from 'protobufjs';
import type { Args, TraceEvent, TraceInfo, TrackInfo } from '../../src/model/events.js';
import { MAX_SAMPLES_PER_STACK, MAX_SAMPLES_TOTAL } from '../../src/model/limits.js';
import { frameLabel, traceMetadata } from '../../src/outputs/common.js';
import { RawSyscalls } from '../../src/outputs/perfetto-syscalls.js';
import type { OutputOptions, OutputWriter } from '../../src/outputs/types.js';

import { perfettoSchema } from '../../src/outputs/perfetto/index.js';

const SEQ = 1;
/** Sequence of the first track; track id N writes on FIRST_TRACK_SEQ + N. */
const FIRST_TRACK_SEQ = 2;
/** The sequence-scoped incremental clock of each track sequence, and the trace clock. */
const CLOCK_INCREMENTAL = 64;
const CLOCK_BOOTTIME = 6;
const SEQ_CLEARED = 1;
const SEQ_NEEDS = 2;
const TYPE_SLICE_BEGIN = 1;
const TYPE_SLICE_END = 2;
const TYPE_INSTANT = 3;
const TYPE_COUNTER = 4;
/** Events per FtraceEventBundle before it is written. */
const BUNDLE_EVENTS = 512;

/** Interning tables and clock of one packet sequence. */
interface Sequence {
  id: number;
  names: Map<string, number>;
  cats: Map<string, number>;
  /** Last value of the incremental clock (absolute ns). */
  clock: number;
}

type Packet = Record<string, unknown>;

function listOf(p: Packet, field: string): Packet[] {
  return (p[field] ??= []) as Packet[];
}

function annotations(args: Args | undefined): Packet[] | undefined {
  if (!args) return undefined;
  const keys = Object.keys(args);
  if (keys.length === 0) return undefined;
  return keys.map((k) => {
    const v = args[k]!;
    if (typeof v === 'boolean') return { name: k, boolValue: v };
    if (typeof v === 'number') return Number.isSafeInteger(v) ? { name: k, intValue: v } : { name: k, doubleValue: v };
    return { name: k, stringValue: v };
  });
}

class PerfettoWriter implements OutputWriter {
  private readonly Trace: protobuf.Type;
  private packets: Packet[] = [];
  /** Encoded bytes that precede `packets` (repeated stack samples). */
  private raw: Uint8Array[] = [];
  /** PerfSamples the rest of the trace may still write. */
  private sampleBudget = MAX_SAMPLES_TOTAL;
  private started = false;
  /** Sequence 1: samples and metadata, absolute timestamps. */
  private readonly main: Sequence = { id: SEQ, names: new Map(), cats: new Map(), clock: 0 };
  private readonly seqs = new Map<number, Sequence>();
  private readonly uuids = new Map<string, number>();
  private readonly fnNames = new Map<string, number>();
  private readonly frames = new Map<number, number>();
  private readonly callstacks = new Map<string, number>();
  private readonly tracks: TrackInfo[] = [];
  private readonly processes = new Map<number, string>();
  private readonly counters = new Map<string, number>();
  private readonly bundles = new Map<number, Packet[]>();
  private readonly syscalls = new RawSyscalls();
  private systemInfoSent = false;
  private info: TraceInfo | undefined;
  /** Latest and earliest event times so far (NaN before the first). */
  private lastTs = NaN;
  private firstTs = NaN;
  /** Process facts that came before any time: written at the first one, so the trace does not begin at 0. */
  private earlyProcesses: Packet[] = [];

  constructor(private readonly opts: OutputOptions) {
    this.Trace = perfettoSchema().lookupType('perfetto.protos.Trace');
  }

  private start() {
    if (this.started) return;
    this.started = true;
    this.packets.push({ trustedPacketSequenceId: SEQ, sequenceFlags: SEQ_CLEARED });
  }

  private iid(map: Map<string, number>, s: string, interned: Packet, field: string): number {
    let id = map.get(s);
    if (id === undefined) {
      id = map.size + 1;
      map.set(s, id);
      listOf(interned, field).push({ iid: id, name: s });
    }
    return id;
  }

  /** Small, stable uuids in order of first use. */
  private uuid(key: string): number {
    let u = this.uuids.get(key);
    if (u === undefined) {
      u = this.uuids.size + 1;
      this.uuids.set(key, u);
    }
    return u;
  }

  private trackUuid(track: number): number {
    const t = this.tracks[track];
    return t?.kind === 'thread' ? this.uuid(`t:${t.tid}`) : this.uuid(`l:${track}`);
  }

  private describe(t: TrackInfo) {
    this.tracks[t.id] = t;
    if (t.kind === 'thread') {
      const proc = this.uuid(`p:${t.pid}`);
      if (this.processes.get(t.pid) !== t.processName) {
        this.processes.set(t.pid, t.processName);
        this.packets.push({ trackDescriptor: { uuid: proc, process: { pid: t.pid, processName: t.processName } } });
      }
      this.packets.push({
        trackDescriptor: { uuid: this.trackUuid(t.id), parentUuid: proc, thread: { pid: t.pid, tid: t.tid, threadName: t.name } },
      });
    } else {
      this.packets.push({ trackDescriptor: { uuid: this.trackUuid(t.id), name: t.name } });
    }
  }

  /** The sequence of a track, opened (CLEARED, defaults, clock snapshot) at its first event. */
  private sequence(track: number, ts: number): Sequence {
    let s = this.seqs.get(track);
    if (!s) {
      s = { id: FIRST_TRACK_SEQ + track, names: new Map(), cats: new Map(), clock: ts };
      this.seqs.set(track, s);
      this.packets.push({
        timestamp: ts,
        timestampClockId: CLOCK_BOOTTIME,
        clockSnapshot: {
          clocks: [
            { clockId: CLOCK_INCREMENTAL, timestamp: ts, isIncremental: true },
            { clockId: CLOCK_BOOTTIME, timestamp: ts },
          ],
        },
        trustedPacketSequenceId: s.id,
        sequenceFlags: SEQ_CLEARED,
        tracePacketDefaults: { timestampClockId: CLOCK_INCREMENTAL, trackEventDefaults: { trackUuid: this.trackUuid(track) } },
      });
    }
    return s;
  }

  /** A TrackEvent on its track's sequence: the timestamp is a delta when time moved forward. */
  private trackEvent(track: number, ts: number, ev: Packet, interned: Packet | undefined, needs: boolean) {
    const s = this.sequence(track, ts);
    const p: Packet = { trustedPacketSequenceId: s.id };
    if (ts >= s.clock) {
      p.timestamp = ts - s.clock;
      s.clock = ts;
    } else {
      p.timestamp = ts;
      p.timestampClockId = CLOCK_BOOTTIME;
    }
    if (needs) p.sequenceFlags = SEQ_NEEDS;
    if (interned && Object.keys(interned).length) p.internedData = interned;
    p.trackEvent = ev;
    this.packets.push(p);
  }

  /** A TrackEvent on sequence 1 (absolute time, explicit track). */
  private mainEvent(ts: number, ev: Packet, interned: Packet | undefined) {
    const p: Packet = { timestamp: ts, trustedPacketSequenceId: SEQ, sequenceFlags: SEQ_NEEDS };
    if (interned && Object.keys(interned).length) p.internedData = interned;
    p.trackEvent = ev;
    this.packets.push(p);
  }

  private named(kind: number, ts: number, track: number, name: string, cat: string, args: Args | undefined, extra?: Packet, flows?: Packet) {
    const onMain = extra !== undefined;
    const seq = onMain ? this.main : this.sequence(track, ts);
    const interned: Packet = {};
    const catIid = this.iid(seq.cats, cat, interned, 'eventCategories');
    const ev: Packet = { type: kind, nameIid: this.iid(seq.names, name, interned, 'eventNames'), categoryIids: [catIid] };
    if (onMain) ev.trackUuid = this.trackUuid(track);
    const da = annotations(args);
    if (da) ev.debugAnnotations = da;
    if (extra) Object.assign(ev, extra);
    if (flows) Object.assign(ev, flows);
    if (onMain) this.mainEvent(ts, ev, interned);
    else this.trackEvent(track, ts, ev, interned, true);
  }

  private ftrace(cpu: number, ev: Packet) {
    if (!this.systemInfoSent) {
      this.systemInfoSent = true;
      // prev_state is decoded by kernel release; our model uses the >= 4.14 layout.
      const uts: Packet = { sysname: 'Linux', release: this.info?.notes?.kernel_release ?? '6.1.0' };
      if (this.info?.notes?.machine) uts.machine = this.info.notes.machine;
      this.packets.push({ systemInfo: { utsname: uts } });
    }
    let b = this.bundles.get(cpu);
    if (!b) this.bundles.set(cpu, (b = []));
    b.push(ev);
    if (b.length >= BUNDLE_EVENTS) this.flushBundle(cpu);
  }

  private flushBundle(cpu: number) {
    const b = this.bundles.get(cpu);
    if (!b || b.length === 0) return;
    this.packets.push({ ftraceEvents: { cpu, event: b } });
    this.bundles.set(cpu, []);
  }

  private sample(e: Extract<TraceEvent, { kind: 'sample' }>) {
    if (e.frames.length === 0) return;
    const interned: Packet = {};
    const frameIds: number[] = [];
    for (const f of e.frames) {
      const label = frameLabel(f);
      let fnId = this.fnNames.get(label);
      if (fnId === undefined) {
        fnId = this.fnNames.size + 1;
        this.fnNames.set(label, fnId);
        listOf(interned, 'functionNames').push({ iid: fnId, str: Buffer.from(label, 'utf8') });
      }
      let frameId = this.frames.get(fnId);
      if (frameId === undefined) {
        frameId = this.frames.size + 1;
        this.frames.set(fnId, frameId);
        listOf(interned, 'frames').push({ iid: frameId, functionNameId: fnId });
      }
      frameIds.push(frameId);
    }
    const key = frameIds.join(',');
    let cs = this.callstacks.get(key);
    if (cs === undefined) {
      cs = this.callstacks.size + 1;
      this.callstacks.set(key, cs);
      listOf(interned, 'callstacks').push({ iid: cs, frameIds });
    }
    // The report on the timeline, with its stack inline.
    const args: Args = { ...(e.args ?? {}), count: e.weight };
    // Samples written: the count, within the limits (the count argument keeps the truth).
    const reps = Math.max(0, Math.min(e.weight, MAX_SAMPLES_PER_STACK, this.sampleBudget));
    this.sampleBudget -= reps;
    if (reps !== e.weight) args.samples_written = reps;
    if (e.reason) args.reason = e.reason;
    if (e.comm !== undefined) args.comm = e.comm;
    if (e.profile) args.period = e.profile.period;
    this.named(TYPE_INSTANT, e.ts, e.track, e.title ?? e.reason ?? 'stack', 'stack', args, {
      callstack: { frames: e.frames.map((f) => ({ functionName: frameLabel(f) })) },
    });
    // The stack as samples: one PerfSample per observation, so flame graph totals equal counts.
    const sample = { cpu: e.cpu ?? 0, pid: e.pid ?? 0, tid: e.tid ?? 0, callstackIid: cs, cpuMode: 1 };
    if (reps >= 1) {
      const p: Packet = { timestamp: e.ts, trustedPacketSequenceId: SEQ, sequenceFlags: SEQ_NEEDS };
      if (Object.keys(interned).length) p.internedData = interned;
      p.perfSample = sample;
      this.packets.push(p);
    } else if (Object.keys(interned).length) {
      // A stack seen zero times still defines its frames for later samples of the same stack.
      this.packets.push({ timestamp: e.ts, trustedPacketSequenceId: SEQ, sequenceFlags: SEQ_NEEDS, internedData: interned });
    }
    if (reps > 1) {
      // The other observations are the same packet: encode it once and repeat its bytes, so a
      // histogram count of a million costs megabytes of output, not a million packet objects.
      const one = this.Trace.encode({ packet: [{ timestamp: e.ts, trustedPacketSequenceId: SEQ, sequenceFlags: SEQ_NEEDS, perfSample: sample }] }).finish();
      const head = this.flush();
      if (head) this.raw.push(head);
      for (let left = reps - 1; left > 0; ) {
        const n = Math.min(left, 1 << 16);
        const chunk = new Uint8Array(one.length * n);
        for (let k = 0; k < n; k++) chunk.set(one, k * one.length);
        this.raw.push(chunk);
        left -= n;
      }
    }
  }

  push(events: TraceEvent[]): Uint8Array | null {
    this.start();
    for (const e of events) this.event(e);
    return this.flush();
  }

  private flush(): Uint8Array | null {
    if (this.raw.length) {
      // Repeated stack samples, already encoded, come before the packets queued after them.
      const parts = this.raw;
      this.raw = [];
      if (this.packets.length) parts.push(this.Trace.encode({ packet: this.packets }).finish());
      this.packets = [];
      return Buffer.concat(parts);
    }
    if (this.packets.length === 0) return null;
    const bytes = this.Trace.encode({ packet: this.packets }).finish();
    this.packets = [];
    return bytes;
  }

  private event(e: TraceEvent) {
    if ('ts' in e) {
      if (!(e.ts <= this.lastTs)) this.lastTs = e.ts;
      if (!(e.ts >= this.firstTs)) {
        this.firstTs = e.ts;
        if (this.earlyProcesses.length) {
          for (const p of this.earlyProcesses) this.packets.push({ timestamp: e.ts, ...p });
          this.earlyProcesses = [];
        }
      }
    }
    switch (e.kind) {
      case 'info':
        this.info = e;
        return;
      case 'track':
        this.describe(e.track);
        return;
      case 'begin': {
        const sys = this.syscalls.enter(e, this.tracks[e.track]);
        if (sys) return this.ftrace(sys.cpu, { timestamp: sys.ts, pid: sys.tid, sysEnter: { id: sys.nr, args: sys.args } });
        this.named(TYPE_SLICE_BEGIN, this.syscalls.time(e.track, e.ts), e.track, e.name, e.cat, e.args, undefined, flowsOf(e));
        return;
      }
      case 'end': {
        const sys = this.syscalls.exit(e, this.tracks[e.track]);
        if (sys) return this.ftrace(sys.cpu, { timestamp: sys.ts, pid: sys.tid, sysExit: sys.ret === undefined ? { id: sys.nr } : { id: sys.nr, ret: sys.ret } });
        const ev: Packet = { type: TYPE_SLICE_END };
        const da = annotations(e.args);
        if (da) ev.debugAnnotations = da;
        this.trackEvent(e.track, this.syscalls.time(e.track, e.ts), ev, undefined, false);
        return;
      }
      case 'instant':
        this.named(TYPE_INSTANT, e.ts, e.track, e.name, e.cat, e.args);
        return;
      case 'counter': {
        const key = `${e.track}:${e.name}`;
        let uuid = this.counters.get(key);
        if (uuid === undefined) {
          uuid = this.uuid(`c:${key}`);
          this.counters.set(key, uuid);
          this.packets.push({ trackDescriptor: { uuid, parentUuid: this.trackUuid(e.track), name: e.name, counter: {} } });
        }
        this.trackEvent(e.track, e.ts, { type: TYPE_COUNTER, trackUuid: uuid, doubleCounterValue: e.value }, undefined, false);
        return;
      }
      case 'sample':
        this.sample(e);
        return;
      case 'sched-switch':
        this.ftrace(e.cpu, {
          timestamp: e.ts,
          pid: e.prevTid,
          schedSwitch: {
            prevComm: e.prevComm,
            prevPid: e.prevTid,
            prevPrio: e.prevPrio,
            prevState: e.prevState,
            nextComm: e.nextComm,
            nextPid: e.nextTid,
            nextPrio: e.nextPrio,
          },
        });
        return;
      case 'sched-waking':
        this.ftrace(e.cpu, {
          timestamp: e.ts,
          pid: e.wakerTid ?? 0,
          schedWaking: { comm: e.comm, pid: e.tid, prio: e.prio, success: 1, targetCpu: e.targetCpu },
        });
        return;
      case 'irq':
        this.ftrace(
          e.cpu,
          e.phase === 'entry'
            ? { timestamp: e.ts, pid: e.tid, irqHandlerEntry: { irq: e.irq, name: e.name ?? '' } }
            : { timestamp: e.ts, pid: e.tid, irqHandlerExit: { irq: e.irq, ret: e.ret ?? 1 } },
        );
        return;
      case 'softirq':
        this.ftrace(
          e.cpu,
          e.phase === 'entry' ? { timestamp: e.ts, pid: e.tid, softirqEntry: { vec: e.vec } } : { timestamp: e.ts, pid: e.tid, softirqExit: { vec: e.vec } },
        );
        return;
      case 'process': {
        const p: Packet = {
          processTree: {
            processes: [{ pid: e.pid, ppid: e.ppid ?? 0, cmdline: [e.name] }],
            threads: (e.threads ?? []).map((t) => ({ tid: t.tid, tgid: e.pid, name: t.name })),
          },
        };
        if (Number.isNaN(this.lastTs)) this.earlyProcesses.push(p);
        else this.packets.push({ timestamp: this.lastTs, ...p });
        return;
      }
    }
  }

  end(): Uint8Array | null {
    this.start();
    for (const cpu of [...this.bundles.keys()].sort((a, b) => a - b)) this.flushBundle(cpu);
    const at = Number.isNaN(this.firstTs) ? 0 : this.firstTs;
    for (const p of this.earlyProcesses) this.packets.push({ timestamp: at, ...p });
    this.earlyProcesses = [];
    this.metadata(at);
    return this.flush();
  }

  /**
   * What produced the trace and from what, as an instant on a `tracebridge` track at the first
   * event's time (at 0 it would stretch the trace's bounds back to 0 and the UI would open on
   * empty time).
   */
  private metadata(at: number) {
    const { meta, diagnostics } = traceMetadata(this.info, this.opts);
    const args: Args = { ...meta };
    for (const [k, v] of Object.entries(diagnostics)) args[`diagnostics.${k}`] = v;
    const uuid = this.uuid('metadata');
    this.packets.push({ trackDescriptor: { uuid, name: 'tracebridge' } });
    const interned: Packet = {};
    const nameIid = this.iid(this.main.names, 'trace metadata', interned, 'eventNames');
    const catIid = this.iid(this.main.cats, 'metadata', interned, 'eventCategories');
    this.mainEvent(at, { type: TYPE_INSTANT, trackUuid: uuid, nameIid, categoryIids: [catIid], debugAnnotations: annotations(args) }, interned);
  }
}

/** A reflection-encoding writer with the options an output writer gets. */
export function createReflectionWriter(o: OutputOptions): OutputWriter {
  return new PerfettoWriter(o);
}

/** TrackEvent flow fields of a slice begin (flow_ids 47, terminating_flow_ids 48), if any. */
function flowsOf(e: Extract<TraceEvent, { kind: 'begin' }>): Packet | undefined {
  if (!e.flowIds?.length && !e.terminatingFlowIds?.length) return undefined;
  const f: Packet = {};
  if (e.flowIds?.length) f.flowIds = e.flowIds;
  if (e.terminatingFlowIds?.length) f.terminatingFlowIds = e.terminatingFlowIds;
  return f;
}

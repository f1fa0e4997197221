/**
 * Perfetto protobuf trace (`Trace { repeated TracePacket packet = 1 }`) written packet by packet
 * with protobufjs from the proto2 subset in `proto/` (field numbers as in Perfetto's schema).
 *
 * Sequence 1 carries TrackEvents and stack samples with interned names: its first packet sets
 * SEQ_INCREMENTAL_STATE_CLEARED, every later packet that uses an iid sets
 * SEQ_NEEDS_INCREMENTAL_STATE, and new names ride in the packet that first uses them. Threads
 * get one TrackDescriptor each (child of their process's). Scheduler and interrupt events become
 * Perfetto's own ftrace packets (per-CPU FtraceEventBundles, sequence-less), so the UI shows CPU
 * tracks, thread states and wake-ups. Stack samples become PerfSamples (one per observation) plus
 * an instant carrying the whole call stack inline.
 */
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import type { Args, TraceEvent, TraceInfo, TrackInfo } from '../model/events.js';
import { frameLabel } from './common.js';
import type { OutputAdapter, OutputOptions, OutputWriter } from './types.js';

const PROTO_PATH = fileURLToPath(new URL('../../proto/perfetto_trace_subset.proto', import.meta.url));

let root: protobuf.Root | undefined;
/** The loaded schema (loadSync + resolveAll, so `[packed = true]` is honoured). */
export function perfettoSchema(): protobuf.Root {
  if (!root) {
    root = protobuf.loadSync(PROTO_PATH);
    root.resolveAll();
  }
  return root;
}

const SEQ = 1;
const SEQ_CLEARED = 1;
const SEQ_NEEDS = 2;
const TYPE_SLICE_BEGIN = 1;
const TYPE_SLICE_END = 2;
const TYPE_INSTANT = 3;
const TYPE_COUNTER = 4;
/** Events per FtraceEventBundle before it is written. */
const BUNDLE_EVENTS = 512;

const UUID_PROCESS = 0x1_0000_0000;
const UUID_THREAD = 0x2_0000_0000;
const UUID_LANE = 0x3_0000_0000;
const UUID_COUNTER = 0x4_0000_0000;
const METADATA_UUID = 0x5_0000_0000;

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
  private started = false;
  private readonly names = new Map<string, number>();
  private readonly cats = new Map<string, number>();
  private readonly fnNames = new Map<string, number>();
  private readonly frames = new Map<number, number>();
  private readonly callstacks = new Map<string, number>();
  private readonly tracks: TrackInfo[] = [];
  private readonly processes = new Map<number, string>();
  private readonly counters = new Map<string, number>();
  private readonly bundles = new Map<number, Packet[]>();
  private systemInfoSent = false;
  private info: TraceInfo | undefined;
  private lastTs = 0;

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

  private trackUuid(track: number): number {
    const t = this.tracks[track];
    if (!t) return UUID_LANE + track;
    return t.kind === 'thread' ? UUID_THREAD + t.tid : UUID_LANE + t.id;
  }

  private describe(t: TrackInfo) {
    this.tracks[t.id] = t;
    if (t.kind === 'thread') {
      if (this.processes.get(t.pid) !== t.processName) {
        this.processes.set(t.pid, t.processName);
        this.packets.push({ trackDescriptor: { uuid: UUID_PROCESS + t.pid, process: { pid: t.pid, processName: t.processName } } });
      }
      this.packets.push({
        trackDescriptor: { uuid: UUID_THREAD + t.tid, parentUuid: UUID_PROCESS + t.pid, thread: { pid: t.pid, tid: t.tid, threadName: t.name } },
      });
    } else {
      this.packets.push({ trackDescriptor: { uuid: UUID_LANE + t.id, name: t.name } });
    }
  }

  private trackEvent(ts: number, ev: Packet, interned: Packet | undefined, needs: boolean) {
    const p: Packet = { timestamp: ts, trustedPacketSequenceId: SEQ };
    if (needs) p.sequenceFlags = SEQ_NEEDS;
    if (interned && Object.keys(interned).length) p.internedData = interned;
    p.trackEvent = ev;
    this.packets.push(p);
  }

  private named(kind: number, ts: number, track: number, name: string, cat: string, args: Args | undefined, extra?: Packet) {
    const interned: Packet = {};
    const nameIid = this.iid(this.names, name, interned, 'eventNames');
    const catIid = this.iid(this.cats, cat, interned, 'eventCategories');
    const ev: Packet = { type: kind, trackUuid: this.trackUuid(track), nameIid, categoryIids: [catIid] };
    const da = annotations(args);
    if (da) ev.debugAnnotations = da;
    if (extra) Object.assign(ev, extra);
    this.trackEvent(ts, ev, interned, true);
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
    if (e.reason) args.reason = e.reason;
    if (e.comm !== undefined) args.comm = e.comm;
    this.named(TYPE_INSTANT, e.ts, e.track, e.title ?? e.reason ?? 'stack', 'stack', args, {
      callstack: { frames: e.frames.map((f) => ({ functionName: frameLabel(f) })) },
    });
    // The stack as samples: one PerfSample per observation, so flame graph totals equal counts.
    const sample = { cpu: e.cpu ?? 0, pid: e.pid ?? 0, tid: e.tid ?? 0, callstackIid: cs, cpuMode: 1 };
    for (let k = 0; k < e.weight; k++) {
      const p: Packet = { timestamp: e.ts, trustedPacketSequenceId: SEQ, sequenceFlags: SEQ_NEEDS };
      if (k === 0 && Object.keys(interned).length) p.internedData = interned;
      p.perfSample = sample;
      this.packets.push(p);
    }
  }

  push(events: TraceEvent[]): Uint8Array | null {
    this.start();
    for (const e of events) this.event(e);
    return this.flush();
  }

  private flush(): Uint8Array | null {
    if (this.packets.length === 0) return null;
    const bytes = this.Trace.encode({ packet: this.packets }).finish();
    this.packets = [];
    return bytes;
  }

  private event(e: TraceEvent) {
    switch (e.kind) {
      case 'info':
        this.info = e;
        return;
      case 'track':
        this.describe(e.track);
        return;
      case 'begin':
        this.lastTs = e.ts;
        this.named(TYPE_SLICE_BEGIN, e.ts, e.track, e.name, e.cat, e.args);
        return;
      case 'end': {
        this.lastTs = e.ts;
        const ev: Packet = { type: TYPE_SLICE_END, trackUuid: this.trackUuid(e.track) };
        const da = annotations(e.args);
        if (da) ev.debugAnnotations = da;
        this.trackEvent(e.ts, ev, undefined, false);
        return;
      }
      case 'instant':
        this.named(TYPE_INSTANT, e.ts, e.track, e.name, e.cat, e.args);
        return;
      case 'counter': {
        const key = `${e.track}:${e.name}`;
        let uuid = this.counters.get(key);
        if (uuid === undefined) {
          uuid = UUID_COUNTER + this.counters.size;
          this.counters.set(key, uuid);
          this.packets.push({ trackDescriptor: { uuid, parentUuid: this.trackUuid(e.track), name: e.name, counter: {} } });
        }
        this.trackEvent(e.ts, { type: TYPE_COUNTER, trackUuid: uuid, doubleCounterValue: e.value }, undefined, false);
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
      case 'process':
        this.packets.push({
          timestamp: Math.max(0, this.lastTs),
          processTree: {
            processes: [{ pid: e.pid, ppid: e.ppid ?? 0, cmdline: [e.name] }],
            threads: (e.threads ?? []).map((t) => ({ tid: t.tid, tgid: e.pid, name: t.name })),
          },
        });
        return;
    }
  }

  end(): Uint8Array | null {
    this.start();
    for (const cpu of [...this.bundles.keys()].sort((a, b) => a - b)) this.flushBundle(cpu);
    this.metadata();
    return this.flush();
  }

  /** What produced the trace and from what, as an instant on a `tracebridge` track at time 0. */
  private metadata() {
    const args: Args = { producer: this.opts.producer ?? 'tracebridge' };
    if (this.opts.inputName !== undefined) args.input = this.opts.inputName;
    if (this.info) {
      args.format = this.info.format;
      if (this.info.variant) args.variant = this.info.variant;
      args.clock = this.info.clock;
      if (this.info.clockOriginNs) args.clock_origin_ns = this.info.clockOriginNs;
      for (const [k, v] of Object.entries(this.info.notes ?? {})) args[k] = v;
    }
    for (const [k, v] of Object.entries(this.opts.diagnostics?.() ?? {})) args[`diagnostics.${k}`] = v;
    this.packets.push({ trackDescriptor: { uuid: METADATA_UUID, name: 'tracebridge' } });
    const interned: Packet = {};
    const nameIid = this.iid(this.names, 'trace metadata', interned, 'eventNames');
    const catIid = this.iid(this.cats, 'metadata', interned, 'eventCategories');
    this.trackEvent(0, { type: TYPE_INSTANT, trackUuid: METADATA_UUID, nameIid, categoryIids: [catIid], debugAnnotations: annotations(args) }, interned, true);
  }
}

export const perfetto: OutputAdapter = {
  name: 'perfetto',
  description: 'Perfetto protobuf trace (ui.perfetto.dev, trace_processor)',
  extensions: ['.pftrace', '.perfetto-trace', '.perfetto', '.pb'],
  binary: true,
  createWriter: (o) => new PerfettoWriter(o),
};

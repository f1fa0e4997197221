/**
 * Perfetto protobuf trace (`Trace { repeated TracePacket packet = 1 }`), each packet encoded
 * field by field into the output buffer as its event arrives (proto-writer.ts); field numbers
 * come from the proto2 subset in `proto/` (fields.ts, checked against it by a test).
 *
 * Each track (thread or lane) writes on its own packet sequence, as a tracing SDK's thread
 * would (tracks.ts), so each later TrackEvent carries only a small timestamp delta, its type
 * and interned name and category ids (packets.ts, interning.ts). Sequence 1 carries stack
 * samples (callstacks.ts) and metadata with absolute times. Scheduler and interrupt events
 * become per-CPU FtraceEventBundles (ftrace.ts). What the writer keeps is bounded by tracks,
 * CPUs and distinct names and stacks, never by events.
 */
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import type { Args, ProcessInfo, TraceEvent, TraceInfo } from '../../model/events.js';
import { traceMetadata } from '../common.js';
import type { OutputAdapter, OutputOptions, OutputWriter } from '../types.js';
import { Callstacks } from './callstacks.js';
import { FIELDS, PK, SEQ, SEQ_CLEARED, TYPE_INSTANT, TYPE_SLICE_BEGIN } from './fields.js';
import { RawSyscalls } from '../perfetto-syscalls.js';
import { FtraceBundles } from './ftrace.js';
import { Uuids } from './interning.js';
import { TrackEvents } from './packets.js';
import { ProtoWriter } from './proto-writer.js';
import { Tracks } from './tracks.js';

const PROTO_PATH = fileURLToPath(new URL('../../../proto/perfetto_trace_subset.proto', import.meta.url));

let root: protobuf.Root | undefined;
/** The loaded schema (loadSync + resolveAll, so `[packed = true]` is honoured): for decoding and tests. */
export function perfettoSchema(): protobuf.Root {
  if (!root) {
    root = protobuf.loadSync(PROTO_PATH);
    root.resolveAll();
  }
  return root;
}

const PACKET = FIELDS.Trace.packet;
const TD = FIELDS.TrackDescriptor;
const PT = FIELDS.ProcessTree;
const PROC = FIELDS['ProcessTree.Process'];
const THR = FIELDS['ProcessTree.Thread'];

class PerfettoWriter implements OutputWriter {
  private readonly w = new ProtoWriter();
  private readonly uuids = new Uuids();
  private readonly tracks = new Tracks(this.w, this.uuids);
  private readonly events = new TrackEvents(this.w, this.tracks);
  private readonly stacks = new Callstacks(this.w, this.tracks, this.events);
  private readonly ftrace = new FtraceBundles(this.w, () => this.info);
  private readonly counters = new Map<string, number>();
  private readonly syscalls = new RawSyscalls();
  private started = false;
  private info: TraceInfo | undefined;
  /** Latest and earliest event times so far (NaN before the first). */
  private lastTs = NaN;
  private firstTs = NaN;
  /** Process facts that came before any time: written at the first one, so the trace does not begin at 0. */
  private earlyProcesses: ProcessInfo[] = [];

  constructor(private readonly opts: OutputOptions) {}

  private start() {
    if (this.started) return;
    this.started = true;
    const w = this.w;
    w.open(PACKET);
    w.u32(PK.trustedPacketSequenceId, SEQ);
    w.u32(PK.sequenceFlags, SEQ_CLEARED);
    w.close();
  }

  push(events: TraceEvent[]): Uint8Array | null {
    this.start();
    for (let i = 0; i < events.length; i++) this.event(events[i]!);
    return this.w.take();
  }

  private event(e: TraceEvent) {
    if ('ts' in e) {
      if (!(e.ts <= this.lastTs)) this.lastTs = e.ts;
      if (!(e.ts >= this.firstTs)) {
        this.firstTs = e.ts;
        if (this.earlyProcesses.length) {
          for (const p of this.earlyProcesses) this.processTree(p, e.ts);
          this.earlyProcesses = [];
        }
      }
    }
    switch (e.kind) {
      case 'info':
        this.info = e;
        return;
      case 'track':
        this.tracks.describe(e.track);
        return;
      case 'begin': {
        const sys = this.syscalls.enter(e, this.tracks.info(e.track));
        if (sys) return this.ftrace.sysEnter(sys);
        const flows = e.flowIds?.length ? e.flowIds : undefined;
        const terms = e.terminatingFlowIds?.length ? e.terminatingFlowIds : undefined;
        this.events.named(TYPE_SLICE_BEGIN, this.syscalls.time(e.track, e.ts), e.track, e.name, e.cat, e.args, flows, terms);
        return;
      }
      case 'end': {
        const sys = this.syscalls.exit(e, this.tracks.info(e.track));
        if (sys) return this.ftrace.sysExit(sys);
        this.events.end(this.syscalls.time(e.track, e.ts), e.track, e.args);
        return;
      }
      case 'instant':
        this.events.named(TYPE_INSTANT, e.ts, e.track, e.name, e.cat, e.args);
        return;
      case 'counter': {
        const key = `${e.track}:${e.name}`;
        let uuid = this.counters.get(key);
        if (uuid === undefined) {
          uuid = this.uuids.get(`c:${key}`);
          this.counters.set(key, uuid);
          const w = this.w;
          w.open(PACKET);
          w.open(PK.trackDescriptor);
          w.u64(TD.uuid, uuid);
          w.string(TD.name, e.name);
          w.u64(TD.parentUuid, this.tracks.uuid(e.track));
          w.open(TD.counter);
          w.close();
          w.close();
          w.close();
        }
        this.events.counter(e.ts, e.track, uuid, e.value);
        return;
      }
      case 'sample':
        this.stacks.sample(e);
        return;
      case 'sched-switch':
        this.ftrace.schedSwitch(e);
        return;
      case 'sched-waking':
        this.ftrace.schedWaking(e);
        return;
      case 'irq':
        this.ftrace.irq(e);
        return;
      case 'softirq':
        this.ftrace.softirq(e);
        return;
      case 'process':
        if (Number.isNaN(this.lastTs)) this.earlyProcesses.push(e);
        else this.processTree(e, this.lastTs);
        return;
    }
  }

  /** A ProcessTree packet: the process (its name as cmdline) and its named threads. */
  private processTree(e: ProcessInfo, ts: number) {
    const w = this.w;
    w.open(PACKET);
    w.open(PK.processTree);
    w.open(PT.processes);
    w.i32(PROC.pid, e.pid);
    w.i32(PROC.ppid, e.ppid ?? 0);
    w.string(PROC.cmdline, e.name);
    w.close();
    for (const t of e.threads ?? []) {
      w.open(PT.threads);
      w.i32(THR.tid, t.tid);
      w.string(THR.name, t.name);
      w.i32(THR.tgid, e.pid);
      w.close();
    }
    w.close();
    w.u64(PK.timestamp, ts);
    w.close();
  }

  written(chunk: Uint8Array): void {
    this.w.written(chunk);
  }

  end(): Uint8Array | null {
    this.start();
    this.ftrace.flushAll();
    const at = Number.isNaN(this.firstTs) ? 0 : this.firstTs;
    for (const p of this.earlyProcesses) this.processTree(p, at);
    this.earlyProcesses = [];
    this.metadata(at);
    return this.w.take();
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
    const uuid = this.uuids.get('metadata');
    const w = this.w;
    w.open(PACKET);
    w.open(PK.trackDescriptor);
    w.u64(TD.uuid, uuid);
    w.string(TD.name, 'tracebridge');
    w.close();
    w.close();
    this.events.mainInstant(TYPE_INSTANT, at, uuid, 'trace metadata', 'metadata', args);
  }
}

export const perfetto: OutputAdapter = {
  name: 'perfetto',
  description: 'Perfetto protobuf trace (ui.perfetto.dev, trace_processor)',
  extensions: ['.pftrace', '.perfetto-trace', '.perfetto', '.pb'],
  binary: true,
  createWriter: (o) => new PerfettoWriter(o),
};

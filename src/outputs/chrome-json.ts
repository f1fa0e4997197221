/**
 * Chrome Trace Event Format (the JSON object form), as read by Perfetto UI, chrome://tracing and
 * speedscope. One event per line so the file diffs and greps well.
 *
 * - Slices are `B`/`E` pairs written in the order the shared builder produced them: on every
 *   thread the times never go backwards, so a parent's `B` precedes its children's even at equal
 *   timestamps, and an `E` carries no name (it closes the innermost slice).
 * - `ts` is microseconds with up to three decimals: nanosecond precision, exactly.
 * - Per-CPU lanes (what ran, irqs, softirqs) are threads of a `CPUs` process; lanes that belong
 *   to no thread are threads of a `Global` process.
 */
import type { Args, TraceEvent, TraceInfo, TrackInfo } from '../model/events.js';
import { PSEUDO_TID_BASE } from '../model/slices.js';
import { nsToUsString } from '../model/time.js';
import { softirqName, traceMetadata } from './common.js';
import { FlameChart } from './flame-chart.js';
import type { OutputAdapter, OutputOptions, OutputWriter } from './types.js';

/** pid of the process that groups per-CPU lanes, and of the one for global lanes. */
export const CPU_LANES_PID = PSEUDO_TID_BASE - 1;
export const GLOBAL_LANES_PID = PSEUDO_TID_BASE - 2;
const LANE_TID_BASE = PSEUDO_TID_BASE + (2 << 16);

const q = JSON.stringify;

function argsJson(a: Args | undefined): string {
  if (!a) return '';
  const keys = Object.keys(a);
  if (keys.length === 0) return '';
  return `,"args":${q(a)}`;
}

class ChromeWriter implements OutputWriter {
  private first = true;
  private started = false;
  private info: TraceInfo | undefined;
  private readonly tracks: TrackInfo[] = [];
  /** pid/tid of each track id. */
  private readonly ids: { pid: number; tid: number }[] = [];
  private readonly namedPids = new Map<number, string>();
  private readonly lanes = new Map<string, number>();
  /** Per-CPU: the thread slice open on the CPU lane (sched), to end it at the next switch. */
  private readonly running = new Map<number, boolean>();
  private lastTs = 0;
  private parts: string[] = [];
  /** Profiler samples (perf) also draw a flame chart of slices per thread. */
  private readonly chart = new FlameChart({
    begin: (track, ts, name) => this.emit(`{"ph":"B",${this.pt(track)},"ts":${nsToUsString(ts)},"cat":"samples","name":${q(name)}}`),
    end: (track, ts) => this.emit(`{"ph":"E",${this.pt(track)},"ts":${nsToUsString(ts)}}`),
  });

  constructor(private readonly opts: OutputOptions) {}

  private emit(s: string) {
    if (!this.started) {
      this.parts.push('{"traceEvents":[\n');
      this.started = true;
    }
    this.parts.push(this.first ? s : `,\n${s}`);
    this.first = false;
  }

  private meta(kind: 'process_name' | 'thread_name', pid: number, tid: number, name: string) {
    this.emit(`{"ph":"M","name":"${kind}","pid":${pid},"tid":${tid},"args":{"name":${q(name)}}}`);
  }

  private processName(pid: number, name: string) {
    if (this.namedPids.get(pid) === name) return;
    this.namedPids.set(pid, name);
    this.meta('process_name', pid, pid, name);
  }

  private track(t: TrackInfo) {
    this.tracks[t.id] = t;
    let pid: number;
    let tid: number;
    if (t.kind === 'thread') {
      pid = t.pid;
      tid = t.tid;
      this.processName(pid, t.processName);
    } else {
      pid = t.kind === 'cpu' ? CPU_LANES_PID : GLOBAL_LANES_PID;
      tid = LANE_TID_BASE + t.id;
      this.processName(pid, t.kind === 'cpu' ? 'CPUs' : 'Global');
    }
    this.ids[t.id] = { pid, tid };
    this.meta('thread_name', pid, tid, t.name);
    if (t.kind === 'cpu') this.emit(`{"ph":"M","name":"thread_sort_index","pid":${pid},"tid":${tid},"args":{"sort_index":${t.cpu}}}`);
  }

  /** A per-CPU lane created by the writer for scheduler and interrupt events. */
  private lane(cpu: number, what: string): { pid: number; tid: number } {
    const key = `${cpu}:${what}`;
    let tid = this.lanes.get(key);
    if (tid === undefined) {
      tid = LANE_TID_BASE + 0x8000 + this.lanes.size;
      this.lanes.set(key, tid);
      this.processName(CPU_LANES_PID, 'CPUs');
      this.meta('thread_name', CPU_LANES_PID, tid, what === 'sched' ? `CPU ${cpu}` : `CPU ${cpu} ${what}`);
      this.emit(`{"ph":"M","name":"thread_sort_index","pid":${CPU_LANES_PID},"tid":${tid},"args":{"sort_index":${cpu * 4 + this.lanes.size % 4}}}`);
    }
    return { pid: CPU_LANES_PID, tid };
  }

  private pt(track: number): string {
    const id = this.ids[track]!;
    return `"pid":${id.pid},"tid":${id.tid}`;
  }

  push(events: TraceEvent[]): string | null {
    for (const e of events) this.event(e);
    const out = this.parts.join('');
    this.parts = [];
    return out || null;
  }

  private event(e: TraceEvent) {
    // The sched lanes close at the last time of the whole trace, not of its slices only.
    if ('ts' in e && e.ts > this.lastTs) this.lastTs = e.ts;
    switch (e.kind) {
      case 'info':
        this.info = e;
        return;
      case 'track':
        this.track(e.track);
        return;
      case 'begin':
        this.emit(`{"ph":"B",${this.pt(e.track)},"ts":${nsToUsString(e.ts)},"cat":${q(e.cat)},"name":${q(e.name)}${argsJson(e.args)}}`);
        // Flow events bind to the slice open on their thread at their time: the one just begun.
        for (const id of e.terminatingFlowIds ?? []) {
          this.emit(`{"ph":"f","bp":"e","id":${id},${this.pt(e.track)},"ts":${nsToUsString(e.ts)},"cat":"flow","name":"flow"}`);
        }
        for (const id of e.flowIds ?? []) {
          this.emit(`{"ph":"s","id":${id},${this.pt(e.track)},"ts":${nsToUsString(e.ts)},"cat":"flow","name":"flow"}`);
        }
        return;
      case 'end':
        this.emit(`{"ph":"E",${this.pt(e.track)},"ts":${nsToUsString(e.ts)}${argsJson(e.args)}}`);
        return;
      case 'instant':
        this.emit(`{"ph":"i","s":"t",${this.pt(e.track)},"ts":${nsToUsString(e.ts)},"cat":${q(e.cat)},"name":${q(e.name)}${argsJson(e.args)}}`);
        return;
      case 'counter':
        this.emit(`{"ph":"C",${this.pt(e.track)},"ts":${nsToUsString(e.ts)},"name":${q(e.name)},"args":{"value":${e.value}}}`);
        return;
      case 'sample': {
        const args: Record<string, unknown> = {};
        if (e.reason) args.reason = e.reason;
        if (e.title) args.title = e.title;
        args.count = e.weight;
        if (e.cpu !== undefined) args.cpu = e.cpu;
        if (e.comm !== undefined) args.comm = e.comm;
        // Leaf first, as the kernel prints a call trace.
        args.stack = e.frames
          .slice()
          .reverse()
          .map((f) => (f.unreliable ? `? ${f.name}` : f.name) + (f.offset ? `+${f.offset}` : '') + (f.module ? ` [${f.module}]` : ''));
        if (e.args) Object.assign(args, e.args);
        if (e.profile) {
          args.period = e.profile.period;
          this.chart.sample(e);
        }
        this.emit(`{"ph":"i","s":"t",${this.pt(e.track)},"ts":${nsToUsString(e.ts)},"cat":"stack","name":${q(e.title ?? e.reason ?? 'stack')},"args":${q(args)}}`);
        return;
      }
      case 'sched-switch': {
        const l = this.lane(e.cpu, 'sched');
        const pt = `"pid":${l.pid},"tid":${l.tid}`;
        if (this.running.get(e.cpu)) this.emit(`{"ph":"E",${pt},"ts":${nsToUsString(e.ts)}}`);
        this.running.set(e.cpu, true);
        this.emit(
          `{"ph":"B",${pt},"ts":${nsToUsString(e.ts)},"cat":"sched","name":${q(e.nextTid === 0 ? 'swapper' : e.nextComm)},"args":${q({
            tid: e.nextTid,
            prio: e.nextPrio,
            prev_comm: e.prevComm,
            prev_tid: e.prevTid,
            prev_state: e.prevState,
          })}}`,
        );
        return;
      }
      case 'sched-waking': {
        const l = this.lane(e.cpu, 'sched');
        this.emit(
          `{"ph":"i","s":"t","pid":${l.pid},"tid":${l.tid},"ts":${nsToUsString(e.ts)},"cat":"sched","name":${q(`wakes ${e.comm}`)},"args":${q({
            tid: e.tid,
            comm: e.comm,
            prio: e.prio,
            target_cpu: e.targetCpu,
            ...(e.wakerTid !== undefined ? { waker_tid: e.wakerTid } : {}),
          })}}`,
        );
        return;
      }
      case 'irq': {
        const l = this.lane(e.cpu, 'irq');
        const pt = `"pid":${l.pid},"tid":${l.tid}`;
        if (e.phase === 'entry')
          this.emit(`{"ph":"B",${pt},"ts":${nsToUsString(e.ts)},"cat":"irq","name":${q(`IRQ ${e.irq}${e.name ? ` (${e.name})` : ''}`)},"args":${q({ irq: e.irq, tid: e.tid })}}`);
        else this.emit(`{"ph":"E",${pt},"ts":${nsToUsString(e.ts)}${e.ret !== undefined ? `,"args":{"ret":${e.ret}}` : ''}}`);
        return;
      }
      case 'softirq': {
        const l = this.lane(e.cpu, 'softirq');
        const pt = `"pid":${l.pid},"tid":${l.tid}`;
        if (e.phase === 'entry')
          this.emit(`{"ph":"B",${pt},"ts":${nsToUsString(e.ts)},"cat":"softirq","name":${q(softirqName(e.vec))},"args":${q({ vec: e.vec, tid: e.tid })}}`);
        else this.emit(`{"ph":"E",${pt},"ts":${nsToUsString(e.ts)}}`);
        return;
      }
      case 'process':
        this.processName(e.pid, e.name);
        for (const t of e.threads ?? []) this.meta('thread_name', e.pid, t.tid, t.name);
        return;
    }
  }

  end(): string {
    // Viewers reject an empty traceEvents array: always hold at least the process metadata.
    if (this.first) this.meta('process_name', GLOBAL_LANES_PID, GLOBAL_LANES_PID, 'Global');
    this.chart.finish();
    for (const [cpu, open] of this.running) if (open) this.emit(`{"ph":"E",${`"pid":${CPU_LANES_PID},"tid":${this.lane(cpu, 'sched').tid}`},"ts":${nsToUsString(this.lastTs)}}`);
    const { meta, diagnostics } = traceMetadata(this.info, this.opts);
    const other: Record<string, unknown> = { ...meta };
    if (this.opts.diagnostics) other.diagnostics = diagnostics;
    this.parts.push(`\n],\n"displayTimeUnit":"ns",\n"otherData":${JSON.stringify(other)}}\n`);
    const out = this.parts.join('');
    this.parts = [];
    return out;
  }
}

export const chromeJson: OutputAdapter = {
  name: 'chrome-json',
  description: 'Chrome Trace Event Format JSON (Perfetto UI, chrome://tracing, speedscope)',
  extensions: ['.json'],
  binary: false,
  createWriter: (o) => new ChromeWriter(o),
};

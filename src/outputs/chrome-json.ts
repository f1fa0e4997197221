/**
 * Chrome Trace Event Format (the JSON object form), as read by Perfetto UI, chrome://tracing and
 * speedscope. One event per line so the file diffs and greps well.
 *
 * - Slices are `B`/`E` pairs written in the order the shared builder produced them: on every
 *   thread the times never go backwards, so a parent's `B` precedes its children's even at equal
 *   timestamps. An `E` repeats its `B`'s name and arguments: viewers match an `E` to the open
 *   slice by name (Perfetto) or by name and arguments (speedscope's frame key), so an `E` that
 *   differed would leave slices open and nest every later call inside them. What is learned only
 *   at the exit (a return value, `truncated`) is in both `B` and `E` of a leaf call (the `B` is
 *   held until its `E`); for calls with children it is in the Perfetto and CSV outputs only.
 * - Synthesised slices say so by their name (`[before trace start]`, `[truncated] func`), not by
 *   an argument, so the frame key stays the function's.
 * - `ts` is microseconds with up to three decimals: nanosecond precision, exactly.
 * - Per-CPU lanes (what ran, irqs, softirqs) are threads of a `CPUs` process; lanes that belong
 *   to no thread are threads of a `Global` process.
 */
import type { Args, SliceBegin, TraceEvent, TraceInfo, TrackInfo } from '../model/events.js';
import { PSEUDO_TID_BASE, isSynthesizedName } from '../model/slices.js';
import { nsToUsString } from '../model/time.js';
import { softirqName, traceMetadata } from './common.js';
import { FlameChart } from './flame-chart.js';
import { ThreadOrder } from './chrome-json-order.js';
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
  /** Per-CPU: the `B` open on the CPU lane (sched), to end it at the next switch. */
  private readonly running = new Map<number, string>();
  /** Per lane (`cpu:what`): the open `B`s of irq and softirq lanes, innermost last. */
  private readonly laneOpen = new Map<string, string[]>();
  private lastTs = 0;
  /**
   * The last `B`, held until the next event: when that is its own `E` (a leaf call), the `B`
   * gets the exit's arguments too, so both have one key and speedscope, which at equal times
   * takes a `B` first only when its key equals the `E`'s, opens a zero-length call before closing it.
   */
  private pending: SliceBegin | undefined;
  private parts: string[] = [];
  /** Profiler samples (perf) also draw a flame chart of slices per thread. */
  private readonly chart = new FlameChart({
    begin: (track, ts, name) => this.emit(`{"ph":"B",${this.pt(track)},"ts":${nsToUsString(ts)},"cat":"samples","name":${q(name)}}`),
    end: (track, ts) => this.emit(`{"ph":"E",${this.pt(track)},"ts":${nsToUsString(ts)}}`),
  });

  /** Thread events pass through here, so an enclosing slice is written before what it encloses. */
  private readonly order = new ThreadOrder((s) => this.emit(s));

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

  /** Writes the held `B` with the arguments it began with. */
  private flushPending() {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    this.writeBegin(p, p.args);
  }

  private writeBegin(e: SliceBegin, args: Args | undefined) {
    const outermost = e.depth === 0 ? { ts: e.ts, enclosing: isSynthesizedName(e.name) } : undefined;
    this.order.add(e.track, `{"ph":"B",${this.pt(e.track)},"ts":${nsToUsString(e.ts)},"cat":${q(e.cat)},"name":${q(e.name)}${argsJson(args)}}`, outermost);
    // Flow events bind to the slice open on their thread at their time: the one just begun.
    for (const id of e.terminatingFlowIds ?? []) {
      this.order.add(e.track, `{"ph":"f","bp":"e","id":${id},${this.pt(e.track)},"ts":${nsToUsString(e.ts)},"cat":"flow","name":"flow"}`);
    }
    for (const id of e.flowIds ?? []) {
      this.order.add(e.track, `{"ph":"s","id":${id},${this.pt(e.track)},"ts":${nsToUsString(e.ts)},"cat":"flow","name":"flow"}`);
    }
  }

  private event(e: TraceEvent) {
    if ('ts' in e && e.ts > this.lastTs) this.lastTs = e.ts;
    if (this.pending && e.kind !== 'end' && e.kind !== 'begin') this.flushPending();
    switch (e.kind) {
      case 'info':
        this.info = e;
        return;
      case 'track':
        this.track(e.track);
        return;
      case 'begin':
        this.flushPending();
        this.pending = e;
        return;
      case 'end': {
        const args = e.beginArgs ? (e.args ? { ...e.beginArgs, ...e.args } : e.beginArgs) : e.args;
        const p = this.pending;
        if (p && p.track === e.track && p.depth === e.depth) {
          // Its B is still here: both carry the arguments learned at the exit (one frame key).
          this.pending = undefined;
          this.writeBegin(p, args);
          this.order.add(e.track, `{"ph":"E",${this.pt(e.track)},"ts":${nsToUsString(e.ts)},"cat":${q(e.cat)},"name":${q(e.name)}${argsJson(args)}}`);
          return;
        }
        // Its B is written: the E repeats the B's key exactly (exit-only arguments stay in the
        // Perfetto and CSV outputs), else speedscope closes it before children at equal times.
        this.flushPending();
        this.order.add(e.track, `{"ph":"E",${this.pt(e.track)},"ts":${nsToUsString(e.ts)},"cat":${q(e.cat)},"name":${q(e.name)}${argsJson(e.beginArgs)}}`);
        return;
      }
      case 'instant':
        this.order.add(e.track, `{"ph":"i","s":"t",${this.pt(e.track)},"ts":${nsToUsString(e.ts)},"cat":${q(e.cat)},"name":${q(e.name)}${argsJson(e.args)}}`);
        return;
      case 'counter':
        this.order.add(e.track, `{"ph":"C",${this.pt(e.track)},"ts":${nsToUsString(e.ts)},"name":${q(e.name)},"args":{"value":${e.value}}}`);
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
        this.order.add(e.track, `{"ph":"i","s":"t",${this.pt(e.track)},"ts":${nsToUsString(e.ts)},"cat":"stack","name":${q(e.title ?? e.reason ?? 'stack')},"args":${q(args)}}`);
        return;
      }
      case 'sched-switch': {
        const l = this.lane(e.cpu, 'sched');
        const pt = `"pid":${l.pid},"tid":${l.tid}`;
        const open = this.running.get(e.cpu);
        if (open !== undefined) this.emit(`{"ph":"E",${pt},"ts":${nsToUsString(e.ts)},${open}}`);
        const key = `"cat":"sched","name":${q(e.nextTid === 0 ? 'swapper' : e.nextComm)},"args":${q({
          tid: e.nextTid,
          prio: e.nextPrio,
          prev_comm: e.prevComm,
          prev_tid: e.prevTid,
          prev_state: e.prevState,
        })}`;
        this.running.set(e.cpu, key);
        this.emit(`{"ph":"B",${pt},"ts":${nsToUsString(e.ts)},${key}}`);
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
        if (e.phase === 'entry') this.laneBegin(e.cpu, 'irq', pt, e.ts, `"cat":"irq","name":${q(`IRQ ${e.irq}${e.name ? ` (${e.name})` : ''}`)},"args":${q({ irq: e.irq, tid: e.tid })}`);
        else this.laneEnd(e.cpu, 'irq', pt, e.ts);
        return;
      }
      case 'softirq': {
        const l = this.lane(e.cpu, 'softirq');
        const pt = `"pid":${l.pid},"tid":${l.tid}`;
        if (e.phase === 'entry') this.laneBegin(e.cpu, 'softirq', pt, e.ts, `"cat":"softirq","name":${q(softirqName(e.vec))},"args":${q({ vec: e.vec, tid: e.tid })}`);
        else this.laneEnd(e.cpu, 'softirq', pt, e.ts);
        return;
      }
      case 'process':
        this.processName(e.pid, e.name);
        for (const t of e.threads ?? []) this.meta('thread_name', e.pid, t.tid, t.name);
        return;
    }
  }

  /** `key` is the `cat`, `name` and `args` members, repeated on the matching `E`. */
  private laneBegin(cpu: number, what: string, pt: string, ts: number, key: string) {
    const k = `${cpu}:${what}`;
    let st = this.laneOpen.get(k);
    if (!st) this.laneOpen.set(k, (st = []));
    st.push(key);
    this.emit(`{"ph":"B",${pt},"ts":${nsToUsString(ts)},${key}}`);
  }

  /** An exit with no entry open on its lane closes nothing: it stays visible as an instant. */
  private laneEnd(cpu: number, what: string, pt: string, ts: number) {
    const key = this.laneOpen.get(`${cpu}:${what}`)?.pop();
    if (key !== undefined) this.emit(`{"ph":"E",${pt},"ts":${nsToUsString(ts)},${key}}`);
    else this.emit(`{"ph":"i","s":"t",${pt},"ts":${nsToUsString(ts)},"cat":${q(what)},"name":${q(`${what} exit`)}}`);
  }

  end(): string {
    this.flushPending();
    // Viewers reject an empty traceEvents array: always hold at least the process metadata.
    if (this.first) this.meta('process_name', GLOBAL_LANES_PID, GLOBAL_LANES_PID, 'Global');
    this.chart.finish();
    this.order.finish();
    for (const [cpu, open] of this.running) this.emit(`{"ph":"E","pid":${CPU_LANES_PID},"tid":${this.lane(cpu, 'sched').tid},"ts":${nsToUsString(this.lastTs)},${open}}`);
    for (const [k, st] of this.laneOpen) {
      const [cpu, what] = k.split(':');
      const tid = this.lane(Number(cpu), what!).tid;
      while (st.length) this.emit(`{"ph":"E","pid":${CPU_LANES_PID},"tid":${tid},"ts":${nsToUsString(this.lastTs)},${st.pop()}}`);
    }
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
  description: 'Chrome Trace Event Format JSON (Perfetto UI; speedscope (function-graph, lttng-text); for stack inputs use folded)',
  extensions: ['.json'],
  binary: false,
  createWriter: (o) => new ChromeWriter(o),
};

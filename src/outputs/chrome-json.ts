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
 *
 * Events are written from templates straight into the output buffer (byte-out.ts, json-text.ts):
 * no string per event.
 */
import type { Args, Frame, SliceBegin, TraceEvent, TraceInfo, TrackInfo } from '../model/events.js';
import { isSynthesizedName } from '../model/slices.js';
import { ByteOut, CHUNK_BYTES } from './byte-out.js';
import { traceMetadata } from './common.js';
import { CPU_LANES_PID, CpuLanes, GLOBAL_LANES_PID, LANE_TID_BASE, type LaneHost } from './chrome-json-lanes.js';
import { FlameChart } from './flame-chart.js';
import { SEP, ThreadOrder } from './chrome-json-order.js';
import { jsonObject, jsonString, RawJson, templateNumber as tpl, usTime } from './json-text.js';
import type { OutputAdapter, OutputOptions, OutputWriter } from './types.js';

export { CPU_LANES_PID, GLOBAL_LANES_PID };


function hasKeys(a: Args | undefined): a is Args {
  if (!a) return false;
  for (const k in a) if (Object.prototype.hasOwnProperty.call(a, k)) return true;
  return false;
}

class ChromeWriter implements OutputWriter, LaneHost {
  private readonly out = new ByteOut();
  private first = true;
  private started = false;
  private info: TraceInfo | undefined;
  private readonly tracks: TrackInfo[] = [];
  /** pid/tid of each track id, and its `"pid":…,"tid":…` members. */
  private readonly ids: { pid: number; tid: number; pt: Buffer }[] = [];
  private readonly namedPids = new Map<number, string>();
  private lastTs = 0;
  /** Scheduler and interrupt events, on lanes of the CPUs process. */
  private readonly lanes = new CpuLanes(this);
  /**
   * The last `B`, held until the next event: when that is its own `E` (a leaf call), the `B`
   * gets the exit's arguments too, so both have one key and speedscope, which at equal times
   * takes a `B` first only when its key equals the `E`'s, opens a zero-length call before closing it.
   */
  private pending: SliceBegin | undefined;
  /** Profiler samples (perf) also draw a flame chart of slices per thread. */
  private readonly chart = new FlameChart({
    begin: (track, ts, name) => {
      const o = this.direct();
      o.ascii('{"ph":"B",');
      this.pt(o, track);
      o.ascii(',"ts":');
      usTime(o, ts);
      o.ascii(',"cat":"samples","name":');
      jsonString(o, name);
      o.ascii('}');
    },
    end: (track, ts) => {
      const o = this.direct();
      o.ascii('{"ph":"E",');
      this.pt(o, track);
      o.ascii(',"ts":');
      usTime(o, ts);
      o.ascii('}');
    },
  });

  /** Thread events pass through here, so an enclosing slice is written before what it encloses. */
  private readonly order = new ThreadOrder((b) => this.held(b));
  /** Whether the event being written goes to the thread's held events. */
  private inHeld = false;

  constructor(private readonly opts: OutputOptions) {}

  private head() {
    if (!this.started) {
      this.out.ascii('{"traceEvents":[\n');
      this.started = true;
    }
  }

  /** The output, positioned for a new event. */
  direct(): ByteOut {
    this.head();
    if (!this.first) this.out.ascii(',\n');
    this.first = false;
    return this.out;
  }

  /** Held events (each after its separator) reaching the output. */
  private held(b: Uint8Array) {
    this.head();
    this.out.bytes(this.first ? b.subarray(SEP) : b);
    this.first = false;
  }

  /** Where a thread event goes: the output, or the thread's held events; `done()` after it. */
  /**
   * A stack as the JSON array of its frames, leaf first as the kernel prints a call trace; made
   * once per frames array (inputs share one among the samples of a stack and never change it).
   */
  private readonly stacks = new WeakMap<readonly Frame[], RawJson>();

  private stackJson(frames: readonly Frame[]): RawJson {
    let j = this.stacks.get(frames);
    if (j === undefined) {
      const stack: string[] = new Array(frames.length);
      for (let i = 0, n = frames.length; i < n; i++) {
        const f = frames[n - 1 - i]!;
        stack[i] = (f.unreliable ? `? ${f.name}` : f.name) + (f.offset ? `+${f.offset}` : '') + (f.module ? ` [${f.module}]` : '');
      }
      this.stacks.set(frames, (j = new RawJson(JSON.stringify(stack))));
    }
    return j;
  }

  private thread(track: number, outermost?: { ts: number; enclosing: boolean }): ByteOut {
    const t = this.order.target(track, outermost);
    this.inHeld = t !== null;
    if (t === null) return this.direct();
    t.ascii(',\n');
    return t;
  }

  private done() {
    if (this.inHeld) this.order.added();
    this.inHeld = false;
  }

  meta(kind: 'process_name' | 'thread_name', pid: number, tid: number, name: string) {
    const o = this.direct();
    o.ascii(`{"ph":"M","name":"${kind}","pid":`);
    tpl(o, pid);
    o.ascii(',"tid":');
    tpl(o, tid);
    o.ascii(',"args":{"name":');
    jsonString(o, name);
    o.ascii('}}');
  }

  sortIndex(pid: number, tid: number, index: number) {
    const o = this.direct();
    o.ascii('{"ph":"M","name":"thread_sort_index","pid":');
    tpl(o, pid);
    o.ascii(',"tid":');
    tpl(o, tid);
    o.ascii(',"args":{"sort_index":');
    tpl(o, index);
    o.ascii('}}');
  }

  processName(pid: number, name: string) {
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
    this.ids[t.id] = { pid, tid, pt: Buffer.from(`"pid":${pid},"tid":${tid}`, 'utf8') };
    this.meta('thread_name', pid, tid, t.name);
    if (t.kind === 'cpu') this.sortIndex(pid, tid, t.cpu);
  }

  private pt(o: ByteOut, track: number) {
    o.bytes(this.ids[track]!.pt);
  }

  push(events: TraceEvent[]): Uint8Array | null {
    for (let i = 0; i < events.length; i++) this.event(events[i]!);
    return this.out.take();
  }

  /** Writes the held `B` with the arguments it began with. */
  private flushPending() {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    this.writeBegin(p, p.args);
  }

  /** `,"args":{…}` when there are arguments. */
  private args(o: ByteOut, a: Args | undefined) {
    if (!hasKeys(a)) return;
    o.ascii(',"args":');
    jsonObject(o, a);
  }

  /** `{"ph":"<ph>",<pt>,"ts":…,"cat":…,"name":…` of a thread event. */
  private open(o: ByteOut, ph: string, track: number, ts: number, cat: string, name: string) {
    o.ascii(ph);
    this.pt(o, track);
    o.ascii(',"ts":');
    usTime(o, ts);
    o.ascii(',"cat":');
    jsonString(o, cat);
    o.ascii(',"name":');
    jsonString(o, name);
  }

  private writeBegin(e: SliceBegin, args: Args | undefined) {
    const outermost = e.depth === 0 ? { ts: e.ts, enclosing: isSynthesizedName(e.name) } : undefined;
    let o = this.thread(e.track, outermost);
    this.open(o, '{"ph":"B",', e.track, e.ts, e.cat, e.name);
    this.args(o, args);
    o.ascii('}');
    this.done();
    // Flow events bind to the slice open on their thread at their time: the one just begun.
    for (const id of e.terminatingFlowIds ?? []) {
      o = this.thread(e.track);
      o.ascii('{"ph":"f","bp":"e","id":');
      tpl(o, id);
      o.ascii(',');
      this.flowTail(o, e);
    }
    for (const id of e.flowIds ?? []) {
      o = this.thread(e.track);
      o.ascii('{"ph":"s","id":');
      tpl(o, id);
      o.ascii(',');
      this.flowTail(o, e);
    }
  }

  private flowTail(o: ByteOut, e: SliceBegin) {
    this.pt(o, e.track);
    o.ascii(',"ts":');
    usTime(o, e.ts);
    o.ascii(',"cat":"flow","name":"flow"}');
    this.done();
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
        const p = this.pending;
        if (p && p.track === e.track && p.depth === e.depth) {
          // Its B is still here: both carry the arguments learned at the exit (one frame key).
          const args = e.beginArgs ? (e.args ? { ...e.beginArgs, ...e.args } : e.beginArgs) : e.args;
          this.pending = undefined;
          this.writeBegin(p, args);
          this.writeEnd(e.track, e.ts, e.cat, e.name, args);
          return;
        }
        // Its B is written: the E repeats the B's key exactly (exit-only arguments stay in the
        // Perfetto and CSV outputs), else speedscope closes it before children at equal times.
        this.flushPending();
        this.writeEnd(e.track, e.ts, e.cat, e.name, e.beginArgs);
        return;
      }
      case 'instant': {
        const o = this.thread(e.track);
        this.open(o, '{"ph":"i","s":"t",', e.track, e.ts, e.cat, e.name);
        this.args(o, e.args);
        o.ascii('}');
        this.done();
        return;
      }
      case 'counter': {
        const o = this.thread(e.track);
        o.ascii('{"ph":"C",');
        this.pt(o, e.track);
        o.ascii(',"ts":');
        usTime(o, e.ts);
        o.ascii(',"name":');
        jsonString(o, e.name);
        o.ascii(',"args":{"value":');
        tpl(o, e.value);
        o.ascii('}}');
        this.done();
        return;
      }
      case 'sample': {
        const args: Record<string, unknown> = {};
        if (e.reason) args.reason = e.reason;
        if (e.title) args.title = e.title;
        args.count = e.weight;
        if (e.cpu !== undefined) args.cpu = e.cpu;
        if (e.comm !== undefined) args.comm = e.comm;
        args.stack = this.stackJson(e.frames);
        if (e.args) Object.assign(args, e.args);
        if (e.profile) {
          args.period = e.profile.period;
          this.chart.sample(e);
        }
        const o = this.thread(e.track);
        this.open(o, '{"ph":"i","s":"t",', e.track, e.ts, 'stack', e.title ?? e.reason ?? 'stack');
        o.ascii(',"args":');
        jsonObject(o, args);
        o.ascii('}');
        this.done();
        return;
      }
      case 'sched-switch':
        this.lanes.schedSwitch(e);
        return;
      case 'sched-waking':
        this.lanes.schedWaking(e);
        return;
      case 'irq':
        this.lanes.irq(e);
        return;
      case 'softirq':
        this.lanes.softirq(e);
        return;
      case 'process':
        this.processName(e.pid, e.name);
        for (const t of e.threads ?? []) this.meta('thread_name', e.pid, t.tid, t.name);
        return;
    }
  }

  private writeEnd(track: number, ts: number, cat: string, name: string, args: Args | undefined) {
    const o = this.thread(track);
    this.open(o, '{"ph":"E",', track, ts, cat, name);
    this.args(o, args);
    o.ascii('}');
    this.done();
  }

  written(chunk: Uint8Array): void {
    this.out.written(chunk);
  }

  end(): Uint8Array | null {
    const parts = [...this.endChunks()];
    return parts.length === 0 ? null : parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  /**
   * The end in pieces of about half a chunk: what threads still hold (up to tens of MB) is
   * handed out as it is written, never gathered into one buffer.
   */
  *endChunks(): Generator<Uint8Array> {
    this.flushPending();
    // Viewers reject an empty traceEvents array: always hold at least the process metadata.
    if (this.first) this.meta('process_name', GLOBAL_LANES_PID, GLOBAL_LANES_PID, 'Global');
    this.chart.finish();
    for (const _ of this.order.finishing()) {
      if (this.out.pos - this.out.start < CHUNK_BYTES >> 1) continue;
      const b = this.out.take();
      if (b) yield b;
    }
    this.lanes.finish(this.lastTs);
    const { meta, diagnostics } = traceMetadata(this.info, this.opts);
    const other: Record<string, unknown> = { ...meta };
    if (this.opts.diagnostics) other.diagnostics = diagnostics;
    this.out.utf8(`\n],\n"displayTimeUnit":"ns",\n"otherData":${JSON.stringify(other)}}\n`);
    const b = this.out.take();
    if (b) yield b;
  }
}

export const chromeJson: OutputAdapter = {
  name: 'chrome-json',
  description: 'Chrome Trace Event Format JSON (Perfetto UI; speedscope (function-graph, lttng-text); for stack inputs use folded)',
  extensions: ['.json'],
  binary: false,
  createWriter: (o) => new ChromeWriter(o),
};

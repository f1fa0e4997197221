import type { DiagnosticCode, Report } from './diagnostics.js';
import type { Args, SliceBegin, TraceEvent, TrackInfo } from './events.js';
import { CAT } from './events.js';
import { MAX_DEPTH, MAX_TIME_NS } from './limits.js';
import { TraceSink } from './sink.js';

export { PSEUDO_TID_BASE, cpuPseudoTid, idleTid } from './sink.js';

/** Root slices remembered per track for placing a later synthesised enclosing slice. */
const ROOTS_KEPT = 1 << 14;

/** Whether a slice name is one `synthesizedName` gives. */
export function isSynthesizedName(name: string): boolean {
  return name.startsWith('[truncated] ') || name === '[before trace start]' || name === '[entry lost]';
}

/** Name of a synthesised enclosing slice (its entry is not in the input). */
export function synthesizedName(name: string | undefined, beganInWindow: boolean): string {
  if (name !== undefined) return `[truncated] ${name}`;
  return beganInWindow ? '[entry lost]' : '[before trace start]';
}

interface OpenSlice {
  name: string;
  cat: string;
  start: number;
  childNs: number;
  line: number;
  args: Args | undefined;
}

interface TrackState {
  info: TrackInfo;
  stack: OpenSlice[];
  /** Latest time used on this track: later events never go before it (keeps nesting). */
  lastTs: number;
  /** Earliest time used on this track (where synthesised enclosing slices must start before). */
  earliest: number;
  /**
   * The slices at depth 0 since the last synthesised enclosing slice that took them all in:
   * start and end times, in time order (a synthesised slice encloses those that end after it
   * began). At most ROOTS_KEPT are kept; older ones count as enclosed (`rootsDroppedNs`).
   */
  rootStart: number[];
  rootEnd: number[];
  rootsDroppedNs: number;
  /** Calls open beyond MAX_DEPTH: counted, not kept (their time stays in the slice at the bound). */
  over: number;
}

/** The diagnostic codes an adapter wants the builder to use for its repairs. */
export interface SliceCodes {
  unmatchedExit: DiagnosticCode;
  unclosedEntry: DiagnosticCode;
  nameMismatch?: DiagnosticCode;
  timeBackwards?: DiagnosticCode;
}

/**
 * Owns the slice invariants for all adapters: per-track stacks, begin/end matching, times that
 * never go backwards on a track (so nesting survives any viewer's sort), self time, and the
 * repairs real traces need (an exit without entry gets an enclosing slice that starts before
 * everything on its track; entries left open are closed at the end). Each repair is reported.
 */
export class SliceBuilder {
  /** Where the tracks are declared and the events appended (one of its own unless given). */
  readonly sink: TraceSink;
  /** CPU of the line being interpreted, when the input says; recorded on the slices it begins. */
  cpu: number | undefined;
  private readonly tracks: TrackState[] = [];
  /** Earliest time of the input (over all tracks): where the observed window begins. */
  private windowStart = Infinity;

  constructor(
    private readonly report: Report,
    private readonly codes: SliceCodes,
    sink?: TraceSink,
  ) {
    this.sink = sink ?? new TraceSink();
    const state = (info: TrackInfo) => {
      this.tracks[info.id] = { info, stack: [], lastTs: -Infinity, earliest: Infinity, rootStart: [], rootEnd: [], rootsDroppedNs: 0, over: 0 };
    };
    for (let id = 0; id < this.sink.trackCount; id++) state(this.sink.track(id));
    this.sink.onTrack(state);
  }

  /** The sink's events gathered since the last `take()`; the adapter hands this array out and replaces it. */
  get out(): TraceEvent[] {
    return this.sink.out;
  }

  set out(events: TraceEvent[]) {
    this.sink.out = events;
  }

  /** Returns the events gathered since the last call. */
  take(): TraceEvent[] {
    return this.sink.take();
  }

  /** A thread lane (pid = tid unless the process is known). */
  thread(tid: number, name: string, pid = tid, processName = name, cpu?: number): number {
    return this.sink.thread(tid, name, pid, processName, cpu);
  }

  /** The lane of a CPU whose task is not known. */
  cpuThread(cpu: number): number {
    return this.sink.cpuThread(cpu);
  }

  /** The idle task of a CPU. */
  idleThread(cpu: number): number {
    return this.sink.idleThread(cpu);
  }

  /** A per-CPU lane such as `CPU 1 irq`. */
  cpuLane(cpu: number, name: string): number {
    return this.sink.cpuLane(cpu, name);
  }

  global(name: string): number {
    return this.sink.global(name);
  }

  /** Depth of the open stack on a track. */
  depth(track: number): number {
    return this.tracks[track]!.stack.length;
  }

  /** Start time of the innermost open slice, or undefined. */
  openStart(track: number): number | undefined {
    const st = this.tracks[track]!.stack;
    return st.length ? st[st.length - 1]!.start : undefined;
  }

  /** The input has data at `ts` even if no slice or instant is there (the observed window begins by then). */
  observe(ts: number): void {
    if (ts < this.windowStart) this.windowStart = ts;
  }

  /** Name and start of the open slice `k` levels below the innermost (0 = innermost), or undefined. */
  openAt(track: number, k: number): { name: string; start: number } | undefined {
    const st = this.tracks[track]!.stack;
    return st[st.length - 1 - k];
  }

  lastTime(track: number): number | undefined {
    const t = this.tracks[track]!.lastTs;
    return t === -Infinity ? undefined : t;
  }

  private clamp(t: TrackState, ts: number, line: number): number {
    if (!(ts >= 0 && ts <= MAX_TIME_NS)) {
      this.report('limit.number-range', line, `time ${ts} ns is outside 0..2^53-1 ns: the last time of the track was used`);
      ts = t.lastTs === -Infinity ? 0 : t.lastTs;
    } else if (ts !== Math.floor(ts)) ts = Math.floor(ts);
    if (ts < t.lastTs) {
      if (this.codes.timeBackwards && t.lastTs - ts > 1000) this.report(this.codes.timeBackwards, line);
      ts = t.lastTs;
    }
    t.lastTs = ts;
    if (ts < t.earliest) t.earliest = ts;
    if (ts < this.windowStart) this.windowStart = ts;
    return ts;
  }

  begin(track: number, ts: number, name: string, cat: string, line: number, args?: Args): void {
    const t = this.tracks[track]!;
    if (t.stack.length >= MAX_DEPTH) {
      if (t.over === 0) this.report('limit.depth', line, `${name}: more than ${MAX_DEPTH} calls open on one thread; deeper calls are counted in the call at depth ${MAX_DEPTH}`);
      t.over++;
      return;
    }
    ts = this.clamp(t, ts, line);
    const depth = t.stack.length;
    t.stack.push({ name, cat, start: ts, childNs: 0, line, args });
    const ev: SliceBegin = args ? { kind: 'begin', ts, track, name, cat, depth, args } : { kind: 'begin', ts, track, name, cat, depth };
    if (this.cpu !== undefined && this.cpu >= 0) ev.cpu = this.cpu;
    this.out.push(ev);
  }

  /**
   * Closes the innermost open slice. `name` (when the input names what it closes) is checked;
   * `dur` (when the input prints the call's duration) places the enclosing slice synthesised for
   * an exit without entry, and `cat` is that slice's category (a syscall, an irq, ...).
   */
  end(track: number, ts: number, line: number, name?: string, dur?: number, args?: Args, cat: string = CAT.function): void {
    const t = this.tracks[track]!;
    if (t.over > 0) {
      t.over--;
      return;
    }
    if (t.stack.length === 0) {
      this.synthesize(t, ts, line, name, dur, cat, args);
      return;
    }
    const top = t.stack[t.stack.length - 1]!;
    if (name !== undefined && this.codes.nameMismatch && name !== top.name) {
      this.report(this.codes.nameMismatch, line, `closing comment names ${name} but the open call is ${top.name}`);
    }
    this.close(t, ts, line, args);
  }

  private close(t: TrackState, ts: number, line: number, args?: Args): void {
    const top = t.stack.pop()!;
    ts = this.clamp(t, Math.max(ts, top.start), line);
    const dur = ts - top.start;
    const depth = t.stack.length;
    if (depth > 0) t.stack[depth - 1]!.childNs += dur;
    else this.addRoot(t, top.start, ts);
    const ev: TraceEvent = {
      kind: 'end',
      ts,
      track: t.info.id,
      name: top.name,
      cat: top.cat,
      start: top.start,
      depth,
      selfNs: Math.max(0, dur - top.childNs),
    };
    if (args) ev.args = args;
    if (top.args) ev.beginArgs = top.args;
    this.out.push(ev);
  }

  private addRoot(t: TrackState, start: number, end: number) {
    t.rootStart.push(start);
    t.rootEnd.push(end);
    if (t.rootStart.length > ROOTS_KEPT) {
      const n = ROOTS_KEPT >> 1;
      for (let k = 0; k < n; k++) t.rootsDroppedNs += t.rootEnd[k]! - t.rootStart[k]!;
      t.rootStart.splice(0, n);
      t.rootEnd.splice(0, n);
    }
  }

  /**
   * An exit without its entry: a slice at depth 0 that ends here and encloses the root slices
   * that end after it began. With a printed duration it begins where that says, but never
   * before the input's first time: only the observed part counts, so its self time is the
   * observed time not covered by the calls it encloses. Without one it begins at the start of
   * the input (just before everything already on its track).
   */
  private synthesize(t: TrackState, ts: number, line: number, name: string | undefined, dur: number | undefined, cat: string, args?: Args) {
    if (!(ts >= 0 && ts <= MAX_TIME_NS)) {
      this.report('limit.number-range', line, `time ${ts} ns is outside 0..2^53-1 ns: the last time of the track was used`);
      ts = t.lastTs === -Infinity ? 0 : t.lastTs;
    }
    if (dur !== undefined && !(dur >= 0 && dur <= MAX_TIME_NS)) dur = undefined;
    const endTs = Math.max(ts, t.lastTs === -Infinity ? ts : t.lastTs);
    if (endTs < this.windowStart) this.windowStart = endTs;
    const w = this.windowStart;
    const printed = dur !== undefined ? endTs - dur : -Infinity;
    const inWindow = printed >= w;
    let start = inWindow ? printed : w;
    // Enclosed roots: those that end after the slice began, or begin at or after it (a call of
    // no length at its very start is inside it too, as the folded paths count it; roots are in
    // time order).
    let first = t.rootEnd.length;
    while (first > 0 && (t.rootEnd[first - 1]! > start || t.rootStart[first - 1]! >= start)) first--;
    // It must begin strictly before what it encloses, so that sorting by time keeps the nesting.
    const dropped = first === 0 && t.rootsDroppedNs > 0;
    const floor = dropped ? t.earliest : first < t.rootStart.length ? t.rootStart[first]! : Infinity;
    if (start >= floor) start = floor - 1;
    if (start > endTs) start = endTs;
    if (start < 0) start = 0;
    // What the enclosed roots cover inside the observed window.
    let childNs = dropped ? t.rootsDroppedNs : 0;
    for (let k = first; k < t.rootStart.length; k++) childNs += Math.max(0, t.rootEnd[k]! - Math.max(t.rootStart[k]!, w));
    const label = synthesizedName(name, inWindow);
    this.report(this.codes.unmatchedExit, line, `exit of ${name ?? 'a call'} without its entry: enclosing slice ${label} synthesised`);
    const begin: SliceBegin = { kind: 'begin', ts: start, track: t.info.id, name: label, cat, depth: 0 };
    if (this.cpu !== undefined && this.cpu >= 0) begin.cpu = this.cpu;
    this.out.push(begin);
    const observed = endTs - Math.max(start, w);
    const ev: TraceEvent = { kind: 'end', ts: endTs, track: t.info.id, name: label, cat, start, depth: 0, selfNs: Math.max(0, observed - childNs) };
    if (args) ev.args = args;
    this.out.push(ev);
    if (first === 0) t.rootsDroppedNs = 0;
    t.rootStart.length = first;
    t.rootEnd.length = first;
    t.rootStart.push(start);
    t.rootEnd.push(endTs);
    t.lastTs = endTs;
    if (start < t.earliest) t.earliest = start;
  }

  /** A call whose duration is known at once (a leaf line). */
  complete(track: number, ts: number, dur: number, name: string, cat: string, line: number, args?: Args, endArgs?: Args): void {
    if (this.tracks[track]!.stack.length >= MAX_DEPTH) return this.begin(track, ts, name, cat, line, args), this.end(track, ts, line);
    if (!(dur >= 0 && dur <= MAX_TIME_NS)) {
      this.report('limit.number-range', line, `duration ${dur} ns is outside 0..2^53-1 ns: taken as 0`);
      dur = 0;
    }
    this.begin(track, ts, name, cat, line, args);
    const start = this.tracks[track]!.stack[this.tracks[track]!.stack.length - 1]!.start;
    this.close(this.tracks[track]!, Math.min(start + dur, MAX_TIME_NS), line, endArgs);
  }

  instant(track: number, ts: number, name: string, cat: string, line: number, args?: Args): void {
    const t = this.tracks[track]!;
    ts = this.clamp(t, ts, line);
    this.out.push(args ? { kind: 'instant', ts, track, name, cat, args } : { kind: 'instant', ts, track, name, cat });
  }

  /** Closes every open slice of one track at its last time (the trace ended or was cut). */
  closeTrack(track: number, ts?: number): void {
    const t = this.tracks[track]!;
    t.over = 0;
    while (t.stack.length) {
      const top = t.stack[t.stack.length - 1]!;
      this.report(this.codes.unclosedEntry, top.line, `${top.name} has no exit: closed at the last time of its thread`);
      this.close(t, ts ?? t.lastTs, top.line, { truncated: true });
    }
  }

  /** Closes every open slice on every track. */
  closeAll(): void {
    for (const t of this.tracks) this.closeTrack(t.info.id);
  }
}

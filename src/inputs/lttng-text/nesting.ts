/**
 * Slices that nest per track (syscalls, functions, timers, vectors, block requests): what is
 * open on each track, so an exit ends the entry it belongs to.
 */
import type { Report } from '../../model/diagnostics.js';
import type { Args } from '../../model/events.js';
import type { SliceBuilder } from '../../model/slices.js';

export interface OpenSlice {
  key: string;
  cat: string;
  name: string;
}

export class Nesting {
  private readonly stacks = new Map<number, OpenSlice[]>();

  constructor(
    private readonly b: SliceBuilder,
    private readonly report: Report,
    /** The first time of the trace (a call running since before it began there). */
    private readonly firstTs: () => number,
  ) {}

  open(track: number, ts: number, name: string, key: string, cat: string, line: number, args?: Args) {
    let st = this.stacks.get(track);
    if (!st) this.stacks.set(track, (st = []));
    st.push({ key, cat, name });
    this.b.begin(track, ts, name, cat, line, args);
  }

  /**
   * Ends the innermost open slice of `cat` with `key` (any key when undefined). Slices opened
   * after it lost their exits: they are closed too. Nothing open at all: the trace began inside
   * the call, the builder synthesises an enclosing slice.
   */
  close(track: number, ts: number, key: string | undefined, cat: string, name: string, line: number, args?: Args) {
    const st = this.stacks.get(track);
    if (!st || st.length === 0) {
      // It was running since before the first event of the trace.
      this.b.end(track, ts, line, name, ts - this.firstTs(), args, cat);
      return;
    }
    let k = st.length - 1;
    while (k >= 0 && !(st[k]!.cat === cat && (key === undefined || st[k]!.key === key))) k--;
    if (k < 0) {
      this.report('lttng-text.unmatched-exit', line, `exit of ${name} without its entry while other calls are open: kept as an instant`);
      this.b.instant(track, ts, `${name} (exit)`, cat, line, args);
      return;
    }
    while (st.length - 1 > k) {
      const lost = st.pop()!;
      this.report('lttng-text.lost-exit', line, `${lost.name} has no exit before the exit of ${name}: closed there`);
      this.b.end(track, ts, line, undefined, undefined, { truncated: true });
    }
    st.pop();
    this.b.end(track, ts, line, undefined, undefined, args);
  }

  top(track: number): OpenSlice | undefined {
    const st = this.stacks.get(track);
    return st && st.length ? st[st.length - 1] : undefined;
  }
}

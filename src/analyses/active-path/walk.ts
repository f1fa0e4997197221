/**
 * The bounded walk. A wait [a, b] of a thread woken at b by task W is explained by W's own path
 * inside [a, b]: W's running and preempted time stays W's, W's own waits inside the window are
 * explained in turn by their wakers, never before a. Frames live on an explicit stack (no
 * recursion over the input). A frame's window lies inside its parent's; when it is the same
 * window (a waker woken at the very instant it woke), the thread must not already be in the run
 * of ancestors with that window, and the traced thread never explains its own wait: so the walk
 * ends whatever the input, even with wake-up cycles.
 */
import type { Interval, Segment, ThreadHistory } from './types.js';

interface Frame {
  tid: number;
  lo: number;
  hi: number;
  depth: number;
  parent?: Frame;
}

/** Index of the first interval ending after `t`. */
function firstAfter(ivs: readonly Interval[], t: number): number {
  let lo = 0;
  let hi = ivs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ivs[mid]!.end <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function walkPath(threads: ReadonlyMap<number, ThreadHistory>, tid: number, from: number, to: number): Segment[] {
  const out: Segment[] = [];
  if (to <= from) return out;
  const comm = (t: number) => threads.get(t)?.comm ?? `tid ${t}`;
  const emit = (t: number, start: number, end: number, state: Segment['state'], reason: string, depth: number) => {
    if (end > start) out.push({ start, end, tid: t, comm: comm(t), state, reason, depth });
  };
  const stack: Frame[] = [{ tid, lo: from, hi: to, depth: 0 }];
  /** Why a waker cannot explain [lo, hi] below frame f, or undefined when it was pushed. */
  const push = (f: Frame, t: number, lo: number, hi: number): string | undefined => {
    if (t <= 0 || !threads.has(t)) return 'not in the trace';
    if (t === tid) return 'a wake-up cycle';
    for (let a: Frame | undefined = f; a && a.parent && a.lo === lo && a.hi === hi; a = a.parent) {
      if (a.tid === t) return 'a wake-up cycle';
    }
    stack.push({ tid: t, lo, hi, depth: f.depth + 1, parent: f });
    return undefined;
  };

  while (stack.length) {
    const f = stack.pop()!;
    const h = threads.get(f.tid)!;
    const ivs = h.intervals;
    const first = ivs.length ? ivs[0]!.start : f.hi;
    if (f.lo < Math.min(first, f.hi)) {
      const end = Math.min(first, f.hi);
      // Created inside the window: its creator's path explains the time before.
      if (h.creator === undefined || push(f, h.creator, f.lo, end) !== undefined) emit(f.tid, f.lo, end, 'UNKNOWN', 'before the trace shows this thread', f.depth);
    }
    for (let i = firstAfter(ivs, f.lo); i < ivs.length && ivs[i]!.start < f.hi; i++) {
      const iv = ivs[i]!;
      const a = Math.max(iv.start, f.lo);
      const b = Math.min(iv.end, f.hi);
      if (b <= a) continue;
      if (iv.state !== 'BLOCKED') {
        emit(f.tid, a, b, iv.state, '', f.depth);
        continue;
      }
      const w = iv.wake;
      if (!w) {
        const reason = iv.end === ivs[ivs.length - 1]!.end && !h.exited ? 'still waiting when the trace ends' : 'no wake-up seen';
        emit(f.tid, a, b, 'BLOCKED', reason, f.depth);
      } else if (w.kind === 'context') emit(f.tid, a, b, w.state, w.reason, f.depth);
      else if (w.kind === 'idle') emit(f.tid, a, b, 'UNKNOWN', `woken from idle CPU ${w.cpu} with no interrupt in view`, f.depth);
      else if (w.kind === 'network') {
        // The sender's path until it queued the packet, then the packet's way to the wake-up.
        const sent = Math.min(Math.max(w.sent, a), b);
        const packet = `${w.reason}: packet from ${comm(w.sender)} (${w.sender})`;
        if (sent > a && push(f, w.sender, a, sent) !== undefined) emit(f.tid, a, sent, 'NETWORK', packet, f.depth);
        emit(f.tid, sent, b, 'NETWORK', packet, f.depth);
      }
      else {
        const why = push(f, w.waker, a, b);
        if (why !== undefined) emit(f.tid, a, b, 'BLOCKED', `woken by ${comm(w.waker)} (${w.waker}): ${why}`, f.depth);
      }
    }
    const last = ivs.length ? ivs[ivs.length - 1]!.end : f.hi;
    if (Math.max(last, f.lo) < f.hi) {
      emit(f.tid, Math.max(last, f.lo), f.hi, 'UNKNOWN', h.exited ? 'after this thread exited' : 'after the trace ends', f.depth);
    }
  }

  out.sort((x, y) => x.start - y.start);
  // Contiguous pieces of one worker in one state are one segment.
  const merged: Segment[] = [];
  for (const s of out) {
    const p = merged[merged.length - 1];
    if (p && p.end === s.start && p.tid === s.tid && p.state === s.state && p.reason === s.reason && p.depth === s.depth) p.end = s.end;
    else merged.push({ ...s });
  }
  return merged;
}

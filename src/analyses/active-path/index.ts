/**
 * The active (critical) path of one thread: where its time went over a window — running,
 * preempted, or waiting on a timer, a device, an interrupt, or another thread whose own path
 * explains the wait. Pure: events in, segments out.
 */
import type { TraceEvent } from '../../model/events.js';
import { buildHistories } from './states.js';
import type { ActivePath, ActivePathOptions, Segment, ThreadHistory, Uncertainty } from './types.js';
import { walkPath } from './walk.js';

export type * from './types.js';
export { buildHistories } from './states.js';
export { walkPath } from './walk.js';
export { pathCsv, pathTop, pathTrackEvents } from './output.js';

/** Thrown when the thread asked for is not in the trace, or the window is empty. */
export class ActivePathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ActivePathError';
  }
}

function runningTime(h: ThreadHistory): number {
  let t = 0;
  for (const iv of h.intervals) if (iv.state === 'RUNNING') t += iv.end - iv.start;
  return t;
}

function pickThread(threads: ReadonlyMap<number, ThreadHistory>, opts: ActivePathOptions): ThreadHistory {
  if (opts.tid !== undefined) {
    if (opts.tid <= 0) throw new ActivePathError('tid 0 is the idle task (swapper): give a thread');
    const h = threads.get(opts.tid);
    if (!h) throw new ActivePathError(`thread ${opts.tid} is not scheduled anywhere in the trace`);
    return h;
  }
  if (opts.comm === undefined) throw new ActivePathError('give a thread: a tid or a comm');
  let best: ThreadHistory | undefined;
  for (const h of [...threads.values()].sort((a, b) => a.tid - b.tid)) {
    if (h.comm === opts.comm && (!best || runningTime(h) > runningTime(best))) best = h;
  }
  if (!best) throw new ActivePathError(`no thread named "${opts.comm}" is scheduled in the trace`);
  return best;
}

export function activePath(events: readonly TraceEvent[], opts: ActivePathOptions): ActivePath {
  const { threads, facts } = buildHistories(events);
  const h = pickThread(threads, opts);
  const ivs = h.intervals;
  const from = opts.from ?? (ivs.length ? ivs[0]!.start : facts.start);
  const to = opts.to ?? (ivs.length ? ivs[ivs.length - 1]!.end : facts.end);
  if (!(to > from)) throw new ActivePathError(`the window is empty (from ${from} to ${to} ns)`);
  const segments = walkPath(threads, h.tid, from, to);

  const uncertain: Uncertainty[] = [];
  const src = facts.wakeSources;
  const wakes = Object.values(src).reduce((x, y) => x + y, 0);
  if (wakes === 0) {
    uncertain.push({
      code: 'active-path.no-waking',
      count: 1,
      message: 'the trace has no wake-up events (sched_waking, sched_wakeup): no wait can be explained by its waker',
    });
  } else if ((src.wakeup ?? 0) > 0 && !src.waking) {
    uncertain.push({
      code: 'active-path.no-waking',
      count: src.wakeup!,
      message: `the trace has sched_wakeup (${src.wakeup}) but no sched_waking: a wake-up may be recorded on the woken CPU inside an IPI, so the task named as waker may be the wrong one`,
    });
  }
  if (wakes > 0 && facts.interruptEvents === 0) {
    uncertain.push({
      code: 'active-path.no-interrupts',
      count: 1,
      message: 'the trace has no interrupt events (irq, softirq, timer, IPI) nor wake-up contexts: device and timer wake-ups look like wake-ups by whatever ran on the CPU',
    });
  }
  const lost = facts.lostEvents + (opts.lostEvents ?? 0);
  if (lost > 0 || facts.missedSwitches > 0) {
    const parts: string[] = [];
    if (lost > 0) parts.push(`events were lost (${lost} report(s))`);
    if (facts.missedSwitches > 0) parts.push(`${facts.missedSwitches} task(s) ran with no sched_switch to them (taken as switched in at their first event)`);
    uncertain.push({ code: 'active-path.lost-events', count: lost + facts.missedSwitches, message: `${parts.join('; ')}: states and wakers around them may be wrong` });
  }
  const count = (p: (s: Segment) => boolean) => segments.filter(p).length;
  const idle = count((s) => s.state === 'UNKNOWN' && s.reason.startsWith('woken from idle'));
  if (idle > 0) {
    uncertain.push({
      code: 'active-path.idle-wakeup',
      count: idle,
      message: `${idle} wait(s) on the path were woken from an idle CPU with no interrupt in view: shown as UNKNOWN, not as swapper`,
    });
  }
  const missing = count((s) => s.state === 'BLOCKED' && s.reason === 'no wake-up seen');
  if (missing > 0) {
    uncertain.push({ code: 'active-path.missing-wakeup', count: missing, message: `${missing} wait(s) on the path ended with no wake-up event: shown as BLOCKED` });
  }
  return { tid: h.tid, comm: h.comm, from, to, segments, uncertain };
}
export { renderActivePath, pathFormatFor, PATH_FORMATS } from './render.js';
export type { PathFormat } from './render.js';

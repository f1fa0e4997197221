/**
 * Per-thread state intervals (running, preempted, blocked) from the scheduler events, with each
 * wake-up that ended a wait classified by the context it happened in.
 */
import type { SchedWaking, TraceEvent } from '../../model/events.js';
import { PSEUDO_TID_BASE, isSynthesizedName } from '../../model/slices.js';
import { CpuContexts, classifyWake } from './context.js';
import type { Interval, ThreadHistory, ThreadState, WakeCause } from './types.js';

/** prev_state bits (the model's >= 4.14 report layout): dead tasks. */
const EXIT_DEAD = 16;
const EXIT_ZOMBIE = 32;

interface Open {
  h: ThreadHistory;
  state: ThreadState | 'EXITED';
  since: number;
}

/** Facts about the whole trace that bear on how far the path can be trusted. */
export interface TraceFacts {
  /** Wake events by the event they came from (`waking`, `wakeup`, `wakeup_new`, `unstated`). */
  wakeSources: Record<string, number>;
  /** Interrupt handler events (hard IRQ, softirq, timer callbacks, IPI vectors) or stated contexts. */
  interruptEvents: number;
  /** Lost-event markers and switches that did not follow the CPU's previous one. */
  lostEvents: number;
  /** Tasks seen running on a CPU that no switch gave them (taken as switched in there). */
  missedSwitches: number;
  start: number;
  end: number;
}

export interface Histories {
  threads: Map<number, ThreadHistory>;
  facts: TraceFacts;
}

/** Stable sort by time: inputs emit per-CPU runs that may interleave out of order. */
function byTime(events: readonly TraceEvent[]): TraceEvent[] {
  const timed = events.filter((e) => 'ts' in e);
  return timed
    .map((e, i) => [e, i] as const)
    .sort((a, b) => (a[0] as { ts: number }).ts - (b[0] as { ts: number }).ts || a[1] - b[1])
    .map((x) => x[0]);
}

export function buildHistories(events: readonly TraceEvent[]): Histories {
  const cpuOfTrack = new Map<number, number>();
  const tidOfTrack = new Map<number, number>();
  const names = new Map<number, string>();
  for (const e of events) {
    if (e.kind === 'track' && e.track.kind === 'cpu') cpuOfTrack.set(e.track.id, e.track.cpu);
    // A real thread's lane (not a per-CPU pseudo-thread): its events show it running.
    if (e.kind === 'track' && e.track.kind === 'thread' && e.track.tid > 0 && e.track.tid < PSEUDO_TID_BASE && e.track.cpu === undefined) {
      tidOfTrack.set(e.track.id, e.track.tid);
    }
    if (e.kind === 'process') for (const t of e.threads ?? []) names.set(t.tid, t.name);
  }
  const ctx = new CpuContexts();
  const current = new Map<number, number>();
  const cpuFirst = new Map<number, number>();
  const open = new Map<number, Open>();
  const threads = new Map<number, ThreadHistory>();
  const facts: TraceFacts = { wakeSources: {}, interruptEvents: 0, lostEvents: 0, missedSwitches: 0, start: Infinity, end: -Infinity };

  const thread = (tid: number, comm: string, ts: number, state: ThreadState): Open => {
    let o = open.get(tid);
    if (!o || o.state === 'EXITED') {
      // First sight (or a reused tid after an exit): a new history.
      const h: ThreadHistory = { tid, comm: comm || names.get(tid) || `tid ${tid}`, intervals: [], exited: false };
      threads.set(tid, h);
      o = { h, state, since: ts };
      open.set(tid, o);
    } else if (comm) o.h.comm = comm;
    return o;
  };
  const close = (o: Open, ts: number, next: ThreadState | 'EXITED', wake?: WakeCause) => {
    if (o.state !== 'EXITED' && ts > o.since) {
      const ivs = o.h.intervals;
      const last = ivs[ivs.length - 1];
      // A second switch-in of a running task (lost events) continues the same interval.
      if (last && last.end === o.since && last.state === o.state && !last.wake && !wake) last.end = ts;
      else {
        const iv: Interval = { start: o.since, end: ts, state: o.state };
        if (wake) iv.wake = wake;
        ivs.push(iv);
      }
    }
    o.state = next;
    o.since = ts;
    if (next === 'EXITED') o.h.exited = true;
  };

  /**
   * An event made by task `tid` while it ran (its own lane's slices, an interrupt or wake-up the
   * input says it was current for): a switch-in the trace missed (some kernels do not trace every
   * switch out of the idle task) is taken to have happened here.
   */
  const running = (tid: number, ts: number, cpu?: number) => {
    if (tid <= 0 || tid >= PSEUDO_TID_BASE) return;
    if (cpu !== undefined) current.set(cpu, tid);
    const o = open.get(tid);
    if (!o || o.state === 'EXITED') thread(tid, '', ts, 'RUNNING');
    else if (o.state !== 'RUNNING') {
      facts.missedSwitches++;
      close(o, ts, 'RUNNING');
    }
  };

  for (const e of byTime(events)) {
    const ts = (e as { ts: number }).ts;
    if (ts < facts.start) facts.start = ts;
    if (ts > facts.end) facts.end = ts;
    const cpu = (e as { cpu?: number }).cpu;
    if (cpu !== undefined && !cpuFirst.has(cpu)) cpuFirst.set(cpu, ts);
    switch (e.kind) {
      case 'irq':
        facts.interruptEvents++;
        running(e.tid, ts, e.cpu);
        if (e.phase === 'entry') ctx.push(e.cpu, { kind: 'irq', irq: e.irq, name: e.name ?? '' });
        else ctx.pop(e.cpu, 'irq');
        break;
      case 'softirq':
        facts.interruptEvents++;
        running(e.tid, ts, e.cpu);
        if (e.phase === 'entry') ctx.push(e.cpu, { kind: 'softirq', vec: e.vec });
        else ctx.pop(e.cpu, 'softirq');
        break;
      case 'begin':
      case 'end': {
        const t = tidOfTrack.get(e.track);
        // A synthesised enclosing slice starts where the trace began, not where the task ran.
        if (t !== undefined && !(e.kind === 'begin' && isSynthesizedName(e.name))) running(t, ts);
        const c = cpuOfTrack.get(e.track);
        if (c === undefined) break;
        if (e.cat === 'timer') {
          facts.interruptEvents++;
          const kind = e.name.replace(/^\[truncated\] /, '').startsWith('hrtimer') ? 'hrtimer' : 'timer';
          if (e.kind === 'begin') ctx.push(c, { kind });
          else ctx.pop(c, kind);
        } else if (e.cat === 'irq') {
          facts.interruptEvents++;
          if (e.kind === 'begin') ctx.push(c, { kind: 'ipi', name: e.name });
          else ctx.pop(c, 'ipi');
        }
        break;
      }
      case 'instant': {
        const t = tidOfTrack.get(e.track);
        if (t !== undefined) running(t, ts);
        if (e.cat === 'marker' && / discarded$/.test(e.name)) {
          facts.lostEvents++;
          ctx.clearAll();
        }
        break;
      }
      case 'sched-switch': {
        const cur = current.get(e.cpu);
        // A switch from a task the CPU did not run (unless its own events showed it running).
        if (cur !== undefined && cur !== e.prevTid && open.get(e.prevTid)?.state !== 'RUNNING') facts.lostEvents++;
        ctx.clear(e.cpu);
        current.set(e.cpu, e.nextTid);
        if (e.prevTid > 0) {
          const dead = (e.prevState & (EXIT_DEAD | EXIT_ZOMBIE)) !== 0;
          const runnable = (e.prevState & 0xff) === 0;
          // Running since the CPU's first event when this is the first we hear of it.
          const o = thread(e.prevTid, e.prevComm, cpuFirst.get(e.cpu) ?? ts, 'RUNNING');
          if (o.state !== 'RUNNING') close(o, ts, 'RUNNING');
          close(o, ts, dead ? 'EXITED' : runnable ? 'PREEMPTED' : 'BLOCKED');
        }
        if (e.nextTid > 0) {
          const o = thread(e.nextTid, e.nextComm, ts, 'RUNNING');
          // Switched in while blocked with no wake-up seen: the wait ends here, unexplained.
          close(o, ts, 'RUNNING');
        }
        break;
      }
      case 'sched-waking':
        wake(e, ts);
        break;
    }
  }

  function wake(e: SchedWaking, ts: number) {
    const src = e.source ?? 'unstated';
    facts.wakeSources[src] = (facts.wakeSources[src] ?? 0) + 1;
    if (e.context && e.context !== 'task') facts.interruptEvents++;
    if (e.wakerTid !== undefined) running(e.wakerTid, ts, e.cpu);
    if (e.tid <= 0) return;
    const waker = e.wakerTid ?? current.get(e.cpu) ?? 0;
    const cause = classifyWake(e, ctx.top(e.cpu), waker === e.tid ? 0 : waker);
    const known = open.get(e.tid);
    if (!known || known.state === 'EXITED') {
      const o = thread(e.tid, e.comm, ts, 'PREEMPTED');
      if (cause.kind === 'task') o.h.creator = cause.waker;
      return;
    }
    // Already running or runnable: a spurious or duplicate wake-up.
    if (known.state !== 'BLOCKED') return;
    if (e.comm) known.h.comm = e.comm;
    close(known, ts, 'PREEMPTED', cause);
  }

  if (facts.start === Infinity) facts.start = facts.end = 0;
  for (const o of open.values()) if (o.state !== 'EXITED') close(o, facts.end, o.state);
  return { threads, facts };
}

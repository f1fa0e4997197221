/**
 * Per-thread state intervals (running, preempted, blocked) from the scheduler events, with each
 * wake-up that ended a wait classified by the context it happened in.
 */
import type { SchedWaking, TraceEvent } from '../../model/events.js';
import { PSEUDO_TID_BASE, isSynthesizedName } from '../../model/slices.js';
import { CpuContexts, causeOfFrame, classifyWake, type IpiSource } from './context.js';
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

/** Network events: the send queues a packet, the receive hands it to the stack (skb addresses match). */
const NET_SEND = new Set(['net_dev_queue']);
const NET_RECEIVE = new Set(['netif_receive_skb', 'net_if_receive_skb', 'netif_receive_skb_entry', 'netif_rx']);
/** An IPI entry this long after the latest send to its CPU is not taken as that send's. */
const IPI_SEND_BOUND_NS = 10_000_000;

/** An skb address as text or number (`00000000e9494c6d`, `0xFFFF9A3C41D2E300`) → one key. */
function skbKey(v: unknown): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v.toString(16) : undefined;
  if (typeof v !== 'string' || v === '') return undefined;
  const t = v.toLowerCase().replace(/^0x/, '').replace(/^0+(?=.)/, '');
  return /^[0-9a-f]+$/.test(t) ? t : undefined;
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
  /** Track → who its instants were made by: a tid, or −(cpu + 1) for a CPU's idle lane. */
  const contextOfTrack = new Map<number, number>();
  for (const e of events) {
    if (e.kind === 'track' && e.track.kind === 'thread') {
      if (e.track.cpu !== undefined) contextOfTrack.set(e.track.id, -(e.track.cpu + 1));
      else if (e.track.tid > 0 && e.track.tid < PSEUDO_TID_BASE) contextOfTrack.set(e.track.id, e.track.tid);
    }
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
  /** The CPU each task last ran on. */
  const cpuOfTid = new Map<number, number>();
  /** skb key → the latest send of it; context (as contextOfTrack) → its latest receive. */
  const sends = new Map<string, { tid: number; ts: number }>();
  const receives = new Map<number, { skb: string; ts: number }>();
  /** Target CPU → the latest IPI sent to it and not yet taken by an IPI entry there. */
  const ipiSent = new Map<number, IpiSource>();
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
    if (cpu !== undefined) {
      current.set(cpu, tid);
      cpuOfTid.set(tid, cpu);
    }
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
        if (e.phase === 'entry') ctx.push(e.cpu, { kind: 'softirq', vec: e.vec, since: ts });
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
          if (e.kind === 'begin') {
            // The IPI an `ipi_send_cpu` announced: the wake-ups inside it are the sender's doing.
            const from = e.name === 'local_timer' ? undefined : ipiSent.get(c);
            if (from) ipiSent.delete(c);
            ctx.push(c, from && ts - from.ts <= IPI_SEND_BOUND_NS ? { kind: 'ipi', name: e.name, from } : { kind: 'ipi', name: e.name });
          } else ctx.pop(c, 'ipi');
        }
        break;
      }
      case 'instant': {
        const t = tidOfTrack.get(e.track);
        if (t !== undefined) running(t, ts);
        const who = contextOfTrack.get(e.track);
        if (who !== undefined) instant(e.name, e.args, who, ts);
        if (e.cat === 'marker' && / discarded$/.test(e.name)) {
          facts.lostEvents++;
          ctx.clearAll();
        }
        break;
      }
      case 'sched-switch': {
        if (e.nextTid > 0) cpuOfTid.set(e.nextTid, e.cpu);
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

  /** Network sends and receives, IPI sends: what later wake-ups will be matched with. */
  function instant(name: string, args: Record<string, unknown> | undefined, who: number, ts: number) {
    if (NET_SEND.has(name) || NET_RECEIVE.has(name)) {
      const skb = skbKey(args?.skbaddr);
      if (skb === undefined) return;
      if (NET_SEND.has(name)) sends.set(skb, { tid: who > 0 ? who : 0, ts });
      else receives.set(who, { skb, ts });
    } else if (name === 'ipi_send_cpu') {
      const target = args?.cpu;
      const cpu = who > 0 ? cpuOfTid.get(who) : -who - 1;
      if (typeof target !== 'number' || cpu === undefined || target === cpu) return;
      const top = ctx.top(cpu);
      const cause = top ? causeOfFrame(top) : who > 0 ? ({ kind: 'task', waker: who } as const) : undefined;
      if (cause) ipiSent.set(target, { cause, cpu, ts });
    }
  }

  /**
   * A network wake-up (inside a NET_RX/NET_TX softirq) whose softirq received a packet that a
   * task queued: that task, and when it sent it.
   */
  function sender(e: SchedWaking, waker: number): { tid: number; ts: number } | undefined {
    const top = ctx.top(e.cpu);
    if (top?.kind !== 'softirq' || top.since === undefined) return undefined;
    const r = receives.get(waker > 0 ? waker : -(e.cpu + 1));
    if (!r || r.ts < top.since) return undefined;
    const s = sends.get(r.skb);
    if (!s || s.ts > r.ts || s.tid <= 0 || s.tid === e.tid) return undefined;
    return s;
  }

  function wake(e: SchedWaking, ts: number) {
    const src = e.source ?? 'unstated';
    facts.wakeSources[src] = (facts.wakeSources[src] ?? 0) + 1;
    if (e.context && e.context !== 'task') facts.interruptEvents++;
    if (e.wakerTid !== undefined) running(e.wakerTid, ts, e.cpu);
    if (e.tid <= 0) return;
    const waker = e.wakerTid ?? current.get(e.cpu) ?? 0;
    let cause = classifyWake(e, ctx.top(e.cpu), waker === e.tid ? 0 : waker);
    if (cause.kind === 'context' && cause.state === 'NETWORK') {
      const s = sender(e, waker);
      if (s) cause = { kind: 'network', sender: s.tid, sent: s.ts, reason: cause.reason };
    }
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

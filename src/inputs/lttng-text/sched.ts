/**
 * Scheduling: `sched_switch` (the task running on each CPU, and a synthesised switch when
 * events were lost between two), `sched_waking`, `sched_wakeup` and `sched_wakeup_new`, as the
 * model's own kinds.
 */
import type { TraceEvent } from '../../model/events.js';
import type { Context } from './context.js';
import type { Domain } from './meaning.js';
import type { LttngRecord } from './record.js';
import { instant } from './tracks.js';
import { intOf, textOf, type Value } from './values.js';

/** lttng-modules prints `prio - MAX_RT_PRIO`; ftrace (and Perfetto) use the kernel's prio. */
const LTTNG_PRIO_OFFSET = 100;

export function onSwitch(cx: Context, r: LttngRecord, dom: Domain, anyCpu: number): void {
  const cpu = anyCpu < 0 ? 0 : anyCpu;
  const p = r.payload;
  const prevTid = intOf(p.prev_tid ?? p.prev_pid);
  const nextTid = intOf(p.next_tid ?? p.next_pid);
  if (!Number.isFinite(prevTid) || !Number.isFinite(nextTid)) {
    cx.report('lttng-text.malformed-fields', r.line, 'sched_switch without prev_tid/next_tid: kept as an instant');
    instant(cx, r, dom, cpu);
    return;
  }
  cx.sawSwitch = true;
  const off = dom === 'kernel' ? LTTNG_PRIO_OFFSET : 0;
  const prio = (v: Value | undefined) => {
    const n = intOf(v);
    return Number.isFinite(n) ? n + off : 120;
  };
  const prevComm = textOf(p.prev_comm) ?? '';
  const nextComm = textOf(p.next_comm) ?? '';
  const prevPrio = prio(p.prev_prio);
  const exited = prevTid > 0 && cx.tasks.exited(prevTid);
  const prevState = cx.states.map(intOf(p.prev_state), exited);
  const cs = cx.cpuState(cpu);
  // Switches on a CPU stay in time order, or a reader sorting by time would break the chain of tids.
  const ts = cx.laneTime(cs, r.ts);
  if (cs.lastNext >= 0 && cs.lastNext !== prevTid) {
    // Events were lost: switch in the task this one takes over from, at the same time.
    cx.report('lttng-text.sched-mismatch', r.line, `CPU ${cpu}: switch from ${prevComm}:${prevTid}, but ${cs.comm}:${cs.lastNext} was switched in: a switch between them was synthesised`);
    cx.b.sink.push({
      kind: 'sched-switch',
      ts,
      cpu,
      prevTid: cs.lastNext,
      prevComm: cs.comm,
      prevPrio: 120,
      prevState: 0,
      nextTid: prevTid,
      nextComm: prevComm,
      nextPrio: prevPrio,
    });
  }
  const nextPrio = prio(p.next_prio);
  cx.b.sink.push({ kind: 'sched-switch', ts, cpu, prevTid, prevComm, prevPrio, prevState, nextTid, nextComm, nextPrio });
  // A switched-in tid that had exited was reused.
  if (nextTid > 0) cx.tasks.markExited(nextTid, false);
  cx.setComm(prevTid, prevComm);
  cx.setComm(nextTid, nextComm);
  cx.tasks.setCurrent(cpu, nextTid);
  cs.gaveUp = false;
  cs.comm = nextComm;
  cs.lastNext = nextTid;
}

function wake(cx: Context, r: LttngRecord, dom: Domain, cpu: number, source: 'waking' | 'wakeup' | 'wakeup_new'): void {
  const p = r.payload;
  const tid = intOf(p.tid ?? p.pid);
  if (!Number.isFinite(tid)) {
    instant(cx, r, dom, cpu);
    return;
  }
  const comm = textOf(p.comm) ?? '';
  const prio = intOf(p.prio);
  const target = intOf(p.target_cpu);
  const e: TraceEvent = {
    kind: 'sched-waking',
    ts: cx.laneTime(cx.cpuState(cpu), r.ts),
    cpu,
    tid,
    comm,
    prio: Number.isFinite(prio) ? prio + (dom === 'kernel' ? LTTNG_PRIO_OFFSET : 0) : 120,
    targetCpu: Number.isFinite(target) ? target : cpu,
  };
  const waker = dom === 'perf' ? intOf(p.perf_tid) : cx.tasks.current(cpu);
  if (Number.isFinite(waker) && waker >= 0) e.wakerTid = waker;
  e.source = source;
  cx.b.sink.push(e);
  cx.setComm(tid, comm);
}

export function onWaking(cx: Context, r: LttngRecord, dom: Domain, cpu: number): void {
  cx.sawWaking = true;
  wake(cx, r, dom, cpu < 0 ? 0 : cpu, 'waking');
}

/** With sched_waking in the trace, sched_wakeup is the second half of the same wake-up. */
export function onWakeup(cx: Context, r: LttngRecord, dom: Domain, cpu: number): void {
  if (cx.sawWaking) instant(cx, r, dom, cpu);
  else wake(cx, r, dom, cpu < 0 ? 0 : cpu, 'wakeup');
}

export function onWakeupNew(cx: Context, r: LttngRecord, dom: Domain, cpu: number): void {
  wake(cx, r, dom, cpu < 0 ? 0 : cpu, 'wakeup_new');
}

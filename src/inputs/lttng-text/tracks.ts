/**
 * Where a record draws: its thread (perf's `perf_tid`, the `vtid`/`tid` context), else for
 * userspace its process (`vpid`), else for the kernel the task running on its CPU; DPDK
 * threads by the name in their packet context; a CPU's pseudo-thread when nothing says.
 */
import { CAT } from '../../model/events.js';
import { PSEUDO_TID_BASE } from '../../model/slices.js';
import { argsOf, type Context } from './context.js';
import type { Domain } from './meaning.js';
import type { LttngRecord } from './record.js';
import { intOf, textOf } from './values.js';

/** Pseudo process of DPDK threads (named by the trace's packet context, no tid). */
const DPDK_PID = PSEUDO_TID_BASE + (3 << 16);

/** The track of a record's slices and instants. */
export function trackOf(cx: Context, r: LttngRecord, dom: Domain, cpu: number): number {
  const c = r.ctx;
  const p = r.payload;
  const tasks = cx.tasks;
  let tid = NaN;
  let pid = NaN;
  if (dom === 'perf') {
    tid = intOf(p.perf_tid);
    pid = intOf(p.perf_pid);
  } else if (dom === 'dpdk') {
    const name = textOf(c?.name) ?? 'dpdk';
    let id = cx.dpdk.get(name);
    if (id === undefined) {
      id = cx.b.thread(DPDK_PID + 1 + cx.dpdk.size, name, DPDK_PID, 'DPDK');
      cx.dpdk.set(name, id);
    }
    return id;
  } else if (c) {
    tid = intOf(c.vtid ?? c.tid);
    pid = intOf(c.vpid ?? c.pid);
  }
  if (!Number.isFinite(pid) && r.vpid !== undefined) pid = r.vpid;
  if (Number.isFinite(tid) && tid >= 0) {
    if (tid > 0) {
      tasks.setPid(tid, pid);
      const procname = textOf(c?.procname);
      if (procname) cx.setComm(tid, procname);
      else if (r.procname && tid === pid) cx.setComm(tid, r.procname);
      if (pid === tid && (procname || r.procname) && !tasks.process(pid)) tasks.putProcess(pid, { name: (procname || r.procname)! });
    }
    return tasks.track(tid, cpu);
  }
  if (dom === 'ust') {
    if (Number.isFinite(pid) && pid > 0) {
      const name = textOf(c?.procname) ?? r.procname;
      if (name) {
        cx.setComm(pid, name);
        if (!tasks.process(pid)) tasks.putProcess(pid, { name });
      }
      tasks.setPid(pid, pid);
      return tasks.track(pid, cpu);
    }
    return cpu >= 0 ? cx.b.cpuThread(cpu) : cx.b.global('events');
  }
  if (cpu < 0) return cx.b.global('events');
  const cs = cx.cpuState(cpu);
  const running = tasks.current(cpu);
  // Not known: the CPU's pseudo-thread (the table's choice for a task below 0).
  if (running < 0) cs.unknownTask++;
  return tasks.track(running, cpu);
}

/** A record as an instant with all its fields (and contexts) as args. */
export function instant(cx: Context, r: LttngRecord, dom: Domain, cpu: number, name = r.name): void {
  cx.b.instant(trackOf(cx, r, dom, cpu), r.ts, name, CAT.event, r.line, argsOf(r, true));
}

/**
 * Threads and processes: `sched_process_fork`, `sched_process_exec`, `sched_process_exit`,
 * the kernel statedump (`lttng_statedump_process_state`) and UST's `procname`. Each keeps the
 * fields as an instant too (the dispatch table says in which order).
 */
import { CAT } from '../../model/events.js';
import type { Context } from './context.js';
import type { Domain } from './meaning.js';
import type { LttngRecord } from './record.js';
import { intOf, textOf } from './values.js';

const basename = (p: string) => p.slice(p.lastIndexOf('/') + 1);
/** A task's comm is its executable's name cut to 15 bytes (TASK_COMM_LEN). */
const commOf = (file: string) => basename(file).slice(0, 15);

export function fork(cx: Context, r: LttngRecord, dom: Domain): void {
  const p = r.payload;
  const tasks = cx.tasks;
  const childComm = textOf(p.child_comm) ?? '';
  const parentComm = textOf(p.parent_comm) ?? '';
  // perf (ftrace names): *_pid are thread ids and the process is not printed.
  const childTid = intOf(dom === 'perf' ? p.child_pid : (p.child_tid ?? p.child_pid));
  const parentTid = intOf(dom === 'perf' ? p.parent_pid : (p.parent_tid ?? p.parent_pid));
  if (!Number.isFinite(childTid)) return;
  tasks.markExited(childTid, false);
  cx.setComm(childTid, childComm);
  if (Number.isFinite(parentTid)) cx.setComm(parentTid, parentComm);
  if (dom === 'perf') return;
  const childPid = intOf(p.child_pid);
  const parentPid = intOf(p.parent_pid);
  if (!Number.isFinite(childPid)) return;
  tasks.setPid(childTid, childPid);
  if (childPid === childTid) {
    // A new process.
    tasks.putProcess(childPid, Number.isFinite(parentPid) ? { name: childComm, ppid: parentPid } : { name: childComm });
  } else if (!tasks.process(childPid)) {
    // A new thread of a process the trace did not name yet: its parent thread's name will do.
    tasks.putProcess(childPid, { name: parentComm || childComm });
  }
  cx.emitProcess(childPid, [{ tid: childTid, name: childComm }]);
}

export function exec(cx: Context, r: LttngRecord, dom: Domain): void {
  const p = r.payload;
  const tid = intOf(dom === 'perf' ? p.pid : (p.tid ?? p.pid));
  const file = textOf(p.filename);
  if (!Number.isFinite(tid) || tid <= 0 || !file) return;
  const comm = commOf(file);
  // exec leaves the caller as its process's only thread, with the process id as tid.
  cx.tasks.setPid(tid, tid);
  cx.tasks.putProcess(tid, { ...cx.tasks.process(tid), name: comm });
  cx.setComm(tid, comm);
  cx.emitProcess(tid, [{ tid, name: comm }]);
}

export function exit(cx: Context, r: LttngRecord, dom: Domain): void {
  const p = r.payload;
  const tid = intOf(dom === 'perf' ? p.pid : (p.tid ?? p.pid));
  if (!Number.isFinite(tid) || tid <= 0) return;
  cx.tasks.markExited(tid);
  const track = cx.tasks.thread(tid).track;
  // exit/exit_group never return: their slice ends with the task.
  if (track >= 0) {
    const top = cx.nest.top(track);
    if (top && top.cat === CAT.syscall && (top.key === 'exit' || top.key === 'exit_group')) {
      cx.nest.close(track, r.ts, top.key, CAT.syscall, top.name, r.line);
    }
  }
}

export function statedump(cx: Context, r: LttngRecord): void {
  const p = r.payload;
  const tid = intOf(p.tid);
  const pid = intOf(p.pid);
  const name = textOf(p.name) ?? '';
  if (!Number.isFinite(tid) || !Number.isFinite(pid) || tid <= 0) return;
  cx.tasks.setPid(tid, pid);
  cx.setComm(tid, name);
  const ppid = intOf(p.ppid);
  if (tid === pid) cx.tasks.putProcess(pid, Number.isFinite(ppid) ? { name, ppid } : { name });
  else if (!cx.tasks.process(pid)) cx.tasks.putProcess(pid, { name });
  cx.emitProcess(pid, [{ tid, name }]);
}

/** `lttng_ust_statedump:procname`: the process's name as the application set it. */
export function ustProcname(cx: Context, r: LttngRecord): void {
  const pid = intOf(r.ctx?.vpid) || r.vpid || NaN;
  const name = textOf(r.payload.procname);
  if (Number.isFinite(pid) && name) {
    cx.tasks.putProcess(pid, { ...cx.tasks.process(pid), name });
    cx.setComm(pid, name);
    cx.emitProcess(pid, []);
  }
}

/**
 * What the held start of the trace's statedump says, learnt before any record is handled: each
 * thread's process and name, each process's name and parent (first statements win).
 */
export function learnStatedump(cx: Context, held: Iterable<LttngRecord | { kind: string }>): void {
  const tasks = cx.tasks;
  for (const r of held) {
    if ('kind' in r || r.name !== 'lttng_statedump_process_state') continue;
    const p = r.payload;
    const tid = intOf(p.tid);
    const pid = intOf(p.pid);
    const name = textOf(p.name);
    if (!Number.isFinite(tid) || tid <= 0 || !name) continue;
    if (tasks.thread(tid).pid < 0) tasks.setPid(tid, pid);
    tasks.setComm(tid, name, false);
    if (tid === pid && !tasks.process(pid)) {
      const ppid = intOf(p.ppid);
      tasks.putProcess(pid, Number.isFinite(ppid) ? { name, ppid } : { name });
    }
  }
}

/**
 * Tasks as kernel traces know them: which task runs on each CPU, each thread's name and process
 * (tgid), process names and parents, and the thread track each one draws on. Kernel event
 * inputs (ftrace event text, LTTng text) share it, so the same facts give the same tracks
 * whatever the text looked like.
 *
 * - Thread ids are the kernel's `pid`; process ids its `tgid`. A thread whose process is not
 *   known draws in a process of its own (pid = tid), the convention Perfetto also uses.
 * - pid 0 is the idle task, one per CPU (`swapper/N`).
 * - A thread's track keeps the process of its first declaration (the builder does; Perfetto keys
 *   threads by (pid, tid), so moving it would split it in two).
 * - `<...>` (a pid missing from saved_cmdlines) never overwrites a name; an input whose text has
 *   no such placeholder (LTTng prints the task's own comm) says so with `placeholderComm: null`.
 */
import type { ProcessInfo } from './events.js';
import type { SliceBuilder } from './slices.js';

export interface ThreadFacts {
  tid: number;
  /** Process id (tgid), -1 when not known. */
  pid: number;
  comm: string;
  track: number;
  trackName: string;
  /** Process the track was declared in. */
  trackPid: number;
  exited: boolean;
}

export interface ProcessFacts {
  name: string;
  ppid?: number;
}

/** A name that says nothing (ftrace's unknown comm). */
export const isUnknownComm = (comm: string | undefined) => !comm || comm === '<...>';

export interface TaskTableOptions {
  /** The comm an input prints for a task it does not know (ftrace `<...>`, the default), or null. */
  placeholderComm?: string | null;
}

export class TaskTable {
  private readonly threads = new Map<number, ThreadFacts>();
  private readonly procs = new Map<number, ProcessFacts>();
  /** cpu → tid running there (-1 not known). */
  private readonly running = new Map<number, number>();
  private readonly placeholder: string | null;

  constructor(
    private readonly b: SliceBuilder,
    options: TaskTableOptions = {},
  ) {
    this.placeholder = options.placeholderComm === undefined ? '<...>' : options.placeholderComm;
  }

  // ------------------------------------------------------------ CPUs

  /** The task running on a CPU, -1 when not known. */
  current(cpu: number): number {
    return this.running.get(cpu) ?? -1;
  }

  setCurrent(cpu: number, tid: number): void {
    this.running.set(cpu, tid);
  }

  cpus(): number[] {
    return [...this.running.keys()].sort((a, b) => a - b);
  }

  // ------------------------------------------------------------ threads

  thread(tid: number): ThreadFacts {
    let t = this.threads.get(tid);
    if (!t) {
      t = { tid, pid: -1, comm: '', track: -1, trackName: '', trackPid: -1, exited: false };
      this.threads.set(tid, t);
    }
    return t;
  }

  has(tid: number): boolean {
    return this.threads.has(tid);
  }

  comm(tid: number): string {
    return this.threads.get(tid)?.comm ?? '';
  }

  /**
   * Names a thread. `strong` names (what the trace prints for the task on its own lines) replace
   * what is known; weak ones (a name inside another event's fields) only fill a gap. Returns
   * true when the name changed. A process is named after its main thread.
   */
  setComm(tid: number, comm: string, strong = true): boolean {
    if (tid <= 0 || !comm || comm === this.placeholder) return false;
    const t = this.thread(tid);
    if (t.comm === comm || (!strong && t.comm)) return false;
    t.comm = comm;
    if (t.pid === tid) {
      const proc = this.procs.get(tid);
      if (proc && proc.name !== comm) proc.name = comm;
    }
    return true;
  }

  /** The process of a thread (from a tgid column, a statedump, a fork of a thread). */
  setPid(tid: number, pid: number): void {
    if (tid <= 0 || !Number.isFinite(pid) || pid <= 0) return;
    this.thread(tid).pid = pid;
  }

  pid(tid: number): number {
    const p = this.threads.get(tid)?.pid ?? -1;
    return p > 0 ? p : tid;
  }

  markExited(tid: number, exited = true): void {
    if (tid > 0) this.thread(tid).exited = exited;
  }

  exited(tid: number): boolean {
    return this.threads.get(tid)?.exited ?? false;
  }

  // ------------------------------------------------------------ processes

  process(pid: number): ProcessFacts | undefined {
    return this.procs.get(pid);
  }

  setProcess(pid: number, name: string, ppid?: number): void {
    if (pid <= 0) return;
    const old = this.procs.get(pid);
    const p: ProcessFacts = { name: name || old?.name || `pid ${pid}` };
    const pp = ppid ?? old?.ppid;
    if (pp !== undefined) p.ppid = pp;
    this.procs.set(pid, p);
  }

  /** Replaces what is known of a process with what the trace states whole (a fork, a statedump record). */
  putProcess(pid: number, facts: ProcessFacts): void {
    this.procs.set(pid, facts);
  }

  /** A `process` event with what is known; threads whose track declared another process are left out. */
  processEvent(pid: number, threads: { tid: number; name: string }[]): ProcessInfo {
    const proc = this.procs.get(pid);
    const ev: ProcessInfo = {
      kind: 'process',
      pid,
      name: proc?.name ?? threads[0]?.name ?? `pid ${pid}`,
      threads: threads.filter((x) => {
        const t = this.threads.get(x.tid);
        return !t || t.track < 0 || t.trackPid === pid;
      }),
    };
    if (proc?.ppid !== undefined) ev.ppid = proc.ppid;
    return ev;
  }

  // ------------------------------------------------------------ tracks

  /** The track of a thread, declared (or renamed) with the best names known now. */
  track(tid: number, cpu: number): number {
    if (tid === 0) return this.b.idleThread(cpu >= 0 ? cpu : 0);
    if (tid < 0) return this.b.cpuThread(cpu >= 0 ? cpu : 0);
    const t = this.thread(tid);
    const pid = t.pid > 0 ? t.pid : tid;
    const name = t.comm || this.procs.get(pid)?.name || `tid ${tid}`;
    if (t.track < 0 || t.trackName !== name) {
      if (t.track < 0) t.trackPid = pid;
      const procName = this.procs.get(t.trackPid)?.name ?? (t.trackPid === tid ? name : `pid ${t.trackPid}`);
      t.track = this.b.thread(tid, name, t.trackPid, procName);
      t.trackName = name;
    }
    return t.track;
  }
}

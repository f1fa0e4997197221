/**
 * A realistic LTTng kernel trace as `babeltrace2` prints it, for benchmarks: 8 CPUs, tasks of
 * several processes that make syscalls (some block and are woken again), get preempted, write
 * to a disk (block requests completed from an interrupt), device interrupts with softirqs, local
 * timer interrupts with hrtimers, a statedump at the start. Every CPU's switches are consistent
 * (each prev_tid is the task switched in before), so the trace is valid for Perfetto. The clock
 * starts 5 s before midnight, so long traces also cross it. Deterministic: the same size gives
 * the same bytes.
 */
import fs from 'node:fs';
import { rng } from './gen-function-graph.js';

interface Task {
  tid: number;
  pid: number;
  comm: string;
  /** lttng prio (kernel prio - 100). */
  prio: number;
  /** Syscall the task is in (blocked or running), or ''. */
  sys: string;
  /** Running on a CPU, runnable (waiting), or sleeping. */
  state: 'running' | 'runnable' | 'sleeping';
}

const CPUS = 8;
const HOST = 'benchhost';
const START_NS = (23 * 3600 + 59 * 60 + 55) * 1e9;
const DAY_NS = 86_400 * 1e9;

const SYSCALLS: { name: string; args: string; ret: string; block: number }[] = [
  { name: 'read', args: 'fd = 5, count = 4096', ret: 'ret = 4096, buf = 140735674528128', block: 0.25 },
  { name: 'write', args: 'fd = 7, count = 8192', ret: 'ret = 8192', block: 0.1 },
  { name: 'futex', args: 'uaddr = 94827348273920, op = 128, val = 2, utime = 0, uaddr2 = 0, val3 = 0', ret: 'ret = 0, uaddr = 94827348273920, uaddr2 = 0', block: 0.5 },
  { name: 'epoll_wait', args: 'epfd = 4, maxevents = 32, timeout = -1', ret: 'ret = 1, events = 140735674527904', block: 0.6 },
  { name: 'openat', args: 'dfd = -100, filename = "/var/lib/app/data.db", flags = 524288, mode = 0', ret: 'ret = 9', block: 0.05 },
  { name: 'close', args: 'fd = 9', ret: 'ret = 0', block: 0 },
  { name: 'mmap', args: 'addr = 0x0, len = 2097152, prot = 3, flags = 34, fd = -1, offset = 0', ret: 'ret = 0x7F3A2C000000', block: 0 },
  { name: 'clock_gettime', args: 'which_clock = 1', ret: 'ret = 0, tp = 140735674528000', block: 0 },
  { name: 'recvmsg', args: 'fd = 12, msg = 140735674527456, flags = 64', ret: 'ret = 324, msg = 140735674527456', block: 0.3 },
];

const PROCS: [string, number][] = [
  ['postgres', 4],
  ['nginx', 3],
  ['java', 6],
  ['redis-server', 2],
  ['sshd', 1],
  ['systemd-journal', 1],
  ['kworker/u16:2', 1],
  ['rcu_sched', 1],
];

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `HH:MM:SS.nnnnnnnnn` of the time of day. */
function tod(ns: number): string {
  const d = ns % DAY_NS;
  const s = Math.floor(d / 1e9);
  const frac = String(d - s * 1e9).padStart(9, '0');
  return `${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}.${frac}`;
}

/** Writes a babeltrace2-style kernel trace of at least `minBytes` bytes to `path`. */
export async function generateLttngText(path: string, minBytes: number): Promise<void> {
  const rand = rng(0x1f7a_c0de);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)]!;
  const out = fs.createWriteStream(path);
  let written = 0;
  let buf: string[] = [];
  let bufLen = 0;
  let now = START_NS;
  let last = -1;

  const flush = async () => {
    if (buf.length === 0) return;
    const chunk = buf.join('');
    buf = [];
    bufLen = 0;
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  };
  const emit = (cpu: number, event: string, fields: string) => {
    now += 100 + Math.floor(rand() * 6000);
    const delta = last < 0 ? '+?.?????????' : `+${Math.floor((now - last) / 1e9)}.${String((now - last) % 1e9).padStart(9, '0')}`;
    last = now;
    const line = `[${tod(now)}] (${delta}) ${HOST} ${event}: { cpu_id = ${cpu} }, ${fields ? `{ ${fields} }` : '{ }'}\n`;
    buf.push(line);
    bufLen += line.length;
    written += line.length;
  };

  // Tasks
  const tasks: Task[] = [];
  let nextTid = 1200;
  for (const [comm, threads] of PROCS) {
    const pid = nextTid;
    for (let k = 0; k < threads; k++) {
      tasks.push({ tid: nextTid++, pid, comm, prio: comm.startsWith('kworker') || comm.startsWith('rcu') ? 0 : 20, sys: '', state: 'runnable' });
    }
    nextTid += 7;
  }
  const cur: (Task | null)[] = new Array(CPUS).fill(null);
  const runq: Task[] = [...tasks];
  const inflight: { sector: number; cpu: number }[] = [];
  let sector = 1_048_576;

  // Statedump on CPU 0 (the session daemon's statedump thread).
  emit(0, 'lttng_statedump_start', '');
  for (const t of tasks) {
    emit(
      0,
      'lttng_statedump_process_state',
      `tid = ${t.tid}, vtid = ${t.tid}, pid = ${t.pid}, vpid = ${t.pid}, ppid = 1, vppid = 1, name = "${t.comm}", type = 0, mode = 5, submode = 0, status = 5, ns_level = 0`,
    );
  }
  emit(0, 'lttng_statedump_end', '');

  const switchTo = (cpu: number, next: Task | null, prevState: number) => {
    const prev = cur[cpu];
    const p = prev ? `prev_comm = "${prev.comm}", prev_tid = ${prev.tid}, prev_prio = ${prev.prio}` : `prev_comm = "swapper/${cpu}", prev_tid = 0, prev_prio = 20`;
    const n = next ? `next_comm = "${next.comm}", next_tid = ${next.tid}, next_prio = ${next.prio}` : `next_comm = "swapper/${cpu}", next_tid = 0, next_prio = 20`;
    emit(cpu, 'sched_switch', `${p}, prev_state = ${prevState}, ${n}`);
    if (prev) {
      prev.state = prevState === 0 || prevState === 256 ? 'runnable' : 'sleeping';
      if (prev.state === 'runnable') runq.push(prev);
    }
    if (next) {
      next.state = 'running';
      const k = runq.indexOf(next);
      if (k >= 0) runq.splice(k, 1);
    }
    cur[cpu] = next;
  };
  const wake = (cpu: number) => {
    const sleepers = tasks.filter((t) => t.state === 'sleeping');
    if (sleepers.length === 0) return;
    const t = pick(sleepers);
    const target = Math.floor(rand() * CPUS);
    emit(cpu, 'sched_waking', `comm = "${t.comm}", tid = ${t.tid}, prio = ${t.prio}, target_cpu = ${target}`);
    t.state = 'runnable';
    runq.push(t);
  };

  while (written < minBytes) {
    const cpu = Math.floor(rand() * CPUS);
    const task = cur[cpu];
    const r = rand();
    if (task === null) {
      if (r < 0.35) {
        // Device interrupt: completes a disk request, raises a softirq that wakes a sleeper.
        const irq = 24 + (cpu % 4);
        emit(cpu, 'irq_handler_entry', `irq = ${irq}, name = "nvme0q${cpu % 4}"`);
        const done = inflight.findIndex((x) => x.cpu === cpu) >= 0 ? inflight.findIndex((x) => x.cpu === cpu) : inflight.length ? 0 : -1;
        if (done >= 0) {
          const rq = inflight.splice(done, 1)[0]!;
          emit(cpu, 'block_rq_complete', `dev = 271581184, sector = ${rq.sector}, nr_sector = 16, error = 0, rwbs = 1`);
        }
        emit(cpu, 'irq_softirq_raise', 'vec = 4');
        emit(cpu, 'irq_handler_exit', `irq = ${irq}, ret = 1`);
        emit(cpu, 'irq_softirq_entry', 'vec = 4');
        wake(cpu);
        emit(cpu, 'irq_softirq_exit', 'vec = 4');
      } else if (r < 0.55) {
        // Local timer interrupt with its hrtimer.
        emit(cpu, 'x86_irq_vectors_local_timer_entry', 'vector = 236');
        emit(cpu, 'timer_hrtimer_expire_entry', `hrtimer = 0xFFFF88047FC${cpu}E620, now = ${Math.floor(now)}, function = 0xFFFFFFFF810F2A30`);
        if (rand() < 0.3) wake(cpu);
        emit(cpu, 'timer_hrtimer_expire_exit', `hrtimer = 0xFFFF88047FC${cpu}E620`);
        emit(cpu, 'x86_irq_vectors_local_timer_exit', 'vector = 236');
      } else if (runq.length) {
        switchTo(cpu, runq[0]!, 0);
      }
      if (bufLen > 1 << 20) await flush();
      continue;
    }
    if (task.sys) {
      // Back in (or still in) a syscall: return from it.
      const sc = SYSCALLS.find((s) => s.name === task.sys)!;
      emit(cpu, `syscall_exit_${sc.name}`, sc.ret);
      task.sys = '';
    } else if (r < 0.62) {
      const sc = pick(SYSCALLS);
      emit(cpu, `syscall_entry_${sc.name}`, sc.args);
      task.sys = sc.name;
      if (sc.name === 'write' && rand() < 0.5) {
        sector += 16;
        emit(cpu, 'block_rq_issue', `dev = 271581184, sector = ${sector}, nr_sector = 16, bytes = 8192, tid = ${task.tid}, rwbs = 1, comm = "${task.comm}"`);
        inflight.push({ sector, cpu: Math.floor(rand() * CPUS) });
        if (inflight.length > 64) {
          const rq = inflight.shift()!;
          emit(cpu, 'block_rq_complete', `dev = 271581184, sector = ${rq.sector}, nr_sector = 16, error = 0, rwbs = 1`);
        }
      }
      if (rand() < sc.block) {
        // Blocks: off the CPU until woken.
        const next = runq.length && rand() < 0.7 ? runq[0]! : null;
        switchTo(cpu, next, sc.name === 'read' || sc.name === 'openat' ? 2 : 1);
      } else if (rand() < 0.2) wake(cpu);
    } else if (r < 0.72 && runq.length) {
      // Preempted by a runnable task.
      emit(cpu, 'sched_stat_runtime', `comm = "${task.comm}", tid = ${task.tid}, runtime = ${Math.floor(rand() * 4e6)}, vruntime = ${Math.floor(now / 3)}`);
      switchTo(cpu, runq[0]!, 256);
    } else if (r < 0.8) {
      // Goes to sleep outside a syscall (e.g. page fault wait) or yields.
      switchTo(cpu, runq.length ? runq[0]! : null, 1);
    } else if (r < 0.9) {
      wake(cpu);
    } else {
      emit(cpu, 'sched_stat_runtime', `comm = "${task.comm}", tid = ${task.tid}, runtime = ${Math.floor(rand() * 4e6)}, vruntime = ${Math.floor(now / 3)}`);
    }
    if (bufLen > 1 << 20) await flush();
  }
  await flush();
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

/**
 * Records → model events. Owns what the text means: which task runs on each CPU, thread and
 * process names, the slices of syscalls, functions, interrupts, timers and I/O, and the clock.
 *
 * - Scheduling and interrupts become the model's own kinds (`sched-switch`, `sched-waking`,
 *   `irq`, `softirq`), so outputs can write them natively (Perfetto ftrace packets).
 * - A kernel event has no thread of its own: it belongs to the task running on its CPU, known
 *   from the last `sched_switch` there. Events before a CPU's first switch are held (bounded)
 *   until the switch names the task that was running (its `prev_tid`); fork, exec and exit
 *   events name it too. With `vtid`/`tid` context (or perf's `perf_tid`) the thread is known.
 * - Userspace events go to their `vtid` (else their process, `vpid`); `cyg_profile` function
 *   entries and exits nest per thread.
 * - Every other event is an instant with all its fields as args.
 */
import type { Report } from '../../model/diagnostics.js';
import type { Args, TraceEvent } from '../../model/events.js';
import { CAT } from '../../model/events.js';
import { MAX_DEPTH } from '../../model/limits.js';
import { PSEUDO_TID_BASE, SliceBuilder } from '../../model/slices.js';
import type { InputParser, ParseContext } from '../types.js';
import { PrevStateMapper } from './task-state.js';
import { type LttngRecord, tokenize, type TokenResult, type TsKind } from './tokenize.js';
import { addArg, EnumValue, type Fields, intOf, textOf, type Value } from './values.js';

/** Records held per input while waiting for CPUs' first context switch. */
export const PENDING_LIMIT = 50_000;
/**
 * Records held at the start until the kernel statedump has named every process (its end, or
 * this many records; fewer when no statedump started), so threads get their process from the
 * first event on.
 */
export const PREFIX_LIMIT = 50_000;
const PREFIX_NO_STATEDUMP = 10_000;
/** lttng-modules prints `prio - MAX_RT_PRIO`; ftrace (and Perfetto) use the kernel's prio. */
const LTTNG_PRIO_OFFSET = 100;
/** Pseudo process of DPDK threads (named by the trace's packet context, no tid). */
const DPDK_PID = PSEUDO_TID_BASE + (3 << 16);
const HALF_DAY = 43_200;
/** Block requests in flight per device (a lane each); beyond, completions were lost. */
const MAX_INFLIGHT = 256;

type Domain = 'kernel' | 'ust' | 'perf' | 'dpdk';

const enum Op {
  Instant,
  Switch,
  Waking,
  Wakeup,
  WakeupNew,
  Fork,
  Exec,
  Exit,
  Statedump,
  IrqEntry,
  IrqExit,
  SoftirqEntry,
  SoftirqExit,
  SysEntry,
  SysExit,
  SysExitAny,
  HrtimerEntry,
  HrtimerExit,
  TimerEntry,
  TimerExit,
  VectorEntry,
  VectorExit,
  IpiEntry,
  IpiExit,
  BlockIssue,
  BlockComplete,
  FuncEntry,
  FuncExit,
  UstProcname,
}

interface OpOf {
  op: Op;
  /** Syscall or vector name. */
  arg?: string;
}

/** Meaning of an event name (LTTng kernel names, perf `subsystem:event` names, UST names). */
function opOf(name: string, dom: Domain): OpOf {
  let n = name;
  if (dom === 'perf') {
    const c = name.indexOf(':');
    const sys = name.slice(0, c);
    n = name.slice(c + 1);
    if (sys === 'raw_syscalls') return n === 'sys_enter' ? { op: Op.SysEntry } : n === 'sys_exit' ? { op: Op.SysExitAny } : { op: Op.Instant };
    if (sys === 'syscalls') {
      if (n.startsWith('sys_enter_')) return { op: Op.SysEntry, arg: n.slice(10) };
      if (n.startsWith('sys_exit_')) return { op: Op.SysExit, arg: n.slice(9) };
      return { op: Op.Instant };
    }
    if (sys === 'irq_vectors') {
      if (n.endsWith('_entry')) return { op: Op.VectorEntry, arg: n.slice(0, -6) };
      if (n.endsWith('_exit')) return { op: Op.VectorExit, arg: n.slice(0, -5) };
      return { op: Op.Instant };
    }
  } else if (dom === 'ust') {
    const c = name.indexOf(':');
    const provider = name.slice(0, c);
    const ev = name.slice(c + 1);
    if (provider === 'lttng_ust_cyg_profile' || provider === 'lttng_ust_cyg_profile_fast') {
      if (ev === 'func_entry') return { op: Op.FuncEntry };
      if (ev === 'func_exit') return { op: Op.FuncExit };
    }
    if (name === 'lttng_ust_statedump:procname') return { op: Op.UstProcname };
    return { op: Op.Instant };
  } else if (dom === 'dpdk') return { op: Op.Instant };
  switch (n) {
    case 'sched_switch':
      return { op: Op.Switch };
    case 'sched_waking':
      return { op: Op.Waking };
    case 'sched_wakeup':
      return { op: Op.Wakeup };
    case 'sched_wakeup_new':
      return { op: Op.WakeupNew };
    case 'sched_process_fork':
      return { op: Op.Fork };
    case 'sched_process_exec':
      return { op: Op.Exec };
    case 'sched_process_exit':
      return { op: Op.Exit };
    case 'lttng_statedump_process_state':
      return { op: Op.Statedump };
    case 'irq_handler_entry':
      return { op: Op.IrqEntry };
    case 'irq_handler_exit':
      return { op: Op.IrqExit };
    case 'irq_softirq_entry':
    case 'softirq_entry':
      return { op: Op.SoftirqEntry };
    case 'irq_softirq_exit':
    case 'softirq_exit':
      return { op: Op.SoftirqExit };
    case 'timer_hrtimer_expire_entry':
    case 'hrtimer_expire_entry':
      return { op: Op.HrtimerEntry };
    case 'timer_hrtimer_expire_exit':
    case 'hrtimer_expire_exit':
      return { op: Op.HrtimerExit };
    case 'timer_expire_entry':
      return { op: Op.TimerEntry };
    case 'timer_expire_exit':
      return { op: Op.TimerExit };
    case 'ipi_entry':
      return { op: Op.IpiEntry };
    case 'ipi_exit':
      return { op: Op.IpiExit };
    case 'block_rq_issue':
      return { op: Op.BlockIssue };
    case 'block_rq_complete':
      return { op: Op.BlockComplete };
    case 'exit_syscall':
      return { op: Op.SysExitAny };
  }
  if (dom === 'kernel') {
    if (n.startsWith('syscall_entry_')) return { op: Op.SysEntry, arg: n.slice(14) };
    if (n.startsWith('syscall_exit_')) return { op: Op.SysExit, arg: n.slice(13) };
    if (n.startsWith('compat_syscall_entry_')) return { op: Op.SysEntry, arg: n.slice(21) };
    if (n.startsWith('compat_syscall_exit_')) return { op: Op.SysExit, arg: n.slice(20) };
    if (n.startsWith('x86_irq_vectors_')) {
      if (n.endsWith('_entry')) return { op: Op.VectorEntry, arg: n.slice(16, -6) };
      if (n.endsWith('_exit')) return { op: Op.VectorExit, arg: n.slice(16, -5) };
    }
    // lttng-modules < 2.7: `sys_open` entries and one `exit_syscall`.
    if (n.startsWith('sys_') && n.length > 4) return { op: Op.SysEntry, arg: n.slice(4) };
  }
  return { op: Op.Instant };
}

type Discarded = Extract<TokenResult, { kind: 'discarded' }> & { line: number };

interface CpuState {
  cpu: number;
  /** Task running here: a tid, -1 not known yet, -2 not knowable (a per-CPU pseudo-thread). */
  tid: number;
  comm: string;
  /** next_tid of the last sched_switch here, -1 before the first. */
  lastNext: number;
  /** Records waiting to learn the task (before the first sched_switch). */
  pending: LttngRecord[] | null;
  /** Kernel records that went to the pseudo-thread because the task was never learned. */
  unknownTask: number;
  /** Latest time on this CPU's scheduler and interrupt lanes: they never go back. */
  laneTs: number;
  /** The irq and softirq entries open on this CPU (line, irq or vec), innermost last. */
  irqOpen: { line: number; n: number }[];
  softirqOpen: { line: number; n: number }[];
}

interface ThreadState {
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

interface OpenSlice {
  key: string;
  cat: string;
  name: string;
}

interface Inflight {
  track: number;
  dev: number;
  slot: number;
}

/** Block request flags as blktrace letters: perf prints them, LTTng prints lttng's bit flags. */
function rwbsText(v: Value | undefined): string {
  if (typeof v === 'string' && !/^0[xb0-7]/.test(v)) return v.trim();
  let bits = intOf(v);
  if (v instanceof EnumValue && v.labels.length) {
    bits = 0;
    const names = ['WRITE', 'DISCARD', 'READ', 'RAHEAD', 'BARRIER', 'SYNC', 'META', 'SECURE', 'FLUSH', 'FUA', 'PREFLUSH'];
    for (const l of v.labels) {
      const k = names.findIndex((x) => l.endsWith(`_${x}`));
      if (k >= 0) bits |= 1 << k;
    }
  }
  if (!Number.isFinite(bits)) return 'I/O';
  // blktrace order: preflush, operation, FUA, readahead, sync, meta
  let s = bits & (1 << 10) ? 'F' : '';
  s += bits & 1 ? 'W' : bits & 2 ? 'D' : bits & 4 ? 'R' : 'N';
  if (bits & (1 << 9)) s += 'F';
  if (bits & 8) s += 'A';
  if (bits & 32) s += 'S';
  if (bits & 64) s += 'M';
  return s;
}

const basename = (p: string) => p.slice(p.lastIndexOf('/') + 1);
/** A task's comm is its executable's name cut to 15 bytes (TASK_COMM_LEN). */
const commOf = (file: string) => basename(file).slice(0, 15);

export class LttngTextParser implements InputParser {
  private readonly b: SliceBuilder;
  private readonly report: Report;
  private readonly cpus = new Map<number, CpuState>();
  private readonly threads = new Map<number, ThreadState>();
  private readonly procs = new Map<number, { name: string; ppid?: number }>();
  private readonly ops = new Map<string, OpOf>();
  private readonly stacks = new Map<number, OpenSlice[]>();
  private readonly inflight = new Map<string, Inflight>();
  private readonly devSlots = new Map<number, boolean[]>();
  private readonly dpdk = new Map<string, number>();
  private readonly states = new PrevStateMapper();
  private prefix: (LttngRecord | Discarded)[] | null = [];
  private statedumpStarted = false;
  private pendingTotal = 0;
  private holding = true;
  private sawWaking = false;
  private sawSwitch = false;
  // clock
  private tsKind: TsKind | undefined;
  private originSec = 0;
  private lastSec = -Infinity;
  private dayOffset = 0;
  private lastTs = 0;
  /** The true last time of the trace (times may go back on the way). */
  private maxTs = 0;
  private firstTs = NaN;
  // what the info event says
  private readonly hosts = new Set<string>();
  private readonly domains = new Set<Domain>();
  private printer1 = 0;
  private printer2 = 0;
  private records = 0;

  constructor(ctx: ParseContext) {
    this.report = ctx.report;
    this.b = new SliceBuilder(ctx.report, {
      unmatchedExit: 'lttng-text.unmatched-exit',
      unclosedEntry: 'lttng-text.unclosed-entry',
      timeBackwards: 'lttng-text.time-backwards',
    });
  }

  push(lines: string[], firstLine: number): TraceEvent[] {
    for (let k = 0; k < lines.length; k++) this.line(lines[k]!, firstLine + k);
    return this.b.take();
  }

  end(): TraceEvent[] {
    this.releasePrefix();
    this.flushPending(true);
    this.closeInterrupts();
    this.b.closeAll();
    const evs = this.b.take();
    evs.unshift(this.info());
    return evs;
  }

  private info(): TraceEvent {
    const notes: Record<string, string> = {};
    if (this.hosts.size) notes.hostname = [...this.hosts].slice(0, 4).join(', ');
    if (this.domains.size) notes.domains = [...this.domains].sort().join(', ');
    const kind = this.tsKind ?? 'none';
    notes.timestamps = {
      tod: 'time of day (HH:MM:SS) as babeltrace printed it; days are counted from the first line',
      date: 'date and time as babeltrace printed them (local time, or UTC with --clock-gmt)',
      seconds: 'seconds since the Unix epoch (--clock-seconds)',
      cycles: 'clock cycles (--clock-cycles), taken as nanoseconds (LTTng clocks run at 1 GHz)',
      none: 'none printed: events keep their order only',
    }[kind];
    if (this.sawSwitch) notes.prev_state = this.states.describe();
    const variant = this.printer2 && !this.printer1 ? 'babeltrace2' : this.printer1 && !this.printer2 ? 'babeltrace 1' : 'babeltrace';
    const info: TraceEvent = { kind: 'info', format: 'lttng-text', variant, clock: kind === 'none' ? 'none' : 'absolute', notes };
    if (kind !== 'none') info.clockOriginNs = this.originSec === 0 ? '0' : `${this.originSec}000000000`;
    return info;
  }

  private line(raw: string, no: number): void {
    const t = tokenize(raw, no);
    if ('line' in t) {
      this.records++;
      const pre = this.prefix;
      if (pre) {
        pre.push(t);
        const n = t.name;
        if (n.startsWith('lttng_statedump_')) this.statedumpStarted = true;
        if (n === 'lttng_statedump_end' || pre.length >= PREFIX_LIMIT || (!this.statedumpStarted && pre.length >= PREFIX_NO_STATEDUMP)) {
          this.releasePrefix();
        }
        return;
      }
      this.record(t);
      return;
    }
    switch (t.kind) {
      case 'blank':
        return;
      case 'unparsed':
        this.report('lttng-text.unparsed-line', no, `not parsed (${t.why})`);
        return;
      case 'discarded':
        if (this.prefix) this.prefix.push({ ...t, line: no });
        else this.discarded({ ...t, line: no });
        return;
    }
  }

  /** babeltrace's warning about lost events: a marker where it was printed. */
  private discarded(t: Discarded) {
    this.report('lttng-text.discarded-events', t.line, t.text);
    const args: Args = { message: t.text };
    if (t.count >= 0) args.count = t.count;
    this.b.instant(this.b.global('LTTng'), this.lastTs, `${t.what} discarded`, CAT.marker, t.line, args);
  }

  /** Learns processes and thread names from the held statedump, then processes what was held. */
  private releasePrefix() {
    const pre = this.prefix;
    if (!pre) return;
    this.prefix = null;
    for (const r of pre) {
      if ('kind' in r || r.name !== 'lttng_statedump_process_state') continue;
      const p = r.payload;
      const tid = intOf(p.tid);
      const pid = intOf(p.pid);
      const name = textOf(p.name);
      if (!Number.isFinite(tid) || tid <= 0 || !name) continue;
      const t = this.thread(tid);
      if (t.pid < 0 && pid > 0) t.pid = pid;
      if (!t.comm) t.comm = name;
      if (tid === pid && !this.procs.has(pid)) {
        const ppid = intOf(p.ppid);
        this.procs.set(pid, Number.isFinite(ppid) ? { name, ppid } : { name });
      }
    }
    for (const r of pre) {
      if ('kind' in r) this.discarded(r);
      else this.record(r);
    }
  }

  // ---------------------------------------------------------------- clock

  private time(r: LttngRecord): number {
    if (r.tsKind === 'none') {
      if (Number.isNaN(this.firstTs)) this.firstTs = 0;
      return this.lastTs;
    }
    let sec = r.sec;
    if (this.tsKind === undefined) {
      this.tsKind = r.tsKind;
      this.originSec = sec;
    } else if (r.tsKind !== this.tsKind) {
      // Outputs of different babeltrace options pasted together: continue from the last time.
      this.report('lttng-text.clock-change', r.line, `timestamps change from ${this.tsKind} to ${r.tsKind}: the new ones continue from the last time`);
      this.tsKind = r.tsKind;
      this.originSec = sec - Math.floor(this.lastTs / 1e9);
      this.lastSec = -Infinity;
      this.dayOffset = 0;
    }
    if (r.tsKind === 'tod') {
      sec += this.dayOffset * 86_400;
      if (sec < this.lastSec - HALF_DAY) {
        this.dayOffset++;
        sec += 86_400;
        this.report('lttng-text.day-rollover', r.line, 'the time of day went back by more than 12 hours: midnight passed, a day was added');
      }
    }
    this.lastSec = sec;
    const ts = (sec - this.originSec) * 1e9 + r.nsec;
    this.lastTs = ts;
    if (ts > this.maxTs && ts <= Number.MAX_SAFE_INTEGER) this.maxTs = ts;
    if (Number.isNaN(this.firstTs)) {
      this.firstTs = ts;
      this.b.observe(ts);
    }
    return ts;
  }

  // ---------------------------------------------------------------- records

  private domainOf(r: LttngRecord): Domain {
    const p = r.payload;
    if (p.perf_tid !== undefined || p.common_type !== undefined) return 'perf';
    if (r.domain === 'kernel') return 'kernel';
    const name = r.name;
    if (name.startsWith('lib.') || (r.ctx !== undefined && typeof r.ctx.name === 'string' && name.indexOf(':') === -1 && name.indexOf('.') !== -1)) return 'dpdk';
    if (r.domain === 'ust' || name.indexOf(':') !== -1) return 'ust';
    return 'kernel';
  }

  private opFor(name: string, dom: Domain): OpOf {
    const key = dom === 'kernel' ? name : `${dom}\u0000${name}`;
    let o = this.ops.get(key);
    if (!o) {
      o = opOf(name, dom);
      this.ops.set(key, o);
    }
    return o;
  }

  private cpuOf(r: LttngRecord): number {
    const v = r.ctx?.cpu_id ?? r.payload.perf_cpu;
    const n = intOf(v);
    return Number.isFinite(n) && n >= 0 ? n : -1;
  }

  private cpuState(cpu: number): CpuState {
    let c = this.cpus.get(cpu);
    if (!c) {
      c = { cpu, tid: -1, comm: '', lastNext: -1, pending: null, unknownTask: 0, laneTs: 0, irqOpen: [], softirqOpen: [] };
      this.cpus.set(cpu, c);
    }
    return c;
  }

  private record(r: LttngRecord): void {
    r.ts = this.time(r);
    if (r.host !== undefined && this.hosts.size < 8) this.hosts.add(r.host);
    if (r.printer === 2) this.printer2++;
    else if (r.printer === 1) this.printer1++;
    if (r.malformed) this.report('lttng-text.malformed-fields', r.line, `${r.malformed}: the fields read before it are kept`);
    const dom = this.domainOf(r);
    this.domains.add(dom);
    const cpu = this.cpuOf(r);
    if (cpu < 0) {
      this.dispatch(r, dom);
      return;
    }
    const cs = this.cpuState(cpu);
    if (cs.tid === -1 && dom === 'kernel') {
      // A witness of the task running here releases what waits for it.
      const w = this.witness(r);
      if (w) {
        this.release(cs, w.tid, w.comm);
        this.dispatch(r, dom);
        return;
      }
    }
    // While a CPU's records wait, every later record of that CPU waits too (per-CPU order).
    if (cs.pending) {
      this.hold(cs, r);
      return;
    }
    if (cs.tid === -1 && dom === 'kernel' && this.holding && !this.hasThreadContext(r)) {
      cs.pending = [];
      this.hold(cs, r);
      return;
    }
    this.dispatch(r, dom);
  }

  private hold(cs: CpuState, r: LttngRecord) {
    cs.pending!.push(r);
    if (++this.pendingTotal > PENDING_LIMIT) {
      this.report('lttng-text.pending-overflow', r.line, `more than ${PENDING_LIMIT} events before the first sched_switch of some CPUs: their task stays unknown`);
      this.holding = false;
      this.flushPending(false);
    }
  }

  /** The task that runs on the record's CPU, when the record says it. */
  private witness(r: LttngRecord): { tid: number; comm: string } | undefined {
    const o = this.opFor(r.name, 'kernel').op;
    const p = r.payload;
    let tid = NaN;
    let comm: string | undefined;
    if (o === Op.Switch) {
      tid = intOf(p.prev_tid ?? p.prev_pid);
      comm = textOf(p.prev_comm);
    } else if (o === Op.Fork) {
      tid = intOf(p.parent_tid ?? p.parent_pid);
      comm = textOf(p.parent_comm);
    } else if (o === Op.Exec || o === Op.Exit) {
      tid = intOf(p.tid ?? p.pid);
      comm = o === Op.Exit ? textOf(p.comm) : undefined;
    }
    if (!Number.isFinite(tid) || tid < 0) return undefined;
    return { tid, comm: comm ?? this.threads.get(tid)?.comm ?? '' };
  }

  private hasThreadContext(r: LttngRecord): boolean {
    const c = r.ctx;
    return c !== undefined && (c.vtid !== undefined || c.tid !== undefined);
  }

  /** The task of a CPU is known: replay what waited for it. */
  private release(cs: CpuState, tid: number, comm: string) {
    cs.tid = tid;
    if (comm) cs.comm = comm;
    if (tid > 0 && comm) this.setComm(tid, comm);
    const held = cs.pending;
    if (!held) return;
    cs.pending = null;
    this.pendingTotal -= held.length;
    for (const r of held) this.dispatch(r, this.domainOf(r));
  }

  /** A time on a CPU's scheduler/interrupt lanes: never before the last one there. */
  private laneTime(cs: CpuState, ts: number): number {
    if (ts > cs.laneTs) cs.laneTs = ts;
    return cs.laneTs;
  }

  /** irq and softirq handlers still running when the trace ended close at its last time. */
  private closeInterrupts() {
    for (const cs of [...this.cpus.values()].sort((a, b) => a.cpu - b.cpu)) {
      const ts = this.laneTime(cs, this.maxTs);
      while (cs.softirqOpen.length) {
        const o = cs.softirqOpen.pop()!;
        this.report('lttng-text.unclosed-entry', o.line, `softirq on CPU ${cs.cpu} has no exit: closed at the last time of the trace`);
        this.b.out.push({ kind: 'softirq', phase: 'exit', ts, cpu: cs.cpu, tid: this.current(cs.cpu), vec: o.n });
      }
      while (cs.irqOpen.length) {
        const o = cs.irqOpen.pop()!;
        this.report('lttng-text.unclosed-entry', o.line, `IRQ ${o.n} on CPU ${cs.cpu} has no exit: closed at the last time of the trace`);
        this.b.out.push({ kind: 'irq', phase: 'exit', ts, cpu: cs.cpu, tid: this.current(cs.cpu), irq: o.n });
      }
    }
  }

  /** Releases every CPU's held records on its pseudo-thread (the input ended, or too much is held). */
  private flushPending(atEnd: boolean) {
    for (const cs of this.cpus.values()) {
      if (!cs.pending) continue;
      const held = cs.pending;
      cs.pending = null;
      this.pendingTotal -= held.length;
      if (cs.tid === -1) cs.tid = -2;
      for (const r of held) this.dispatch(r, this.domainOf(r));
      if (atEnd) cs.tid = cs.tid === -2 ? -1 : cs.tid;
    }
    if (atEnd) {
      for (const cs of [...this.cpus.values()].sort((a, b) => a.cpu - b.cpu)) {
        if (cs.unknownTask > 0) {
          this.report(
            'lttng-text.unknown-task',
            0,
            `${cs.unknownTask} kernel events on CPU ${cs.cpu} came before any sched_switch there: they are on the thread "CPU ${cs.cpu}"`,
          );
        }
      }
    }
  }

  // ---------------------------------------------------------------- threads

  private thread(tid: number): ThreadState {
    let t = this.threads.get(tid);
    if (!t) {
      t = { tid, pid: -1, comm: '', track: -1, trackName: '', trackPid: -1, exited: false };
      this.threads.set(tid, t);
    }
    return t;
  }

  private setComm(tid: number, comm: string) {
    if (tid <= 0 || !comm) return;
    const t = this.thread(tid);
    if (t.comm === comm) return;
    t.comm = comm;
    // A process is named after its main thread (prctl/exec rename it).
    if (t.pid === tid) {
      const proc = this.procs.get(tid);
      if (proc && proc.name !== comm) {
        proc.name = comm;
        this.emitProcess(tid, [{ tid, name: comm }]);
      }
    }
  }

  /** A `process` event with what is known of it; threads whose track declared another process are left out. */
  private emitProcess(pid: number, threads: { tid: number; name: string }[]) {
    const proc = this.procs.get(pid);
    const ev: TraceEvent = {
      kind: 'process',
      pid,
      name: proc?.name ?? threads[0]?.name ?? `pid ${pid}`,
      threads: threads.filter((x) => {
        const t = this.threads.get(x.tid);
        return !t || t.track < 0 || t.trackPid === pid;
      }),
    };
    if (proc?.ppid !== undefined) ev.ppid = proc.ppid;
    this.b.out.push(ev);
  }

  private setPid(tid: number, pid: number) {
    if (tid <= 0 || !Number.isFinite(pid) || pid <= 0) return;
    this.thread(tid).pid = pid;
  }

  private procName(pid: number): string | undefined {
    return this.procs.get(pid)?.name;
  }

  /** The track of a thread, created (or renamed) with the best names known now. */
  private threadTrack(tid: number, cpu: number): number {
    if (tid === 0) return this.b.idleThread(cpu >= 0 ? cpu : 0);
    const t = this.thread(tid);
    const pid = t.pid > 0 ? t.pid : tid;
    const name = t.comm || this.procName(pid) || `tid ${tid}`;
    if (t.track < 0 || t.trackName !== name) {
      // The builder keeps the process of a thread's first declaration.
      if (t.track < 0) t.trackPid = pid;
      t.track = this.b.thread(tid, name, t.trackPid, this.procName(t.trackPid) ?? (t.trackPid === tid ? name : `pid ${t.trackPid}`));
      t.trackName = name;
    }
    return t.track;
  }

  /** Where a record's slices and instants go. */
  private trackOf(r: LttngRecord, dom: Domain, cpu: number): number {
    const c = r.ctx;
    const p = r.payload;
    let tid = NaN;
    let pid = NaN;
    if (dom === 'perf') {
      tid = intOf(p.perf_tid);
      pid = intOf(p.perf_pid);
    } else if (dom === 'dpdk') {
      const name = textOf(c?.name) ?? 'dpdk';
      let id = this.dpdk.get(name);
      if (id === undefined) {
        id = this.b.thread(DPDK_PID + 1 + this.dpdk.size, name, DPDK_PID, 'DPDK');
        this.dpdk.set(name, id);
      }
      return id;
    } else if (c) {
      tid = intOf(c.vtid ?? c.tid);
      pid = intOf(c.vpid ?? c.pid);
    }
    if (!Number.isFinite(pid) && r.vpid !== undefined) pid = r.vpid;
    if (Number.isFinite(tid) && tid >= 0) {
      if (tid > 0) {
        this.setPid(tid, pid);
        const procname = textOf(c?.procname);
        if (procname) this.setComm(tid, procname);
        else if (r.procname && tid === pid) this.setComm(tid, r.procname);
        if (pid === tid && (procname || r.procname) && !this.procs.has(pid)) this.procs.set(pid, { name: (procname || r.procname)! });
      }
      return this.threadTrack(tid, cpu);
    }
    if (dom === 'ust') {
      if (Number.isFinite(pid) && pid > 0) {
        const name = textOf(c?.procname) ?? r.procname;
        if (name) {
          this.setComm(pid, name);
          if (!this.procs.has(pid)) this.procs.set(pid, { name });
        }
        this.setPid(pid, pid);
        return this.threadTrack(pid, cpu);
      }
      return cpu >= 0 ? this.b.cpuThread(cpu) : this.b.global('events');
    }
    if (cpu < 0) return this.b.global('events');
    const cs = this.cpuState(cpu);
    if (cs.tid >= 0) return this.threadTrack(cs.tid, cpu);
    cs.unknownTask++;
    return this.b.cpuThread(cpu);
  }

  /** The task running on a CPU for ftrace events' `pid` (0 when not known). */
  private current(cpu: number): number {
    const t = this.cpus.get(cpu)?.tid ?? -1;
    return t >= 0 ? t : 0;
  }

  // ---------------------------------------------------------------- slices

  private open(track: number, ts: number, name: string, key: string, cat: string, line: number, args?: Args) {
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
  private close(track: number, ts: number, key: string | undefined, cat: string, name: string, line: number, args?: Args) {
    const st = this.stacks.get(track);
    if (!st || st.length === 0) {
      // It was running since before the first event of the trace.
      this.b.end(track, ts, line, name, ts - this.firstTs, args, cat);
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

  private top(track: number): OpenSlice | undefined {
    const st = this.stacks.get(track);
    return st && st.length ? st[st.length - 1] : undefined;
  }

  // ---------------------------------------------------------------- meaning

  private argsOf(r: LttngRecord, withContext: boolean): Args | undefined {
    const out: Args = {};
    const p = r.payload;
    for (const k of Object.keys(p)) addArg(out, k, p[k]!);
    if (withContext && r.ctx) {
      const c = r.ctx;
      for (const k of Object.keys(c)) addArg(out, k in out ? `context.${k}` : k, c[k]!);
    }
    for (const _ in out) return out;
    return undefined;
  }

  private instant(r: LttngRecord, dom: Domain, cpu: number, name = r.name) {
    this.b.instant(this.trackOf(r, dom, cpu), r.ts, name, CAT.event, r.line, this.argsOf(r, true));
  }

  private dispatch(r: LttngRecord, dom: Domain): void {
    const { op, arg } = this.opFor(r.name, dom);
    const cpu = this.cpuOf(r);
    const p = r.payload;
    const ts = r.ts;
    const b = this.b;
    b.cpu = cpu;
    switch (op) {
      case Op.Instant:
        this.instant(r, dom, cpu);
        return;
      case Op.Switch:
        this.schedSwitch(r, dom, cpu < 0 ? 0 : cpu);
        return;
      case Op.Waking:
        this.sawWaking = true;
        this.waking(r, dom, cpu < 0 ? 0 : cpu, 'waking');
        return;
      case Op.Wakeup:
        // With sched_waking in the trace, sched_wakeup is the second half of the same wake-up.
        if (this.sawWaking) this.instant(r, dom, cpu);
        else this.waking(r, dom, cpu < 0 ? 0 : cpu, 'wakeup');
        return;
      case Op.WakeupNew:
        this.waking(r, dom, cpu < 0 ? 0 : cpu, 'wakeup_new');
        return;
      case Op.Fork:
        this.fork(r, dom);
        this.instant(r, dom, cpu);
        return;
      case Op.Exec:
        this.exec(r, dom);
        this.instant(r, dom, cpu);
        return;
      case Op.Exit:
        this.instant(r, dom, cpu);
        this.exit(r, dom);
        return;
      case Op.Statedump:
        this.statedump(r);
        this.instant(r, dom, cpu);
        return;
      case Op.IrqEntry:
      case Op.IrqExit: {
        const irq = intOf(p.irq);
        if (!Number.isFinite(irq) || cpu < 0) break;
        const cs = this.cpuState(cpu);
        if (op === Op.IrqEntry) {
          if (cs.irqOpen.length >= MAX_DEPTH) {
            this.report('limit.depth', r.line, `more than ${MAX_DEPTH} irq handlers open on CPU ${cpu}: kept as an instant`);
            this.instant(r, dom, cpu);
            return;
          }
          cs.irqOpen.push({ line: r.line, n: irq });
          const e: TraceEvent = { kind: 'irq', phase: 'entry', ts: this.laneTime(cs, ts), cpu, tid: this.current(cpu), irq };
          const name = textOf(p.name);
          if (name !== undefined) e.name = name;
          b.out.push(e);
        } else {
          if (cs.irqOpen.length === 0) {
            this.report('lttng-text.unmatched-exit', r.line, `irq_handler_exit of IRQ ${irq} on CPU ${cpu} without its entry: kept as an instant`);
            this.instant(r, dom, cpu);
            return;
          }
          cs.irqOpen.pop();
          const e: TraceEvent = { kind: 'irq', phase: 'exit', ts: this.laneTime(cs, ts), cpu, tid: this.current(cpu), irq };
          const ret = intOf(p.ret);
          if (Number.isFinite(ret)) e.ret = ret;
          b.out.push(e);
        }
        return;
      }
      case Op.SoftirqEntry:
      case Op.SoftirqExit: {
        const vec = intOf(p.vec);
        if (!Number.isFinite(vec) || cpu < 0) break;
        const cs = this.cpuState(cpu);
        if (op === Op.SoftirqEntry) {
          if (cs.softirqOpen.length >= MAX_DEPTH) {
            this.report('limit.depth', r.line, `more than ${MAX_DEPTH} softirqs open on CPU ${cpu}: kept as an instant`);
            this.instant(r, dom, cpu);
            return;
          }
          cs.softirqOpen.push({ line: r.line, n: vec });
        } else if (cs.softirqOpen.length === 0) {
          this.report('lttng-text.unmatched-exit', r.line, `softirq_exit on CPU ${cpu} without its entry: kept as an instant`);
          this.instant(r, dom, cpu);
          return;
        } else cs.softirqOpen.pop();
        b.out.push({ kind: 'softirq', phase: op === Op.SoftirqEntry ? 'entry' : 'exit', ts: this.laneTime(cs, ts), cpu, tid: this.current(cpu), vec });
        return;
      }
      case Op.SysEntry: {
        const name = arg ?? this.rawSyscallName(p);
        this.open(this.trackOf(r, dom, cpu), ts, name, name, CAT.syscall, r.line, this.argsOf(r, false));
        return;
      }
      case Op.SysExit:
      case Op.SysExitAny: {
        const track = this.trackOf(r, dom, cpu);
        const name = arg ?? this.top(track)?.name ?? this.rawSyscallName(p);
        // clone/fork also return in the child, which never entered them.
        if ((name === 'clone' || name === 'clone3' || name === 'fork' || name === 'vfork') && this.top(track)?.key !== name) {
          b.instant(track, ts, `${name} (child returns)`, CAT.syscall, r.line, this.argsOf(r, false));
          return;
        }
        this.close(track, ts, op === Op.SysExit ? name : undefined, CAT.syscall, name, r.line, this.argsOf(r, false));
        return;
      }
      case Op.HrtimerEntry:
      case Op.TimerEntry: {
        if (cpu < 0) break;
        const what = op === Op.HrtimerEntry ? 'hrtimer' : 'timer';
        const fn = textOf(p.function);
        this.open(b.cpuLane(cpu, `CPU ${cpu} timers`), ts, fn ? `${what} ${fn}` : what, `${what}:${textOf(p[what]) ?? ''}`, 'timer', r.line, this.argsOf(r, false));
        return;
      }
      case Op.HrtimerExit:
      case Op.TimerExit: {
        if (cpu < 0) break;
        const what = op === Op.HrtimerExit ? 'hrtimer' : 'timer';
        this.close(b.cpuLane(cpu, `CPU ${cpu} timers`), ts, `${what}:${textOf(p[what]) ?? ''}`, 'timer', what, r.line, this.argsOf(r, false));
        return;
      }
      case Op.VectorEntry:
      case Op.IpiEntry: {
        if (cpu < 0) break;
        const name = op === Op.VectorEntry ? arg! : (textOf(p.reason) ?? 'ipi');
        this.open(b.cpuLane(cpu, `CPU ${cpu} vectors`), ts, name, name, CAT.irq, r.line, this.argsOf(r, false));
        return;
      }
      case Op.VectorExit:
      case Op.IpiExit: {
        if (cpu < 0) break;
        const name = op === Op.VectorExit ? arg! : (textOf(p.reason) ?? 'ipi');
        this.close(b.cpuLane(cpu, `CPU ${cpu} vectors`), ts, name, CAT.irq, name, r.line, this.argsOf(r, false));
        return;
      }
      case Op.BlockIssue:
        this.blockIssue(r, dom, cpu);
        return;
      case Op.BlockComplete:
        this.blockComplete(r, dom, cpu);
        return;
      case Op.FuncEntry:
      case Op.FuncExit: {
        // cyg_profile prints addr (and call_site) on both; cyg_profile_fast's exit has no fields.
        const addr = textOf(p.addr);
        const track = this.trackOf(r, dom, cpu);
        if (op === Op.FuncEntry) {
          const args: Args = { addr: addr ?? '?' };
          const site = textOf(p.call_site);
          if (site !== undefined) args.call_site = site;
          this.open(track, ts, this.functionName(r, addr ?? '?'), addr ?? '?', CAT.function, r.line, args);
        } else {
          const name = addr !== undefined ? this.functionName(r, addr) : (this.top(track)?.name ?? '[unknown]');
          this.close(track, ts, addr, CAT.function, name, r.line);
        }
        return;
      }
      case Op.UstProcname: {
        const pid = intOf(r.ctx?.vpid) || r.vpid || NaN;
        const name = textOf(p.procname);
        if (Number.isFinite(pid) && name) {
          this.procs.set(pid, { ...this.procs.get(pid), name });
          this.setComm(pid, name);
          this.emitProcess(pid, []);
        }
        this.instant(r, dom, cpu);
        return;
      }
    }
    // Known name, unexpected fields: keep it as an instant.
    this.instant(r, dom, cpu);
  }

  private rawSyscallName(p: Fields): string {
    const id = intOf(p.id);
    return Number.isFinite(id) ? `sys_${id}` : 'syscall';
  }

  /** debug_info's function (without its offset) when babeltrace resolved it, else the address. */
  private functionName(r: LttngRecord, addr: string): string {
    const di = r.ctx?.debug_info;
    if (di && typeof di === 'object' && !Array.isArray(di) && !(di instanceof EnumValue)) {
      const fn = textOf((di as Fields).func);
      if (fn) {
        const plus = fn.lastIndexOf('+0x');
        return plus > 0 ? fn.slice(0, plus) : fn;
      }
    }
    return addr;
  }

  private schedSwitch(r: LttngRecord, dom: Domain, cpu: number) {
    const p = r.payload;
    const prevTid = intOf(p.prev_tid ?? p.prev_pid);
    const nextTid = intOf(p.next_tid ?? p.next_pid);
    if (!Number.isFinite(prevTid) || !Number.isFinite(nextTid)) {
      this.report('lttng-text.malformed-fields', r.line, 'sched_switch without prev_tid/next_tid: kept as an instant');
      this.instant(r, dom, cpu);
      return;
    }
    this.sawSwitch = true;
    const off = dom === 'kernel' ? LTTNG_PRIO_OFFSET : 0;
    const prio = (v: Value | undefined) => {
      const n = intOf(v);
      return Number.isFinite(n) ? n + off : 120;
    };
    const prevComm = textOf(p.prev_comm) ?? '';
    const nextComm = textOf(p.next_comm) ?? '';
    const prevPrio = prio(p.prev_prio);
    const exited = prevTid > 0 && (this.threads.get(prevTid)?.exited ?? false);
    const prevState = this.states.map(intOf(p.prev_state), exited);
    const cs = this.cpuState(cpu);
    // Switches on a CPU stay in time order, or a reader sorting by time would break the chain of tids.
    const ts = this.laneTime(cs, r.ts);
    if (cs.lastNext >= 0 && cs.lastNext !== prevTid) {
      // Events were lost: switch in the task this one takes over from, at the same time.
      this.report('lttng-text.sched-mismatch', r.line, `CPU ${cpu}: switch from ${prevComm}:${prevTid}, but ${cs.comm}:${cs.lastNext} was switched in: a switch between them was synthesised`);
      this.b.out.push({
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
    this.b.out.push({ kind: 'sched-switch', ts, cpu, prevTid, prevComm, prevPrio, prevState, nextTid, nextComm, nextPrio });
    if (nextTid > 0) {
      const t = this.thread(nextTid);
      if (t.exited) t.exited = false; // the tid was reused
    }
    this.setComm(prevTid, prevComm);
    this.setComm(nextTid, nextComm);
    cs.tid = nextTid;
    cs.comm = nextComm;
    cs.lastNext = nextTid;
  }

  private waking(r: LttngRecord, dom: Domain, cpu: number, source: 'waking' | 'wakeup' | 'wakeup_new') {
    const p = r.payload;
    const tid = intOf(p.tid ?? p.pid);
    if (!Number.isFinite(tid)) {
      this.instant(r, dom, cpu);
      return;
    }
    const comm = textOf(p.comm) ?? '';
    const prio = intOf(p.prio);
    const target = intOf(p.target_cpu);
    const e: TraceEvent = {
      kind: 'sched-waking',
      ts: this.laneTime(this.cpuState(cpu), r.ts),
      cpu,
      tid,
      comm,
      prio: Number.isFinite(prio) ? prio + (dom === 'kernel' ? LTTNG_PRIO_OFFSET : 0) : 120,
      targetCpu: Number.isFinite(target) ? target : cpu,
    };
    const waker = dom === 'perf' ? intOf(p.perf_tid) : (this.cpus.get(cpu)?.tid ?? -1);
    if (Number.isFinite(waker) && waker >= 0) e.wakerTid = waker;
    e.source = source;
    this.b.out.push(e);
    this.setComm(tid, comm);
  }

  private fork(r: LttngRecord, dom: Domain) {
    const p = r.payload;
    const childComm = textOf(p.child_comm) ?? '';
    const parentComm = textOf(p.parent_comm) ?? '';
    // perf (ftrace names): *_pid are thread ids and the process is not printed.
    const childTid = intOf(dom === 'perf' ? p.child_pid : (p.child_tid ?? p.child_pid));
    const parentTid = intOf(dom === 'perf' ? p.parent_pid : (p.parent_tid ?? p.parent_pid));
    if (!Number.isFinite(childTid)) return;
    const t = this.thread(childTid);
    t.exited = false;
    this.setComm(childTid, childComm);
    if (Number.isFinite(parentTid)) this.setComm(parentTid, parentComm);
    if (dom === 'perf') return;
    const childPid = intOf(p.child_pid);
    const parentPid = intOf(p.parent_pid);
    if (!Number.isFinite(childPid)) return;
    this.setPid(childTid, childPid);
    if (childPid === childTid) {
      // A new process.
      const proc = Number.isFinite(parentPid) ? { name: childComm, ppid: parentPid } : { name: childComm };
      this.procs.set(childPid, proc);
    } else if (!this.procs.has(childPid)) {
      // A new thread of a process the trace did not name yet: its parent thread's name will do.
      this.procs.set(childPid, { name: parentComm || childComm });
    }
    this.emitProcess(childPid, [{ tid: childTid, name: childComm }]);
  }

  private exec(r: LttngRecord, dom: Domain) {
    const p = r.payload;
    const tid = intOf(dom === 'perf' ? p.pid : (p.tid ?? p.pid));
    const file = textOf(p.filename);
    if (!Number.isFinite(tid) || tid <= 0 || !file) return;
    const comm = commOf(file);
    // exec leaves the caller as its process's only thread, with the process id as tid.
    this.setPid(tid, tid);
    this.procs.set(tid, { ...this.procs.get(tid), name: comm });
    this.setComm(tid, comm);
    this.emitProcess(tid, [{ tid, name: comm }]);
  }

  private exit(r: LttngRecord, dom: Domain) {
    const p = r.payload;
    const tid = intOf(dom === 'perf' ? p.pid : (p.tid ?? p.pid));
    if (!Number.isFinite(tid) || tid <= 0) return;
    const t = this.thread(tid);
    t.exited = true;
    // exit/exit_group never return: their slice ends with the task.
    if (t.track >= 0) {
      const top = this.top(t.track);
      if (top && top.cat === CAT.syscall && (top.key === 'exit' || top.key === 'exit_group')) {
        this.close(t.track, r.ts, top.key, CAT.syscall, top.name, r.line);
      }
    }
  }

  private statedump(r: LttngRecord) {
    const p = r.payload;
    const tid = intOf(p.tid);
    const pid = intOf(p.pid);
    const name = textOf(p.name) ?? '';
    if (!Number.isFinite(tid) || !Number.isFinite(pid) || tid <= 0) return;
    this.setPid(tid, pid);
    this.setComm(tid, name);
    const ppid = intOf(p.ppid);
    if (tid === pid) this.procs.set(pid, Number.isFinite(ppid) ? { name, ppid } : { name });
    else if (!this.procs.has(pid)) this.procs.set(pid, { name });
    this.emitProcess(pid, [{ tid, name }]);
  }

  private blockIssue(r: LttngRecord, dom: Domain, cpu: number) {
    const p = r.payload;
    const dev = intOf(p.dev);
    const sector = textOf(p.sector);
    if (!Number.isFinite(dev) || sector === undefined) {
      this.instant(r, dom, cpu);
      return;
    }
    const key = `${dev}:${sector}`;
    const old = this.inflight.get(key);
    if (old) this.blockDone(key, old, r.ts, r.line, { reissued: true });
    let slots = this.devSlots.get(dev);
    if (!slots) this.devSlots.set(dev, (slots = []));
    let slot = slots.indexOf(false);
    if (slot === -1 && slots.length >= MAX_INFLIGHT) {
      // Completions were lost: the device's oldest request gives its lane up.
      let oldest: [string, Inflight] | undefined;
      for (const e of this.inflight) {
        if (e[1].dev === dev) {
          oldest = e;
          break;
        }
      }
      if (oldest) {
        this.report('lttng-text.lost-exit', r.line, `more than ${MAX_INFLIGHT} requests in flight on one device: the oldest is closed here`);
        this.blockDone(oldest[0], oldest[1], r.ts, r.line, { truncated: true });
        slot = oldest[1].slot;
      }
    }
    if (slot === -1) slot = slots.length;
    slots[slot] = true;
    const track = this.b.global(`block ${dev >>> 20},${dev & 0xfffff}${slot ? ` #${slot + 1}` : ''}`);
    this.inflight.set(key, { track, dev, slot });
    this.open(track, r.ts, rwbsText(p.rwbs), key, CAT.io, r.line, this.argsOf(r, false));
  }

  private blockComplete(r: LttngRecord, dom: Domain, cpu: number) {
    const p = r.payload;
    const dev = intOf(p.dev);
    const key = `${dev}:${textOf(p.sector)}`;
    const f = this.inflight.get(key);
    if (!f) {
      this.report('lttng-text.unmatched-exit', r.line, 'block_rq_complete without its block_rq_issue: kept as an instant');
      this.instant(r, dom, cpu);
      return;
    }
    this.blockDone(key, f, r.ts, r.line, this.argsOf(r, false));
  }

  private blockDone(key: string, f: Inflight, ts: number, line: number, args?: Args) {
    this.inflight.delete(key);
    this.devSlots.get(f.dev)![f.slot] = false;
    this.close(f.track, ts, key, CAT.io, 'I/O', line, args);
  }
}

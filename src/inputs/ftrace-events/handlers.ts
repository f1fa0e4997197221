/**
 * Trace events → model events, one small handler per meaning (see meaning.ts). Every ftrace line
 * names the task it ran in, so, unlike LTTng text, nothing waits to learn a CPU's task: the
 * line's own pid is the thread, and for interrupts the task they interrupted.
 *
 * Shapes follow the LTTng input's, so both give the same kinds of tracks: `sched-switch`,
 * `sched-waking`, `irq`, `softirq` events; syscall slices on the thread (cat `syscall`); timers
 * on `CPU N timers`, x86 vectors and IPIs on `CPU N vectors`, block requests on `block M,m`
 * lanes, work items on the worker's thread; `cpu_frequency`/`cpu_idle` counters.
 */
import type { Report } from '../../model/diagnostics.js';
import type { Args, SliceBegin, SliceEnd, TraceEvent } from '../../model/events.js';
import { CAT } from '../../model/events.js';
import type { SliceBuilder } from '../../model/slices.js';
import type { TaskTable } from '../../model/tasks.js';
import { kernelState, parseBlock, parseKv, parseSwitch, parseSyscallArgs, parseWakeup, type SwitchFields, type WakeFields } from './fields.js';
import type { RawEntry } from './raw.js';
import type { KeyedSlices } from '../../model/keyed-slices.js';
import { contextOf, type Meaning, Op } from './meaning.js';
import { x86_64Syscall } from './syscalls-x86_64.js';

/** One event line, as the handlers see it. */
export interface Ev {
  name: string;
  rest: string;
  ts: number;
  cpu: number;
  /** Task the line ran in (its head's pid). */
  tid: number;
  flags: string;
  line: number;
  track: number;
}

const basename = (p: string) => p.slice(p.lastIndexOf('/') + 1);

export class Handlers {
  private sawWaking = false;
  /** next pid of each CPU's last sched_switch. */
  private readonly lastNext = new Map<number, { tid: number; comm: string }>();
  /** Latest time given to each CPU's sched and interrupt events. */
  private readonly laneTs = new Map<number, number>();
  /** Raw syscall numbers are x86_64's (the trace says so, or says no architecture). */
  x86_64 = true;

  constructor(
    private readonly b: SliceBuilder,
    private readonly tasks: TaskTable,
    private readonly keyed: KeyedSlices,
    private readonly report: Report,
  ) {}

  private args(e: Ev, extra?: Args): Args {
    const a = extra ?? parseKv(e.rest);
    if (e.flags) a.flags = e.flags;
    return a;
  }

  instant(e: Ev, name = e.name, cat: string = CAT.event, args?: Args): void {
    this.b.instant(e.track, e.ts, name, cat, e.line, this.args(e, args));
  }

  /**
   * The time of a CPU's sched, wake-up or interrupt event: never before the CPU's previous one,
   * or a reader sorting by time would break the chain of switched-in tasks (or an interrupt's
   * entry and exit) that the input's order gave.
   */
  private laneTime(e: Ev): number {
    const last = this.laneTs.get(e.cpu);
    if (last === undefined || e.ts >= last) {
      this.laneTs.set(e.cpu, e.ts);
      return e.ts;
    }
    if (last - e.ts > 1000) this.report('ftrace-events.time-backwards', e.line, `CPU ${e.cpu}: ${e.name} is ${last - e.ts} ns before the CPU's previous sched or interrupt event: moved forward to it`);
    return last;
  }

  private malformed(e: Ev, what: string) {
    this.report('ftrace-events.malformed-fields', e.line, `${e.name}: ${what}; kept as an instant`);
    this.instant(e);
  }

  handle(e: Ev, m: Meaning): void {
    const b = this.b;
    // Slices opened for this event record the CPU it ran on (for --cpu and the CSV column).
    b.cpu = e.cpu;
    switch (m.op) {
      case Op.Switch:
        return this.schedSwitch(e);
      case Op.Waking:
        this.sawWaking = true;
        return this.waking(e, 'waking');
      case Op.Wakeup:
        // With sched_waking in the trace, sched_wakeup is the second half of the same wake-up.
        if (this.sawWaking) return this.instant(e);
        return this.waking(e, 'wakeup');
      case Op.WakeupNew:
        return this.waking(e, 'wakeup_new');
      case Op.Fork: {
        const a = parseKv(e.rest);
        if (typeof a.child_pid === 'number') {
          this.tasks.setComm(a.child_pid, String(a.child_comm ?? ''), false);
          this.tasks.markExited(a.child_pid, false);
        }
        return this.instant(e, e.name, CAT.event, a);
      }
      case Op.Exec:
        return this.exec(e);
      case Op.Exit:
        return this.exit(e);
      case Op.IrqEntry:
      case Op.IrqExit: {
        const a = parseKv(e.rest);
        if (typeof a.irq !== 'number') return this.malformed(e, 'no irq number');
        if (m.op === Op.IrqEntry) {
          const ev: TraceEvent = { kind: 'irq', phase: 'entry', ts: this.laneTime(e), cpu: e.cpu, tid: e.tid, irq: a.irq };
          if (a.name !== undefined) ev.name = String(a.name);
          b.sink.push(ev);
        } else {
          const ev: TraceEvent = { kind: 'irq', phase: 'exit', ts: this.laneTime(e), cpu: e.cpu, tid: e.tid, irq: a.irq };
          if (a.ret !== undefined) ev.ret = a.ret === 'handled' ? 1 : a.ret === 'unhandled' ? 0 : Number(a.ret) || 0;
          b.sink.push(ev);
        }
        return;
      }
      case Op.SoftirqEntry:
      case Op.SoftirqExit: {
        const a = parseKv(e.rest);
        if (typeof a.vec !== 'number') return this.malformed(e, 'no vec');
        b.sink.push({ kind: 'softirq', phase: m.op === Op.SoftirqEntry ? 'entry' : 'exit', ts: this.laneTime(e), cpu: e.cpu, tid: e.tid, vec: a.vec });
        return;
      }
      case Op.RawSysEnter: {
        // `NR 0 (3, 7ffd…, 340, 0, 0, 0)` (kernel, trace-cmd); `id=0x0 (0) args=…` (fields option).
        const r = /^NR (-?\d+) \((.*)\)\s*$/.exec(e.rest);
        const a = r ? { nr: Number(r[1]), args: r[2]! } : parseKv(e.rest);
        const nr = r ? Number(r[1]) : typeof a.id === 'number' ? a.id : NaN;
        if (Number.isNaN(nr)) {
          this.sysEnter(e, 'syscall', a);
          return;
        }
        this.sysEnter(e, this.syscallName(nr), a);
        const words = r ? r[2]!.split(', ').filter((w) => /^[0-9a-f]{1,16}$/.test(w)) : [];
        this.mark(e.track, 'begin', { syscall: { nr, args: words } });
        return;
      }
      case Op.RawSysExit: {
        const r = /^NR (-?\d+) = (-?\d+)\s*$/.exec(e.rest);
        const a = r ? { nr: Number(r[1]), ret: Number(r[2]) } : parseKv(e.rest);
        const nr = r ? Number(r[1]) : typeof a.id === 'number' ? a.id : NaN;
        const top = this.keyed.top(e.track);
        const name = top?.cat === CAT.syscall ? top.name : Number.isNaN(nr) ? 'syscall' : this.syscallName(nr);
        this.keyed.close(e.track, e.ts, undefined, CAT.syscall, name, e.line, a);
        const ret = typeof a.ret === 'number' ? a.ret : 0;
        if (!Number.isNaN(nr)) this.mark(e.track, 'end', { syscall: { nr, ret, cpu: e.cpu } });
        return;
      }
      case Op.SysEnter:
        return this.sysEnter(e, m.arg!, parseSyscallArgs(e.rest));
      case Op.SysExit:
        return this.sysExit(e, m.arg!, e.rest);
      case Op.HrtimerEntry:
      case Op.TimerEntry: {
        const what = m.op === Op.HrtimerEntry ? 'hrtimer' : 'timer';
        const a = parseKv(e.rest);
        const fn = a.function !== undefined ? String(a.function) : undefined;
        this.keyed.open(b.cpuLane(e.cpu, `CPU ${e.cpu} timers`), e.ts, fn ? `${what} ${fn}` : what, `${what}:${a[what] ?? ''}`, 'timer', e.line, a);
        return;
      }
      case Op.HrtimerExit:
      case Op.TimerExit: {
        const what = m.op === Op.HrtimerExit ? 'hrtimer' : 'timer';
        const a = parseKv(e.rest);
        this.keyed.close(b.cpuLane(e.cpu, `CPU ${e.cpu} timers`), e.ts, `${what}:${a[what] ?? ''}`, 'timer', what, e.line, a);
        return;
      }
      case Op.VectorEntry:
      case Op.IpiEntry:
      case Op.VectorExit:
      case Op.IpiExit: {
        const entry = m.op === Op.VectorEntry || m.op === Op.IpiEntry;
        const vector = m.op === Op.VectorEntry || m.op === Op.VectorExit;
        const name = vector ? m.arg! : (/\((.*)\)/.exec(e.rest)?.[1] ?? 'ipi');
        const lane = b.cpuLane(e.cpu, `CPU ${e.cpu} vectors`);
        const a = vector ? parseKv(e.rest) : { reason: name };
        if (entry) this.keyed.open(lane, e.ts, name, name, CAT.irq, e.line, a);
        else this.keyed.close(lane, e.ts, name, CAT.irq, name, e.line, a);
        return;
      }
      case Op.BlockIssue: {
        const r = parseBlock(e.rest);
        if (!r) return this.malformed(e, 'not `maj,min rwbs bytes (cmd) sector + count [comm]`');
        this.keyed.blockIssue(r.dev, r.dev, r.sector, e.ts, r.rwbs, e.line, r.args);
        return;
      }
      case Op.BlockComplete: {
        const r = parseBlock(e.rest);
        if (!r) return this.malformed(e, 'not `maj,min rwbs (cmd) sector + count [error]`');
        if (!this.keyed.blockComplete(r.dev, r.sector, e.ts, e.line, r.args)) {
          this.report('ftrace-events.unmatched-exit', e.line, 'block_rq_complete without its block_rq_issue: kept as an instant');
          this.instant(e, e.name, CAT.event, r.args);
        }
        return;
      }
      case Op.WorkStart:
      case Op.WorkEnd: {
        const r = /^work struct (\S+?):?(?: function (\S+))?\s*$/.exec(e.rest);
        if (!r) return this.malformed(e, 'not `work struct PTR: function NAME`');
        const a: Args = { work: r[1]! };
        if (r[2]) a.function = r[2];
        if (m.op === Op.WorkStart) this.keyed.open(e.track, e.ts, r[2] ?? 'work', `work:${r[1]}`, 'workqueue', e.line, a);
        else this.keyed.close(e.track, e.ts, `work:${r[1]}`, 'workqueue', r[2] ?? 'work', e.line);
        return;
      }
      case Op.Counter: {
        const a = parseKv(e.rest);
        const cpu = typeof a.cpu_id === 'number' ? a.cpu_id : e.cpu;
        if (typeof a.state !== 'number') return this.malformed(e, 'no state');
        const v = a.state === 4294967295 ? -1 : a.state;
        b.sink.push({ kind: 'counter', ts: e.ts, track: b.cpuLane(cpu, `CPU ${cpu} ${m.arg}`), name: m.arg!, value: v });
        return;
      }
      case Op.Marker: {
        // tracefs `tracing_mark_write: text`; trace-cmd `print: tracing_mark_write: text`, -R `ip=… buf=text`.
        let text = e.rest;
        if (e.name === 'print') {
          const buf = /(?:^|\s)buf=(.*)$/.exec(text);
          text = buf ? buf[1]! : text.replace(/^[\w.]+: /, '');
        }
        return this.instant(e, text || e.name, CAT.marker, { text });
      }
      default:
        return this.instant(e);
    }
  }

  /**
   * A kernel entry read from its raw, hex or own text (raw.ts): context switches and wake-ups
   * become sched events (comms, which these forms do not print, from what the trace said
   * before), print entries markers, and `type: N` an instant named by its number.
   */
  builtin(e: Ev, r: RawEntry): void {
    this.b.cpu = e.cpu;
    switch (r.kind) {
      case 'print':
        return this.instant(e, r.text || 'print', CAT.marker, { text: r.text });
      case 'type': {
        this.report('ftrace-events.raw-type', e.line, `type ${r.type}${r.entry ? ` (${r.entry})` : ''} is printed without its fields (no raw printer): kept as an instant`);
        const a: Args = { type: r.type };
        if (r.entry) a.entry = r.entry;
        return this.instant(e, `type ${r.type}`, CAT.event, a);
      }
      case 'fn':
        return;
    }
    const comm = (pid: number) => (pid === 0 ? `swapper/${e.cpu}` : this.tasks.comm(pid) || '<...>');
    if (r.kind === 'ctx') {
      const f: SwitchFields = {
        prevComm: comm(r.prevPid),
        prevPid: r.prevPid,
        prevPrio: r.prevPrio,
        prevState: kernelState(r.prevState),
        nextComm: r.nextComm ?? comm(r.nextPid),
        nextPid: r.nextPid,
        nextPrio: r.nextPrio,
      };
      return this.applySwitch(e, f, r.prevState);
    }
    // TRACE_WAKE: prev is the waker (the line's task), next the woken task and its CPU.
    this.applyWaking({ ...e, tid: r.prevPid }, { comm: r.nextComm ?? comm(r.nextPid), pid: r.nextPid, prio: r.nextPrio, targetCpu: r.nextCpu }, 'wakeup');
  }

  /** `sys_read` for 0 on x86_64 (or when the trace does not say), else `sys_N`. */
  syscallName(nr: number): string {
    const known = this.x86_64 ? x86_64Syscall(nr) : undefined;
    return `sys_${known ?? nr}`;
  }

  /**
   * Adds the raw syscall facts to the begin or end just written on `track` (Perfetto writes
   * those as its own sys_enter/sys_exit ftrace events).
   */
  private mark(track: number, kind: 'begin' | 'end', fact: Pick<SliceBegin, 'syscall'> | Pick<SliceEnd, 'syscall'>): void {
    const last = this.b.out[this.b.out.length - 1];
    if (!last || last.kind !== kind || last.track !== track || last.cat !== CAT.syscall) return;
    Object.assign(last, fact);
  }

  sysEnter(e: Ev, name: string, args: Args): void {
    // Syscalls do not nest: one still open lost its exit (or only entries are traced).
    const top = this.keyed.top(e.track);
    if (top && top.cat === CAT.syscall) {
      this.report('ftrace-events.lost-exit', e.line, `${top.name} has no exit before the next syscall of its thread: closed there`);
      this.keyed.close(e.track, e.ts, top.key, CAT.syscall, top.name, e.line, { truncated: true });
    }
    this.keyed.open(e.track, e.ts, name, name, CAT.syscall, e.line, this.args(e, args));
  }

  sysExit(e: Ev, name: string, rest: string): void {
    const a = /^(?:0x[0-9a-f]+|-?\d+)$/i.test(rest.trim()) ? { ret: rest.trim() } : parseKv(rest);
    const top = this.keyed.top(e.track);
    if ((name === 'clone' || name === 'clone3' || name === 'fork' || name === 'vfork') && top?.key !== name) {
      this.b.instant(e.track, e.ts, `${name} (child returns)`, CAT.syscall, e.line, a);
      return;
    }
    this.keyed.close(e.track, e.ts, name, CAT.syscall, name, e.line, a);
  }

  private schedSwitch(e: Ev) {
    const p = parseSwitch(e.rest);
    if (!p) return this.malformed(e, 'no prev_pid/next_pid');
    this.applySwitch(e, p.f, String(p.args.prev_state));
  }

  /** A context switch read from any of the forms (`stateText`: the state as printed). */
  applySwitch(e: Ev, f: SwitchFields, stateText: string): void {
    let state = f.prevState;
    if (Number.isNaN(state)) {
      this.report('ftrace-events.unknown-state', e.line, `prev_state ${stateText} has letters this reader does not know: taken as R`);
      state = 0;
    }
    const ts = this.laneTime(e);
    const last = this.lastNext.get(e.cpu);
    if (last && last.tid !== f.prevPid) {
      this.report('ftrace-events.sched-mismatch', e.line, `CPU ${e.cpu}: switch from ${f.prevComm}:${f.prevPid}, but ${last.comm}:${last.tid} was switched in: a switch between them was synthesised`);
      this.b.sink.push({ kind: 'sched-switch', ts, cpu: e.cpu, prevTid: last.tid, prevComm: last.comm, prevPrio: 120, prevState: 0, nextTid: f.prevPid, nextComm: f.prevComm, nextPrio: f.prevPrio });
    }
    this.b.sink.push({ kind: 'sched-switch', ts, cpu: e.cpu, prevTid: f.prevPid, prevComm: f.prevComm, prevPrio: f.prevPrio, prevState: state, nextTid: f.nextPid, nextComm: f.nextComm, nextPrio: f.nextPrio });
    this.tasks.setComm(f.prevPid, f.prevComm, false);
    this.tasks.setComm(f.nextPid, f.nextComm, false);
    if (f.nextPid > 0) this.tasks.markExited(f.nextPid, false);
    this.tasks.setCurrent(e.cpu, f.nextPid);
    this.lastNext.set(e.cpu, { tid: f.nextPid, comm: f.nextComm });
  }

  private waking(e: Ev, source: 'waking' | 'wakeup' | 'wakeup_new') {
    const p = parseWakeup(e.rest);
    if (!p) return this.malformed(e, 'no pid');
    this.applyWaking(e, p.f, source);
  }

  /** A wake-up read from any of the forms; the line's task is the waker. */
  applyWaking(e: Ev, f: WakeFields, source: 'waking' | 'wakeup' | 'wakeup_new'): void {
    const ev: TraceEvent = { kind: 'sched-waking', ts: this.laneTime(e), cpu: e.cpu, wakerTid: e.tid, tid: f.pid, comm: f.comm, prio: f.prio, targetCpu: f.targetCpu >= 0 ? f.targetCpu : e.cpu };
    const ctx = contextOf(e.flags);
    if (ctx) ev.context = ctx;
    ev.source = source;
    this.b.sink.push(ev);
    this.tasks.setComm(f.pid, f.comm, false);
  }

  private exec(e: Ev) {
    const a = parseKv(e.rest);
    const pid = a.pid;
    const file = a.filename;
    if (typeof pid === 'number' && pid > 0 && typeof file === 'string' && file) {
      // exec leaves the caller as its process's only thread, with the process id as tid.
      const comm = basename(file).slice(0, 15);
      this.tasks.setPid(pid, pid);
      this.tasks.setProcess(pid, comm);
      this.tasks.setComm(pid, comm, false);
      this.b.sink.push(this.tasks.processEvent(pid, [{ tid: pid, name: this.tasks.comm(pid) || comm }]));
    }
    this.instant(e, e.name, CAT.event, a);
  }

  private exit(e: Ev) {
    const a = parseKv(e.rest);
    this.instant(e, e.name, CAT.event, a);
    const tid = typeof a.pid === 'number' ? a.pid : e.tid;
    if (tid <= 0) return;
    this.tasks.markExited(tid);
    // exit/exit_group never return: their slice ends with the task.
    const top = this.keyed.top(e.track);
    if (top && top.cat === CAT.syscall && (top.key === 'exit' || top.key === 'exit_group')) {
      this.keyed.close(e.track, e.ts, top.key, CAT.syscall, top.name, e.line);
    }
  }
}

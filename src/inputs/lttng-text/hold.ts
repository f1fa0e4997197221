/**
 * Records wait until what they need is known.
 *
 * - At the start, every record waits until the kernel statedump has named every process (its
 *   end, or a bound), so a thread's track is declared in its real process from the first event
 *   on (`StartHold`).
 * - A kernel event has no thread: it belongs to the task running on its CPU. A CPU's records
 *   wait until a record names that task (a witness: `sched_switch`'s `prev_tid`, a fork's
 *   parent, an exec or exit); once a CPU holds records, all its later ones wait too, so each
 *   track still sees its times in order (`CpuHold`). What waits is bounded over all CPUs; past
 *   the bound, or at the end, the records go to the CPU's pseudo-thread.
 */
import { type HoldLimits, HoldQueue } from '../../model/hold-queue.js';
import { type Context, type CpuState, cpuOf } from './context.js';
import { dispatch } from './dispatch.js';
import { type Domain, domainOf, Op } from './meaning.js';
import type { LttngRecord, TokenResult } from './record.js';
import { intOf, textOf } from './values.js';

/** Records held over all CPUs while waiting for their task. */
export const PENDING_LIMIT = 50_000;
/** Estimated bytes those may take: a record's line plus its objects. */
export const PENDING_BYTES = 64 << 20;
const RECORD_BYTES = 320;
/**
 * Records held at the start until the kernel statedump has named every process (its end, or
 * this many records; fewer when no statedump started), so threads get their process from the
 * first event on.
 */
export const PREFIX_LIMIT = 50_000;
const PREFIX_NO_STATEDUMP = 10_000;

/** babeltrace's warning about lost events, with its line. */
export type Discarded = Extract<TokenResult, { kind: 'discarded' }> & { line: number };

export class StartHold {
  private held: (LttngRecord | Discarded)[] | null = [];
  private statedumpStarted = false;

  get active(): boolean {
    return this.held !== null;
  }

  /** Holds a record; true when the hold should end with it (the statedump ended, or the bound). */
  push(r: LttngRecord): boolean {
    const pre = this.held!;
    pre.push(r);
    const n = r.name;
    if (n.startsWith('lttng_statedump_')) this.statedumpStarted = true;
    return n === 'lttng_statedump_end' || pre.length >= PREFIX_LIMIT || (!this.statedumpStarted && pre.length >= PREFIX_NO_STATEDUMP);
  }

  /** Holds a discarded-events warning where it was printed. */
  note(d: Discarded): void {
    this.held!.push(d);
  }

  /** Ends the hold: what was held, in order (undefined when it had ended). */
  end(): (LttngRecord | Discarded)[] | undefined {
    const pre = this.held;
    this.held = null;
    return pre ?? undefined;
  }
}

const hasThreadContext = (r: LttngRecord) => r.ctx !== undefined && (r.ctx.vtid !== undefined || r.ctx.tid !== undefined);

export class CpuHold {
  private readonly waiting: HoldQueue<number, LttngRecord>;
  /** False once the bound was passed: no CPU waits any more. */
  private holding = true;

  constructor(
    private readonly cx: Context,
    limits: HoldLimits = { count: PENDING_LIMIT, bytes: PENDING_BYTES },
  ) {
    this.waiting = new HoldQueue(limits);
  }

  /** A record with its time set: handled now, or held until its CPU's task is known. */
  route(r: LttngRecord, dom: Domain): void {
    const cx = this.cx;
    const cpu = cpuOf(r);
    if (cpu < 0) {
      dispatch(cx, r, dom);
      return;
    }
    const cs = cx.cpuState(cpu);
    const unknown = !cs.gaveUp && cx.tasks.current(cpu) === -1;
    if (unknown && dom === 'kernel') {
      // A witness of the task running here releases what waits for it.
      const w = this.witness(r);
      if (w) {
        this.release(cs, w.tid, w.comm);
        dispatch(cx, r, dom);
        return;
      }
    }
    // While a CPU's records wait, every later record of that CPU waits too (per-CPU order).
    if (this.waiting.has(cpu) || (unknown && dom === 'kernel' && this.holding && !hasThreadContext(r))) {
      this.hold(r, cpu);
      return;
    }
    dispatch(cx, r, dom);
  }

  private hold(r: LttngRecord, cpu: number): void {
    if (this.waiting.push(cpu, r, r.chars + RECORD_BYTES)) return;
    const { count, bytes } = this.waiting.limits;
    const size = bytes >= 2 ** 20 ? `${Math.round(bytes / 2 ** 20)} MiB` : `${bytes} bytes`;
    const what = this.waiting.count > count ? `more than ${count} events` : `more than ${size} of events`;
    this.cx.report('lttng-text.pending-overflow', r.line, `${what} before the first sched_switch of some CPUs: their task stays unknown`);
    this.holding = false;
    this.flush(false);
  }

  /** The task that runs on the record's CPU, when the record says it. */
  private witness(r: LttngRecord): { tid: number; comm: string } | undefined {
    const o = this.cx.meanings.get(r.name, 'kernel').op;
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
    return { tid, comm: comm ?? this.cx.tasks.comm(tid) };
  }

  /** The task of a CPU is known: replay what waited for it. */
  private release(cs: CpuState, tid: number, comm: string): void {
    const cx = this.cx;
    cx.tasks.setCurrent(cs.cpu, tid);
    if (comm) cs.comm = comm;
    if (tid > 0 && comm) cx.setComm(tid, comm);
    const held = this.waiting.take(cs.cpu);
    if (!held) return;
    for (const r of held) dispatch(cx, r, domainOf(r));
  }

  /** Releases every CPU's held records on its pseudo-thread (the input ended, or too much is held). */
  flush(atEnd: boolean): void {
    const cx = this.cx;
    for (const cs of cx.cpus.values()) {
      const held = this.waiting.take(cs.cpu);
      if (!held) continue;
      if (cx.tasks.current(cs.cpu) === -1) cs.gaveUp = true;
      for (const r of held) dispatch(cx, r, domainOf(r));
      if (atEnd) cs.gaveUp = false;
    }
    if (!atEnd) return;
    for (const cs of cx.cpusInOrder()) {
      if (cs.unknownTask > 0) {
        cx.report('lttng-text.unknown-task', 0, `${cs.unknownTask} kernel events on CPU ${cs.cpu} came before any sched_switch there: they are on the thread "CPU ${cs.cpu}"`);
      }
    }
  }
}

/**
 * Per-CPU interrupt context, and what a wake-up that happened in it means.
 *
 * Each CPU keeps a stack of the handlers open on it (hard IRQ, softirq, hrtimer or timer-wheel
 * callback, IPI vector). An exit pops only when the top is of the same kind, so a lost entry
 * does not unwind handlers that are still open; lost events and `sched_switch` (which never
 * happens inside a handler) empty the stack.
 */
import type { SchedWaking } from '../../model/events.js';
import type { WakeCause } from './types.js';

/** Who sent an IPI (`ipi_send_cpu` on the sending CPU): what a wake-up inside the IPI stands for. */
export interface IpiSource {
  /** The sending CPU's own cause: its open handler's, or the task that ran there. */
  cause: WakeCause;
  cpu: number;
  ts: number;
}

export type Frame =
  | { kind: 'irq'; irq: number; name: string }
  /** `since`: when the handler began (a packet received inside it is newer). */
  | { kind: 'softirq'; vec: number; since?: number }
  | { kind: 'hrtimer' }
  | { kind: 'timer' }
  | { kind: 'ipi'; name: string; from?: IpiSource };

/** Softirq vectors as the kernel numbers them (include/linux/interrupt.h). */
export const SOFTIRQ_NAMES = ['HI', 'TIMER', 'NET_TX', 'NET_RX', 'BLOCK', 'IRQ_POLL', 'TASKLET', 'SCHED', 'HRTIMER', 'RCU'];

export class CpuContexts {
  private readonly stacks = new Map<number, Frame[]>();

  private stack(cpu: number): Frame[] {
    let s = this.stacks.get(cpu);
    if (!s) this.stacks.set(cpu, (s = []));
    return s;
  }

  push(cpu: number, f: Frame): void {
    const s = this.stack(cpu);
    // Bounded: a trace that lost every exit must not grow this without end.
    if (s.length >= 16) s.shift();
    s.push(f);
  }

  pop(cpu: number, kind: Frame['kind']): void {
    const s = this.stack(cpu);
    if (s.length && s[s.length - 1]!.kind === kind) s.pop();
  }

  top(cpu: number): Frame | undefined {
    const s = this.stacks.get(cpu);
    return s && s.length ? s[s.length - 1] : undefined;
  }

  clear(cpu: number): void {
    this.stacks.get(cpu)?.splice(0);
  }

  clearAll(): void {
    for (const s of this.stacks.values()) s.splice(0);
  }
}

/** The cause a handler frame gives a wake-up made inside it. */
export function causeOfFrame(f: Frame): WakeCause {
  switch (f.kind) {
    case 'hrtimer':
    case 'timer':
      return { kind: 'context', state: 'TIMER', reason: f.kind };
    case 'ipi': {
      // The LAPIC timer is an interrupt vector too; what it wakes is a timer's.
      if (f.name === 'local_timer') return { kind: 'context', state: 'TIMER', reason: 'local_timer' };
      // The sender is known (`ipi_send_cpu`): the wake-up is what the sending CPU was doing.
      const from = f.from?.cause;
      if (from?.kind === 'context') return { ...from, reason: `${from.reason} (IPI ${f.name} from CPU ${f.from!.cpu})` };
      if (from?.kind === 'task') return from;
      return { kind: 'context', state: 'IPI', reason: f.name };
    }
    case 'irq':
      return { kind: 'context', state: 'IRQ', reason: f.name || `irq ${f.irq}` };
    case 'softirq': {
      const name = SOFTIRQ_NAMES[f.vec] ?? `vec ${f.vec}`;
      if (f.vec === 1 || f.vec === 8) return { kind: 'context', state: 'TIMER', reason: `softirq ${name}` };
      if (f.vec === 4 || f.vec === 5) return { kind: 'context', state: 'BLOCK_DEVICE', reason: `softirq ${name}` };
      if (f.vec === 2 || f.vec === 3) return { kind: 'context', state: 'NETWORK', reason: `softirq ${name}` };
      return { kind: 'context', state: 'SOFTIRQ', reason: name };
    }
  }
}

/**
 * Explains one wake-up: the context the input stated (ftrace flags) or, failing that, the
 * handler open on the waker's CPU; a task waker otherwise; an idle CPU with nothing open is
 * unknown, never swapper.
 */
export function classifyWake(w: SchedWaking, top: Frame | undefined, waker: number): WakeCause {
  const ctx = w.context;
  if (ctx === 'nmi') return { kind: 'context', state: 'IRQ', reason: 'NMI' };
  if (ctx === 'hardirq') {
    if (top && top.kind !== 'softirq') return causeOfFrame(top);
    return { kind: 'context', state: 'IRQ', reason: 'hard IRQ' };
  }
  if (ctx === 'softirq') {
    if (top && (top.kind === 'softirq' || top.kind === 'timer' || top.kind === 'hrtimer')) return causeOfFrame(top);
    return { kind: 'context', state: 'SOFTIRQ', reason: 'softirq' };
  }
  if (ctx === undefined && top) return causeOfFrame(top);
  if (waker > 0) return { kind: 'task', waker };
  return { kind: 'idle', cpu: w.cpu };
}

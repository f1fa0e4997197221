import type { Frame } from '../model/events.js';

/** Linux softirq vector names (include/linux/interrupt.h order). */
export const SOFTIRQ_NAMES = ['HI', 'TIMER', 'NET_TX', 'NET_RX', 'BLOCK', 'IRQ_POLL', 'TASKLET', 'SCHED', 'HRTIMER', 'RCU'];

export function softirqName(vec: number): string {
  return SOFTIRQ_NAMES[vec] ?? `softirq ${vec}`;
}

/** A frame as one text token: `func`, `func [mod]`, `func+0x1a/0x40`, `? func` when unreliable. */
export function frameLabel(f: Frame): string {
  let s = f.name;
  if (f.offset) s += `+${f.offset}`;
  if (f.module) s += ` [${f.module}]`;
  return f.unreliable ? `? ${s}` : s;
}

import type { Args, TraceInfo } from '../model/events.js';
import type { OutputOptions } from './types.js';

/** Linux softirq vector names (include/linux/interrupt.h order). */
export const SOFTIRQ_NAMES = ['HI', 'TIMER', 'NET_TX', 'NET_RX', 'BLOCK', 'IRQ_POLL', 'TASKLET', 'SCHED', 'HRTIMER', 'RCU'];

export function softirqName(vec: number): string {
  return SOFTIRQ_NAMES[vec] ?? `softirq ${vec}`;
}

/** A frame as one text token: the model's `frameText`, under the name the outputs use. */
export { frameText as frameLabel } from '../model/stacks.js';

/**
 * What produced an output and from what: producer, input, format, clock (and its origin),
 * the input's notes, and the diagnostic counts. Chrome JSON puts it in `otherData`, Perfetto
 * on a `tracebridge` track.
 */
export function traceMetadata(info: TraceInfo | undefined, opts: OutputOptions): { meta: Args; diagnostics: Record<string, number> } {
  const meta: Args = { producer: opts.producer ?? 'tracebridge' };
  if (opts.inputName !== undefined) meta.input = opts.inputName;
  if (info) {
    meta.format = info.format;
    if (info.variant) meta.variant = info.variant;
    meta.clock = info.clock;
    if (info.clock === 'reconstructed') meta.timeline = 'reconstructed';
    if (info.clockOriginNs) meta.clock_origin_ns = info.clockOriginNs;
    for (const [k, v] of Object.entries(info.notes ?? {})) meta[k] = v;
  }
  for (const [k, v] of Object.entries(opts.filters ?? {})) meta[`filter_${k}`] = v;
  return { meta, diagnostics: opts.diagnostics?.() ?? {} };
}

/**
 * The perf-script options of `convert` and `batch` (FlameGraph's stackcollapse-perf.pl flags
 * under names that do not clash with tracebridge's own), and their mapping to `InputOptions`.
 */
import type { Argv } from 'yargs';
import type { InputOptions } from '../inputs/types.js';

export interface PerfArgs {
  'with-pid': boolean;
  'with-tid': boolean;
  annotate?: string;
  addrs: boolean;
  'event-filter'?: string;
  inline: boolean;
  srcline: boolean;
  compat?: string;
}

export function withPerfOptions<T>(y: Argv<T>): Argv<T & PerfArgs> {
  return y
    .option('with-pid', { type: 'boolean', default: false, describe: 'perf-script folded: root frame comm-PID (stackcollapse-perf --pid)' })
    .option('with-tid', { type: 'boolean', default: false, describe: 'perf-script folded: root frame comm-PID/TID (stackcollapse-perf --tid)' })
    .option('annotate', { type: 'string', choices: ['kernel', 'jit', 'all'], describe: 'perf-script: _[k] on kernel frames, _[j] on JIT frames, or both' })
    .option('addrs', { type: 'boolean', default: false, describe: 'perf-script: [dso <ip>] for frames without a symbol' })
    .option('event-filter', { type: 'string', describe: 'perf-script: keep the samples of this event (default: the first event)' })
    .option('inline', { type: 'boolean', default: false, describe: 'perf-script: mark (inlined) frames _[i]' })
    .option('srcline', { type: 'boolean', default: false, describe: 'perf-script: append -F +srcline source lines to frame names' })
    .option('compat', { type: 'string', choices: ['stackcollapse'], describe: "perf-script: folded byte-identical to FlameGraph's stackcollapse-perf.pl" }) as unknown as Argv<
    T & PerfArgs
  >;
}

export function perfInputOptions(a: PerfArgs): InputOptions {
  const o: InputOptions = {};
  if (a['with-pid']) o.withPid = true;
  if (a['with-tid']) o.withTid = true;
  if (a.annotate) o.annotate = a.annotate as InputOptions['annotate'];
  if (a.addrs) o.addrs = true;
  if (a['event-filter'] !== undefined) o.eventFilter = a['event-filter'];
  if (a.inline) o.inline = true;
  if (a.srcline) o.srcline = true;
  if (a.compat === 'stackcollapse') o.compat = 'stackcollapse';
  return o;
}

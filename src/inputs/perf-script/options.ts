/**
 * The options of the `perf-script` input: FlameGraph's stackcollapse-perf.pl flags under names
 * that do not clash with tracebridge's own. `convert` and `batch` offer them from this spec.
 */
import type { InputOptionSpec } from '../types.js';

export const options: readonly InputOptionSpec[] = [
  { name: 'with-pid', type: 'boolean', default: false, description: 'perf-script folded: root frame comm-PID (stackcollapse-perf --pid)' },
  { name: 'with-tid', type: 'boolean', default: false, description: 'perf-script folded: root frame comm-PID/TID (stackcollapse-perf --tid)' },
  { name: 'annotate', type: 'string', choices: ['kernel', 'jit', 'all'], description: 'perf-script: _[k] on kernel frames, _[j] on JIT frames, or both' },
  { name: 'addrs', type: 'boolean', default: false, description: 'perf-script: [dso <ip>] for frames without a symbol' },
  { name: 'event-filter', type: 'string', description: 'perf-script: keep the samples of this event (default: the first event)' },
  { name: 'inline', type: 'boolean', default: false, description: 'perf-script: mark (inlined) frames _[i]' },
  { name: 'srcline', type: 'boolean', default: false, description: 'perf-script: append -F +srcline source lines to frame names' },
  { name: 'compat', type: 'string', choices: ['stackcollapse'], description: "perf-script: folded byte-identical to FlameGraph's stackcollapse-perf.pl" },
];

declare module '../types.js' {
  interface InputOptions {
    /** perf-script: folded root `comm-pid` (stackcollapse-perf.pl `--pid`). */
    withPid?: boolean;
    /** perf-script: folded root `comm-pid/tid` (stackcollapse-perf.pl `--tid`). */
    withTid?: boolean;
    /** perf-script: `_[k]` on kernel frames, `_[j]` on JIT frames, or both. */
    annotate?: 'kernel' | 'jit' | 'all';
    /** perf-script: `[dso <ip>]` for frames without a symbol. */
    addrs?: boolean;
    /** perf-script: the event whose samples are kept (default: the first one in the input). */
    eventFilter?: string;
    /** perf-script: inlined frames (perf's `(inlined)` lines) marked `_[i]`. */
    inline?: boolean;
    /** perf-script: `-F +srcline` lines appended to frame names as `:file:line`. */
    srcline?: boolean;
    /** perf-script: reproduce FlameGraph's stackcollapse-perf.pl byte for byte, slips included. */
    compat?: 'stackcollapse';
  }
}

/**
 * The diagnostic codes of the `perf-script` input (perf script text): code → [default
 * severity, what it means]. The registry merges them with the codes every input shares
 * (`src/model/diagnostics.ts`).
 */
import { defineCodes } from '../../model/diagnostics.js';

export const codes = defineCodes('perf-script', {
  'perf-script.unrecognized-line': ['warning', 'a line that is not a perf script header, callchain frame, source line, comment or blank line: skipped'],
  'perf-script.frame-outside-record': ['warning', 'a callchain line with no sample header before it (or after a skipped one): skipped'],
  'perf-script.other-event': ['info', 'a sample of another event than the one kept (the first in the input, or --event-filter): skipped'],
  'perf-script.unterminated-record': [
    'info',
    '--compat stackcollapse: the last record has no blank line after it and was dropped, as stackcollapse-perf.pl drops it',
  ],
  'perf-script.side-band': ['info', 'a side-band record (PERF_RECORD_MMAP2, _COMM, _FORK, _EXIT, _SWITCH, … of --show-*-events): not a sample, skipped'],
  'perf-script.time-backwards': ['info', "a sample earlier than its thread's previous one (lines out of order) was moved forward to that time"],
  'perf-script.inline-not-run': ['info', '--compat stackcollapse --inline: frames of a binary stackcollapse-perf.pl would ask addr2line about are kept as printed'],
} as const);

declare module '../../model/diagnostics.js' {
  interface AdapterCodeTables {
    'perf-script': typeof codes;
  }
}

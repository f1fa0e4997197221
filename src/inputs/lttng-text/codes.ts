/**
 * The diagnostic codes of the `lttng-text` input (babeltrace text): code → [default
 * severity, what it means]. The registry merges them with the codes every input shares
 * (`src/model/diagnostics.ts`).
 */
import { defineCodes } from '../../model/diagnostics.js';

export const codes = defineCodes('lttng-text', {
  'lttng-text.unparsed-line': ['warning', 'a line that is not a babeltrace event line (nor a blank line): skipped'],
  'lttng-text.malformed-fields': ['warning', "an event line whose field text could not be read to its end: the fields read before the problem are kept"],
  'lttng-text.discarded-events': ['warning', "babeltrace's warning that the tracer discarded events or packets (kept as a marker)"],
  'lttng-text.unmatched-exit': [
    'info',
    'an exit (syscall, function, timer, I/O) without its entry: the trace began inside the call; an enclosing slice was synthesised (or, with other calls open, an instant kept)',
  ],
  'lttng-text.unclosed-entry': ['info', 'an entry still open when the trace ended: closed at the last time of its track'],
  'lttng-text.lost-exit': ['warning', 'a call whose exit is missing (lost events): closed at the exit of the call around it'],
  'lttng-text.sched-mismatch': [
    'warning',
    'a sched_switch from a task that was not the one switched in on that CPU (lost events): a switch between the two was synthesised',
  ],
  'lttng-text.pending-overflow': ['warning', "too many kernel events before CPUs' first sched_switch: their task stays unknown (a per-CPU thread)"],
  'lttng-text.unknown-task': ['info', 'kernel events on a CPU that never showed which task ran there: they are on a per-CPU thread'],
  'lttng-text.time-backwards': ['info', 'a timestamp earlier than the previous one on the same track was moved forward to keep nesting'],
  'lttng-text.day-rollover': ['info', 'an HH:MM:SS time went back by more than 12 hours: midnight passed and a day was added'],
  'lttng-text.clock-change': ['warning', 'the timestamp format changed mid-input (outputs of different babeltrace options joined): times continue from the last one'],
} as const);

declare module '../../model/diagnostics.js' {
  interface AdapterCodeTables {
    'lttng-text': typeof codes;
  }
}

/**
 * The diagnostic codes of the `ftrace-events` input (ftrace event text): code → [default
 * severity, what it means]. The registry merges them with the codes every input shares
 * (`src/model/diagnostics.ts`).
 */
import { defineCodes } from '../../model/diagnostics.js';

export const codes = defineCodes('ftrace-events', {
  'ftrace-events.unparsed-line': ['warning', 'a line that is not an ftrace event line, header, stack frame or lost-events notice: skipped'],
  'ftrace-events.malformed-fields': ['warning', "an event whose fields could not be read as its format prints them: kept as an instant with what was read"],
  'ftrace-events.unknown-state': ['warning', 'a sched_switch prev_state with letters this reader does not know: taken as R (runnable)'],
  'ftrace-events.lost-events': ['warning', 'the ring buffer lost events on a CPU (`CPU:n [LOST n EVENTS]`, trace-cmd `EVENTS DROPPED`): kept as a marker'],
  'ftrace-events.buffer-started': ['info', 'an `annotate` line: a CPU whose older events were overwritten starts here'],
  'ftrace-events.stray-frame': ['warning', 'a ` => ` stack frame line with no `<stack trace>` line before it: skipped'],
  'ftrace-events.empty-stack': ['warning', 'a `<stack trace>` line with no frames after it'],
  'ftrace-events.empty-user-stack': ['info', 'a `<user stack trace>` with no frames: the task had no user stack (a kernel thread, the idle task)'],
  'ftrace-events.frames-capped': ['warning', 'a stack longer than 512 frames: the frames after the 512th were dropped'],
  'ftrace-events.unmatched-exit': [
    'info',
    'an exit (syscall, timer, vector, work item, I/O) without its entry: the trace began inside the call; an enclosing slice was synthesised (or, with other calls open, an instant kept)',
  ],
  'ftrace-events.unclosed-entry': ['info', 'an entry still open when the trace ended: closed at the last time of its track'],
  'ftrace-events.lost-exit': ['warning', 'a call whose exit is missing (lost events): closed at the exit of the call around it'],
  'ftrace-events.sched-mismatch': [
    'warning',
    'a sched_switch from a task that was not the one switched in on that CPU (lost events): a switch between the two was synthesised',
  ],
  'ftrace-events.time-backwards': ['info', 'a timestamp earlier than the previous one on the same track was moved forward to keep nesting'],
  'ftrace-events.no-context': [
    'info',
    'context-info off: lines without task, CPU or time; each event is an instant on one lane, 1 µs after the one before',
  ],
  'ftrace-events.raw-type': ['info', 'raw or hex output of an event with no raw printer (`type: N`): kept as an instant named by its type number'],
  'ftrace-events.unmatched-probe': [
    'info',
    'a probe hit with no return hit after it on its thread (no return probe, or lost), or a return hit with no entry hit open: kept as an instant',
  ],
} as const);

declare module '../../model/diagnostics.js' {
  interface AdapterCodeTables {
    'ftrace-events': typeof codes;
  }
}

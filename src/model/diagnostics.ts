/**
 * Diagnostics are data: every skipped, repaired or unparsed line becomes one of these, reported
 * through the adapter context. The CLI prints them as `file:line: warning[code]: message` and
 * ends with a count per code.
 *
 * All codes live in CODES below, so the catalogue is one place to read.
 */

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  severity: Severity;
  code: DiagnosticCode;
  message: string;
  file: string;
  /** 1-based line number in the input, 0 when the diagnostic is about the whole input. */
  line: number;
}

/** code → [default severity, what it means]. */
export const CODES = {
  // pipeline
  'input.invalid-utf8': ['warning', 'bytes that are not valid UTF-8 were replaced by U+FFFD'],
  'input.long-line': ['warning', 'a line longer than the limit was cut; the rest of it was not parsed'],
  'input.binary': ['warning', 'the line holds NUL or other control bytes and was skipped'],
  'input.empty': ['warning', 'the input is empty'],
  'output.no-events': ['warning', 'the input produced no events; the output holds only metadata'],

  // limits (src/model/limits.ts): past a bound the input is reported and the output stays valid
  'limit.depth': ['warning', 'more calls open on one thread than the depth limit: deeper calls were counted in the call at the limit'],
  'limit.number-range': ['warning', 'a time or duration beyond 2^53-1 ns (or negative, or not a number): it was clamped'],
  'limit.id-range': ['warning', 'a pid or tid beyond 2^31-1, or a cpu beyond 1023 (or negative, or not an integer): each such value was given an id of its own (pids and tids above 0x60000000, cpus from 1023 down)'],
  'limit.sample-count': ['info', 'a stack seen more than 2^20 times: Perfetto gets 2^20 samples of it (2^24 in all); its count argument and the other outputs keep the true count'],
  'input.no-events': ['error', 'a non-empty input in which the format tried found no event'],

  // function-graph
  'function-graph.unmatched-exit': [
    'warning',
    'a closing brace with no open call: the trace began inside this call; an enclosing slice was synthesised',
  ],
  'function-graph.unclosed-entry': [
    'warning',
    'a call still open when its thread ended: closed at the last time known for that thread',
  ],
  'function-graph.name-mismatch': [
    'warning',
    'the function named in a closing comment is not the open call; the open call was closed anyway',
  ],
  'function-graph.malformed-line': ['warning', 'a line that looks like trace output but could not be parsed'],
  'function-graph.missing-cpu': [
    'info',
    'a line without the CPU column in a trace that has one: it was given the CPU of the line before',
  ],
  'function-graph.skipped-text': ['info', 'text that is not part of a trace (prose, commands, headers)'],
  'function-graph.overrun': ['info', 'an `(Overruns: N)` line of the funcgraph-overrun option'],
  'function-graph.events-lost': ['warning', 'the tracer reported lost events (ring buffer overrun)'],
  'function-graph.time-backwards': [
    'info',
    'a timestamp earlier than the previous one on the same thread was moved forward to keep nesting',
  ],
  'function-graph.pending-overflow': [
    'warning',
    'too many lines before the first context switch of a CPU: its task stays unknown (a per-CPU thread)',
  ],
  'function-graph.joined-line': ['info', 'a function name wrapped onto the next line was joined back'],
  'function-graph.resync': [
    'warning',
    'a closing brace whose printed duration or `/* func */` tail cannot belong to the innermost open call: the calls opened after the one it fits lost their exits and were closed',
  ],

  // dmesg
  'dmesg.prose': ['info', 'text outside any call trace (other kernel messages, report text, prose): not part of a stack'],
  'dmesg.registers': ['info', 'a register dump line (or a user-space RIP): skipped'],
  'dmesg.code': ['info', 'instruction bytes (`Code:`), raw stack words or a memory dump: skipped'],
  'dmesg.bad-frame': ['warning', 'a line inside a call trace that looks like a frame but could not be read'],
  'dmesg.interleaved': [
    'warning',
    'a line inside a call trace that is not part of it (output of another CPU or task); the trace went on after it',
  ],
  'dmesg.truncated': [
    'warning',
    'a call trace that was cut off (a <TASK>/<IRQ> section never closed, or a faulting location with no trace): what was read is kept',
  ],
  'dmesg.empty-trace': ['warning', 'a call trace header with no frames after it'],
  'dmesg.frames-capped': ['warning', 'a call trace longer than 512 frames: the frames after the 512th were dropped'],
  'dmesg.only-unreliable': ['info', 'every frame of a stack was marked `?` (unreliable): all were kept'],
  'dmesg.total-mismatch': ['warning', "a stack histogram's stated total differs from the sum of its counts"],
  'dmesg.joined-line': ['info', 'a `[module]` wrapped onto a line of its own was joined back to its frame'],

  // lttng-text
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
  // diff (two folded profiles)
  'diff.malformed-line': ['warning', 'a folded line without a final count (`frames count`): skipped'],

  'lttng-text.clock-change': ['warning', 'the timestamp format changed mid-input (outputs of different babeltrace options joined): times continue from the last one'],

  // ftrace-events
  'ftrace-events.unparsed-line': ['warning', 'a line that is not an ftrace event line, header, stack frame or lost-events notice: skipped'],
  'ftrace-events.malformed-fields': ['warning', "an event whose fields could not be read as its format prints them: kept as an instant with what was read"],
  'ftrace-events.unknown-state': ['warning', 'a sched_switch prev_state with letters this reader does not know: taken as R (runnable)'],
  'ftrace-events.lost-events': ['warning', 'the ring buffer lost events on a CPU (`CPU:n [LOST n EVENTS]`, trace-cmd `EVENTS DROPPED`): kept as a marker'],
  'ftrace-events.buffer-started': ['info', 'an `annotate` line: a CPU whose older events were overwritten starts here'],
  'ftrace-events.stray-frame': ['warning', 'a ` => ` stack frame line with no `<stack trace>` line before it: skipped'],
  'ftrace-events.empty-stack': ['warning', 'a `<stack trace>` line with no frames after it'],
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
  // perf-script
  'perf-script.unrecognized-line': ['warning', 'a line that is not a perf script header, callchain frame, source line, comment or blank line: skipped'],
  'perf-script.frame-outside-record': ['warning', 'a callchain line with no sample header before it (or after a skipped one): skipped'],
  'perf-script.other-event': ['info', 'a sample of another event than the one kept (the first in the input, or --event-filter): skipped'],
  'perf-script.unterminated-record': [
    'info',
    '--compat stackcollapse: the last record has no blank line after it and was dropped, as stackcollapse-perf.pl drops it',
  ],
  'perf-script.time-backwards': ['info', "a sample earlier than its thread's previous one (lines out of order) was moved forward to that time"],
  'perf-script.inline-not-run': ['info', '--compat stackcollapse --inline: frames of a binary stackcollapse-perf.pl would ask addr2line about are kept as printed'],
  // active-path analysis (what makes a path uncertain; line 0: about the whole input)
  'active-path.no-waking': ['warning', 'no sched_waking (only sched_wakeup, or no wake-up events at all): a wake-up may run on the woken CPU inside an IPI, so the waker named may be wrong, or be missing'],
  'active-path.no-interrupts': ['warning', 'no interrupt events nor wake-up contexts: device and timer wake-ups look like wake-ups by whatever ran on the CPU'],
  'active-path.lost-events': ['warning', 'events were lost: states and wakers around the loss may be wrong'],
  'active-path.idle-wakeup': ['warning', 'a wait on the path was woken from an idle CPU with no interrupt in view: shown as UNKNOWN, never as swapper'],
  'active-path.missing-wakeup': ['info', 'a wait on the path ended with no wake-up event (switched in directly): shown as BLOCKED'],
} as const satisfies Record<string, readonly [Severity, string]>;

export type DiagnosticCode = keyof typeof CODES;

export type Report = (code: DiagnosticCode, line: number, message?: string, severity?: Severity) => void;

/** Counts diagnostics per code and passes each one on (to stderr, a list, or nowhere). */
export class DiagnosticCollector {
  readonly counts = new Map<DiagnosticCode, number>();
  readonly bySeverity: Record<Severity, number> = { error: 0, warning: 0, info: 0 };

  constructor(
    private readonly file: string,
    private readonly sink?: (d: Diagnostic) => void,
  ) {}

  readonly report: Report = (code, line, message, severity) => {
    const sev = severity ?? CODES[code][0];
    this.counts.set(code, (this.counts.get(code) ?? 0) + 1);
    this.bySeverity[sev]++;
    if (this.sink) this.sink({ severity: sev, code, message: message ?? CODES[code][1], file: this.file, line });
  };

  /** Counts sorted by code, for summaries and output metadata. */
  summary(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const k of [...this.counts.keys()].sort()) out[k] = this.counts.get(k)!;
    return out;
  }
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}: ${d.severity}[${d.code}]: ${d.message}`;
}

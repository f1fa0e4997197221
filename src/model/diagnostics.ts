/**
 * Diagnostics are data: every skipped, repaired or unparsed line becomes one of these, reported
 * through the adapter context. The CLI prints them as `file:line: warning[code]: message` and
 * ends with a count per code.
 *
 * The codes every input shares (pipeline, limits) and those of commands and analyses live in
 * CODES below; each input adapter declares its own in `src/inputs/<name>/codes.ts` with
 * `defineCodes`, and the input registry lists the whole catalogue.
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

  // diff (two folded profiles)
  'diff.malformed-line': ['warning', 'a folded line without a final count (`frames count`): skipped'],

  // active-path analysis (what makes a path uncertain; line 0: about the whole input)
  'active-path.no-waking': ['warning', 'no sched_waking (only sched_wakeup, or no wake-up events at all): a wake-up may run on the woken CPU inside an IPI, so the waker named may be wrong, or be missing'],
  'active-path.no-interrupts': ['warning', 'no interrupt events nor wake-up contexts: device and timer wake-ups look like wake-ups by whatever ran on the CPU'],
  'active-path.lost-events': ['warning', 'events were lost: states and wakers around the loss may be wrong'],
  'active-path.idle-wakeup': ['warning', 'a wait on the path was woken from an idle CPU with no interrupt in view: shown as UNKNOWN, never as swapper'],
  'active-path.missing-wakeup': ['info', 'a wait on the path ended with no wake-up event (switched in directly): shown as BLOCKED'],
} as const satisfies CodeTable;

/** code → [default severity, what it means]. */
export type CodeTable = Record<string, readonly [Severity, string]>;

/**
 * The code tables of input adapters, by adapter name: each `codes.ts` adds its own entry by
 * declaration merging, so a code is checked where it is reported without this file naming it.
 */
export interface AdapterCodeTables {}

type AdapterCode = { [K in keyof AdapterCodeTables]: keyof AdapterCodeTables[K] & string }[keyof AdapterCodeTables];

export type DiagnosticCode = keyof typeof CODES | AdapterCode;

const catalogue = new Map<string, readonly [Severity, string]>(Object.entries(CODES));

/**
 * Declares the codes of one adapter (each must start with `prefix.`) and returns the table.
 * A code can be declared once; declaring the same table again is harmless.
 */
export function defineCodes<T extends CodeTable>(prefix: string, table: T): T {
  for (const [code, info] of Object.entries(table)) {
    if (!code.startsWith(`${prefix}.`)) throw new Error(`diagnostic code ${code} does not start with "${prefix}."`);
    const had = catalogue.get(code);
    if (had && (had[0] !== info[0] || had[1] !== info[1])) throw new Error(`diagnostic code ${code} is declared twice`);
    catalogue.set(code, info);
  }
  return table;
}

/** [default severity, meaning] of a declared code. */
export function codeInfo(code: string): readonly [Severity, string] | undefined {
  return catalogue.get(code);
}

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
    const info = catalogue.get(code);
    if (!info) throw new Error(`diagnostic code ${code} was never declared (its adapter's codes.ts is not loaded)`);
    const sev = severity ?? info[0];
    this.counts.set(code, (this.counts.get(code) ?? 0) + 1);
    this.bySeverity[sev]++;
    if (this.sink) this.sink({ severity: sev, code, message: message ?? info[1], file: this.file, line });
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

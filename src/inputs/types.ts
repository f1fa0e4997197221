import type { Report } from '../model/diagnostics.js';
import type { TraceEvent } from '../model/events.js';
import type { StackOptions } from '../model/stacks.js';

/**
 * Options every input adapter may read (all optional; adapters ignore what does not apply).
 * Stack inputs read the frame options (`offsets`, `unreliable`, `modules`) the model's
 * `StackOptions` declares.
 */
export interface InputOptions extends Partial<StackOptions> {
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

export interface ParseContext {
  /** Name of the input as shown in diagnostics. */
  file: string;
  report: Report;
  options: InputOptions;
}

/**
 * One parsing run. `push` receives consecutive lines (without line terminators) with the
 * 1-based number of the first one and returns the events they complete; `end` returns the rest.
 */
export interface InputParser {
  push(lines: string[], firstLine: number): TraceEvent[];
  end(): TraceEvent[];
}

export type SniffAnswer = 'yes' | 'no' | 'maybe';

/**
 * How sure a sniffer is: 3 the format's own marker (a `# tracer: function_graph` header, a
 * trace-cmd `funcgraph_entry:` line), 2 its grammar on most lines, 1 traces of it among other
 * text, 0 none.
 */
export type SniffLevel = 0 | 1 | 2 | 3;

export interface SniffVerdict {
  answer: SniffAnswer;
  level: SniffLevel;
  /** Why, in words (`5 of 6 lines are function_graph lines`). */
  reason: string;
  /** 1-based numbers of the head's lines the answer rests on (a few, not all). */
  lines: number[];
  /** Share of the head's non-blank lines the format's grammar reads (0..1), when known. */
  share?: number;
}

export interface InputAdapter {
  /** Used for `--from`, `samples/<name>/`, diagnostic code prefixes. */
  name: string;
  description: string;
  /** Order among adapters when sniffing: lower goes first (strict formats before permissive). */
  priority: number;
  /** Looks at a bounded prefix of the input (decoded text, at most 64 KiB). */
  sniff(head: string): SniffAnswer;
  /**
   * Optional: the same decision with its confidence and evidence. Adapters without it are
   * mapped from `sniff` (yes → level 2, maybe → 1, no → 0) by the registry's `explainSniff`.
   */
  sniffVerdict?(head: string): SniffVerdict;
  createParser(ctx: ParseContext): InputParser;
}

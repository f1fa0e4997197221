import type { Report } from '../model/diagnostics.js';
import type { TraceEvent } from '../model/events.js';

/** Options every input adapter may read (all optional; adapters ignore what does not apply). */
export interface InputOptions {
  /** Stack inputs: keep `+0x1a/0x40` offsets on frames (default false). */
  offsets?: boolean;
  /** Stack inputs: keep `?` unreliable frames (default false, see the README). */
  unreliable?: boolean;
  /** Stack inputs: keep `[module]` suffixes on frame names (default true). */
  modules?: boolean;
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

export interface InputAdapter {
  /** Used for `--from`, `samples/<name>/`, diagnostic code prefixes. */
  name: string;
  description: string;
  /** Order among adapters when sniffing: lower goes first (strict formats before permissive). */
  priority: number;
  /** Looks at a bounded prefix of the input (decoded text, at most 64 KiB). */
  sniff(head: string): SniffAnswer;
  createParser(ctx: ParseContext): InputParser;
}

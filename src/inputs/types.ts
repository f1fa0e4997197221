import type { CodeTable, Report } from '../model/diagnostics.js';
import type { TraceEvent } from '../model/events.js';
import type { StackOptions } from '../model/stacks.js';

/**
 * Options input adapters read (all optional; adapters ignore what does not apply). Stack inputs
 * read the frame options (`offsets`, `unreliable`, `modules`) the model's `StackOptions`
 * declares; an adapter with options of its own adds their keys here by declaration merging, next
 * to their command-line spec (see `perf-script/options.ts`).
 */
export interface InputOptions extends Partial<StackOptions> {}

/**
 * One option of an input adapter, as `convert` and `batch` offer it (`--name`). Its key in
 * `InputOptions` is the camelCase of the name (`with-pid` → `withPid`); the value is passed
 * when the user gave it or it has a default.
 */
export interface InputOptionSpec {
  name: string;
  type: 'boolean' | 'string' | 'number';
  description: string;
  default?: boolean | string | number;
  choices?: readonly string[];
}

export interface ParseContext {
  /** Name of the input as shown in diagnostics. */
  file: string;
  report: Report;
  options: InputOptions;
}

/**
 * Complete lines of one read, as byte ranges of one buffer: line k is `buf[starts[k], ends[k])`
 * without its `\n` (nor the `\r` of a `\r\n`). When every byte is ASCII and no line needed a
 * repair, `texts` is null and a byte is a character; otherwise `texts` holds every line's text,
 * decoded, cut and checked as the text path reads it, and byte readers must use those.
 */
export interface ByteLines {
  buf: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
  count: number;
  /** Number of line 0 (1-based). */
  first: number;
  texts: string[] | null;
}

/**
 * One parsing run. `push` receives consecutive lines (without line terminators) with the
 * 1-based number of the first one and returns the events they complete; `end` returns the rest.
 */
export interface InputParser {
  push(lines: string[], firstLine: number): TraceEvent[];
  /**
   * Optional: the same as `push` for lines given as bytes (a byte-level tokenizer reads them
   * without a string per line). The pipeline uses it when present; the events must be those
   * `push` gives for the same lines as text.
   */
  pushBytes?(lines: ByteLines): TraceEvent[];
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
  /** Order among adapters in detection reports: lower goes first (see `registry.ts`). */
  priority: number;
  /** Its diagnostic codes (`<name>.<what>`, declared in its `codes.ts`). */
  codes: CodeTable;
  /** Its own command-line options, if any (the shared stack options are not repeated here). */
  options?: readonly InputOptionSpec[];
  /** Looks at a bounded prefix of the input (decoded text, at most 64 KiB). */
  sniff(head: string): SniffAnswer;
  /**
   * Optional: the same decision with its confidence and evidence. Adapters without it are
   * mapped from `sniff` (yes → level 2, maybe → 1, no → 0) by the registry's `explainSniff`.
   */
  sniffVerdict?(head: string): SniffVerdict;
  createParser(ctx: ParseContext): InputParser;
}

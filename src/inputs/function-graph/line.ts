/**
 * The shapes of function_graph tokenizing: a trace line's columns (`FgLine`), what else a line
 * can be (`TokenResult`), and the state kept across lines. Every tokenizer path (general,
 * text fast path, byte path, trace-cmd) produces these.
 */
import type { Args } from '../../model/events.js';

export type FgKind = 'entry' | 'leaf' | 'exit' | 'comment' | 'irq-enter' | 'irq-exit' | 'event';

/** One trace line, tokenized. Numbers are -1 when the column is absent. */
export interface FgLine {
  kind: FgKind;
  line: number;
  cpu: number;
  /** Task from the proc column or a trace-cmd line. */
  comm?: string;
  pid: number;
  /** Absolute time in ns (abstime column or trace-cmd), or -1. */
  ts: number;
  /** Duration in ns, or -1. */
  dur: number;
  /** Function name (with ` [module]` when printed), comment text, or event name. */
  text: string;
  /** `func(a=1)` arguments, a closing comment's return value, an event's fields. */
  args?: Args;
  /** Closing brace names its function (`} /* func *\/`). */
  tail?: string;
  /** The line came from `trace-cmd report`. */
  tc?: boolean;
  /** `trace-cmd report -i a.dat -i b.dat`: the input file the line came from. */
  file?: string;
}

export interface TokenizeState {
  /** The last CPU seen, for lines that lost their CPU column. */
  lastCpu: number;
  sawCpu: boolean;
  /**
   * A `# tracer:` header was seen and no line with columns since: a line holding only the
   * FUNCTION column (`nocontext-info`, every column off) is a trace line, not prose.
   */
  tracerHeader?: boolean;
  /** A function name cut by a mailer, waiting for its `[module]() {` continuation. */
  pendingName?: { name: string; line: number; prefix: Omit<FgLine, 'kind' | 'text' | 'line'> };
}

export type TokenResult =
  | FgLine
  | { kind: 'header'; tracer?: string }
  | { kind: 'blank' }
  | { kind: 'rule' }
  | { kind: 'switch'; cpu: number; from: string; to: string }
  | { kind: 'overrun'; count: number }
  | { kind: 'dropped'; cpu: number; count: number }
  | { kind: 'text' }
  | { kind: 'malformed'; why: string }
  | { kind: 'held' };

/**
 * ftrace `function_graph` text, as tracefs prints it (`/sys/kernel/tracing/trace`, every
 * `funcgraph-*` column option) and as `trace-cmd report` prints the same tracer, including the
 * way people paste it into mails and web pages.
 *
 * Tokenize: each line becomes a FgLine (columns + one of entry/leaf/exit/comment/...).
 * Interpret: per-thread call stacks through the shared SliceBuilder. Nesting comes from the
 * braces, never from indentation (mailers and web pages mangle indentation).
 */
import type { InputAdapter } from '../types.js';
import { codes } from './codes.js';
import { FunctionGraphParser } from './parse.js';
import { sniff, sniffVerdict } from './sniff.js';

export { RECONSTRUCTED_ORIGIN_NS } from './parse.js';
export { tokenize, type FgLine, type TokenizeState, type TokenResult } from './tokenize.js';

export const functionGraph: InputAdapter = {
  name: 'function-graph',
  description: 'ftrace function_graph text (tracefs `trace`, every funcgraph-* option, trace-cmd report)',
  priority: 20,
  codes,
  sniff,
  sniffVerdict,
  createParser: (ctx) => new FunctionGraphParser(ctx),
};

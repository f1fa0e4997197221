/**
 * The diagnostic codes of the `function-graph` input (function_graph text): code → [default
 * severity, what it means]. The registry merges them with the codes every input shares
 * (`src/model/diagnostics.ts`).
 */
import { defineCodes } from '../../model/diagnostics.js';

export const codes = defineCodes('function-graph', {
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
} as const);

declare module '../../model/diagnostics.js' {
  interface AdapterCodeTables {
    'function-graph': typeof codes;
  }
}

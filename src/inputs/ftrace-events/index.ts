/**
 * The `ftrace-events` input: ftrace event text as tracefs prints it (`trace`, `trace_pipe`, with
 * every option that changes the line) and as `trace-cmd report` prints it (its layouts and
 * plugins): trace events, the function tracer, `<stack trace>` blocks.
 *
 * Sniff: a clear yes only. function_graph text (its tracer header, funcgraph events, `|` body
 * lines) is the function-graph input's, so any sign of it is a no here.
 */
import type { InputAdapter, SniffAnswer } from '../types.js';
import { FtraceEventsParser } from './interpret.js';
import { tokenizeLine } from './line.js';

const RE_FUNCGRAPH = /^\s*#\s*tracer:\s*function_graph|funcgraph_(?:entry|exit):|\|\s+[\w.$]+\(\)\s*[{;]|^\s*\d+\)\s.*\|/m;

export function sniffFtraceEvents(head: string): SniffAnswer {
  if (RE_FUNCGRAPH.test(head)) return 'no';
  const tracerHeader = /^#\s*tracer:\s*\S+/m.test(head);
  let events = 0;
  let raw = 0;
  let other = 0;
  for (const line of head.split('\n', 2000)) {
    const t = tokenizeLine(line);
    if (t.kind === 'event') {
      if (t.layout === 'raw' || t.layout === 'hex') raw++;
      else events++;
    } else if (t.kind === 'unparsed') other++;
  }
  if (events >= 3 && events >= 2 * other) return 'yes';
  if (tracerHeader && raw >= 3 && raw >= 2 * other) return 'yes';
  return events + raw > 0 ? 'maybe' : 'no';
}

export const ftraceEvents: InputAdapter = {
  name: 'ftrace-events',
  description: 'ftrace event text (tracefs trace/trace_pipe with any options, trace-cmd report): sched, irq, syscalls, block, timers, the function tracer, stack traces',
  // After function-graph (20), whose text it refuses, so the order only matters for `maybe`s.
  priority: 25,
  sniff: sniffFtraceEvents,
  createParser: (ctx) => new FtraceEventsParser(ctx),
};

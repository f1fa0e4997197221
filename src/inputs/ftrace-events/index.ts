/**
 * The `ftrace-events` input: ftrace event text as tracefs prints it (`trace`, `trace_pipe`, with
 * every option that changes the line) and as `trace-cmd report` prints it (its layouts and
 * plugins): trace events, the function tracer, `<stack trace>` blocks.
 *
 * Sniff: a clear yes only. function_graph text (its tracer header, funcgraph events, `|` body
 * lines) is the function-graph input's, so any sign of it is a no here.
 */
import type { InputAdapter, SniffAnswer, SniffVerdict } from '../types.js';
import { codes } from './codes.js';
import { FtraceEventsParser } from './interpret.js';
import { tokenizeLine } from './line.js';
import { meaningOf, Op } from './meaning.js';

const RE_FUNCGRAPH = /^\s*#\s*tracer:\s*function_graph|funcgraph_(?:entry|exit):|\|\s+[\w.$]+\(\)\s*[{;]|^\s*\d+\)\s.*\|/m;

/** The verdict with its evidence (see SniffLevel): level 3 with a tracer header or trace-cmd's `cpus=` banner. */
export function sniffVerdict(head: string): SniffVerdict {
  const fg = RE_FUNCGRAPH.exec(head);
  if (fg) {
    const line = head.slice(0, fg.index).split('\n').length;
    return { answer: 'no', level: 0, reason: 'function_graph text (the function-graph input reads it)', lines: [line] };
  }
  let events = 0;
  let raw = 0;
  let other = 0;
  let marker = 0;
  // context-info off: payloads alone; known tracepoint names count on their own.
  let bare = 0;
  let knownBare = 0;
  const lines: number[] = [];
  const all = head.split('\n', 2000);
  for (let k = 0; k < all.length; k++) {
    const t = tokenizeLine(all[k]!);
    if (t.kind === 'event') {
      if (t.layout === 'raw' || t.layout === 'hex') raw++;
      else events++;
      if (lines.length < 3) lines.push(k + 1);
    } else if (t.kind === 'bare') {
      bare++;
      const name = /^[\w.]+/.exec(t.payload)?.[0] ?? '';
      if (meaningOf(name).op !== Op.Instant || name.startsWith('sys_')) knownBare++;
      if (lines.length < 3) lines.push(k + 1);
    } else if (t.kind === 'unparsed') other++;
    else if ((t.kind === 'header' && t.tracer) || t.kind === 'cpus') marker = marker || k + 1;
  }
  const read = events + raw;
  const share = read + other > 0 ? read / (read + other) : 0;
  const why = `${read} of ${read + other} lines are ftrace event lines`;
  if (marker && read >= 1 && read >= 2 * other) return { answer: 'yes', level: 3, reason: `${why}, after a tracer header or cpus= banner`, lines: [marker, ...lines], share };
  if (events >= 3 && events >= 2 * other) return { answer: 'yes', level: 2, reason: why, lines, share };
  if (events === 0 && raw === 0 && bare > 0 && bare >= 2 * other) {
    const bareWhy = `${bare} of ${bare + other} lines are ftrace events printed with context-info off`;
    const bareShare = bare / (bare + other);
    if (marker) return { answer: 'yes', level: 3, reason: `${bareWhy}, after a tracer header`, lines: [marker, ...lines], share: bareShare };
    if (knownBare >= 3) return { answer: 'yes', level: 2, reason: `${bareWhy} (${knownBare} of known events)`, lines, share: bareShare };
  }
  return read > 0 ? { answer: 'maybe', level: 1, reason: why, lines, share } : { answer: 'no', level: 0, reason: why, lines, share };
}

export function sniffFtraceEvents(head: string): SniffAnswer {
  return sniffVerdict(head).answer;
}

export const ftraceEvents: InputAdapter = {
  name: 'ftrace-events',
  description: 'ftrace event text (tracefs trace/trace_pipe with any options, trace-cmd report): sched, irq, syscalls, block, timers, the function tracer, stack traces',
  priority: 25,
  codes,
  sniff: sniffFtraceEvents,
  sniffVerdict,
  createParser: (ctx) => new FtraceEventsParser(ctx),
};

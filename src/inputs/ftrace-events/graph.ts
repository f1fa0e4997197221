/**
 * function_graph lines inside event text (the function_graph tracer with events enabled, or
 * `trace-cmd report` of such a recording read as events): they go, line by line, to a
 * function-graph parser, through that adapter's public interface, and its events join ours
 * with their track ids moved out of our range. Threads are keyed by tid in every output, so a
 * task's calls and its events land on the same thread.
 */
import type { TraceEvent } from '../../model/events.js';
import { functionGraph } from '../function-graph/index.js';
import type { InputParser, ParseContext } from '../types.js';

/** Track ids of the function-graph parser start here (ours are far below). */
export const GRAPH_TRACK_BASE = 1 << 20;

const RE_GRAPH_BODY = /(?:\d+\)|\bus)\s.*\|\s+(?:[\w.$]+.*\(.*\)\s*(?:\{|;)|\}|\/\*)/;

/**
 * Context-switch banners, their rules and overrun lines: short lines (comms are at most 15
 * characters), so longer ones are not tried (the two `.*` would cost the length squared).
 */
const RE_GRAPH_OTHER = /^\s*(?:(?:\d+\)\s+)?\S.*-\d+\s+=>\s+\S.*-\d+\s*|-{20,}\s*|\(Overruns:\s*\d+\)\s*)$/;
const MAX_OTHER_LINE = 256;

/** A tracefs function_graph body line (`CPU) dur | func() {`, `| }`, a `|` comment line). */
export const isGraphBody = (raw: string) => (raw.indexOf('|') !== -1 && RE_GRAPH_BODY.test(raw)) || (raw.length <= MAX_OTHER_LINE && RE_GRAPH_OTHER.test(raw));

export class GraphLines {
  private parser: InputParser | undefined;
  lines = 0;

  constructor(private readonly ctx: ParseContext) {}

  push(raw: string, no: number, out: TraceEvent[]): void {
    this.parser ??= functionGraph.createParser(this.ctx);
    this.lines++;
    this.move(this.parser.push([raw], no), out);
  }

  end(out: TraceEvent[]): void {
    if (this.parser) this.move(this.parser.end(), out);
  }

  private move(evs: TraceEvent[], out: TraceEvent[]) {
    for (const e of evs) {
      switch (e.kind) {
        case 'info':
          continue;
        case 'track':
          out.push({ kind: 'track', track: { ...e.track, id: e.track.id + GRAPH_TRACK_BASE } });
          continue;
        case 'begin':
        case 'end':
        case 'instant':
        case 'counter':
        case 'sample':
          out.push({ ...e, track: e.track + GRAPH_TRACK_BASE });
          continue;
        default:
          out.push(e);
      }
    }
  }
}

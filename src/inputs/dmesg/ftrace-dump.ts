/**
 * An ftrace dump inside a kernel log (`sysrq-z`, `ftrace_dump_on_oops`): the kernel prints
 *
 *   Dumping ftrace buffer:
 *   ---------------------------------
 *   <the trace buffer, one printk per line, in the current tracer's layout>
 *   ---------------------------------
 *
 * The lines between the rules are handed, without their log prefix, to the function-graph input
 * through its adapter interface (`createParser`), with their real line numbers, so its calls and
 * diagnostics join the log's call traces in one output. Its tracks are moved to their own id
 * range so they never meet the log's.
 */
import type { TraceEvent } from '../../model/events.js';
import { functionGraph } from '../function-graph/index.js';
import type { InputParser, ParseContext } from '../types.js';

/** First track id of the dumps' tracks (the log's own tracks stay far below). */
const DUMP_TRACK_BASE = 1 << 20;
const DUMP_HEADER = 'Dumping ftrace buffer:';
const RE_RULE = /^\s*-{20,}\s*$/;
/** A dump is printed in one go: a line this much later is after it. */
const DUMP_GAP_NS = 1_000_000_000;

export class FtraceDumps {
  /** 0: not in a dump; 1: after `Dumping ftrace buffer:`; 2: between the rules. */
  private state: 0 | 1 | 2 = 0;
  private parser: InputParser | undefined;
  private readonly out: TraceEvent[] = [];
  private lastNs = -1;
  /** Dumps seen so far. */
  dumps = 0;

  constructor(private readonly ctx: ParseContext) {}

  /** Between the rules of a dump. */
  get inside(): boolean {
    return this.state === 2;
  }

  /**
   * Takes a log line's message when it belongs to a dump; returns false otherwise. A dump whose
   * closing rule was lost (a log cut short) ends at the first line printed more than a second
   * after the dump's previous one (the kernel prints a dump in one go), or when the caller says
   * the line starts a report (`end`).
   */
  line(text: string, no: number, bootNs: number): boolean {
    if (this.state === 2 && bootNs >= 0 && this.lastNs >= 0 && bootNs - this.lastNs > DUMP_GAP_NS) this.cut(no);
    if (bootNs >= 0) this.lastNs = bootNs;
    if (this.state === 0) {
      // The substring test first: most lines are not it, and trimming them would copy them.
      if (!text.includes(DUMP_HEADER) || text.trim() !== DUMP_HEADER) return false;
      this.state = 1;
      return true;
    }
    if (this.state === 1) {
      if (!RE_RULE.test(text)) {
        this.state = 0;
        return false;
      }
      this.state = 2;
      this.dumps++;
      // One parser for all dumps of the log: a later dump continues the same buffer's tracks.
      this.parser ??= functionGraph.createParser(this.ctx);
      return true;
    }
    if (RE_RULE.test(text)) {
      this.state = 0;
      return true;
    }
    this.add(this.parser!.push([text], no));
    return true;
  }

  /** Ends a dump without its closing rule at line `no` (which is not part of it). */
  cut(no: number): void {
    if (this.state !== 2) return;
    this.state = 0;
    this.ctx.report('dmesg.truncated', no, 'an ftrace dump without its closing `-----` rule ends here');
  }

  /** Events are waiting to be taken. */
  get pending(): boolean {
    return this.out.length > 0;
  }

  /** Events completed so far (track ids moved). */
  take(into: TraceEvent[]): void {
    if (this.out.length === 0) return;
    for (const e of this.out) into.push(e);
    this.out.length = 0;
  }

  end(into: TraceEvent[]): void {
    if (this.parser) this.add(this.parser.end().filter((e) => e.kind !== 'info'));
    this.parser = undefined;
    this.state = 0;
    this.take(into);
  }

  private add(evs: TraceEvent[]) {
    for (const e of evs) {
      if (e.kind === 'track') this.out.push({ ...e, track: { ...e.track, id: e.track.id + DUMP_TRACK_BASE } });
      else if ('track' in e && typeof e.track === 'number') this.out.push({ ...e, track: e.track + DUMP_TRACK_BASE } as TraceEvent);
      else this.out.push(e);
    }
  }
}

/**
 * Turns tokenized kernel log lines into one `sample` event per call trace.
 *
 * A *report* is what the kernel prints for one incident (`WARNING:`, `BUG:`, an Oops, a KASAN
 * report, a hung task, an RCU stall, a sysrq dump, ...): a header, the task line (`CPU: 1 PID:
 * 123 Comm: bash`), registers, and one or more call traces. A *trace* is the block of frames
 * after `Call Trace:` (or a bare `dump_stack()` block without a header). Each trace becomes one
 * sample of weight 1; a histogram entry (`Trace1 59281` or bpftrace's `@[...]: N`) becomes one
 * sample whose weight is the count.
 *
 * Frames are read leaf first (as printed). Sections stack up: a trace that starts in `<NMI>` or
 * `<IRQ>` then continues in `<TASK>` is one stack whose interrupt frames sit on top of the
 * interrupted task's. A `RIP:` (or `pc :`, `epc :`, `NIP`, `PSW`, `EIP is at`) printed before
 * the trace is the faulting function, the leaf; one printed inside the trace is where the
 * outer section was interrupted, and goes between the two sections.
 *
 * With caller ids (`[ T1234]`, `[ C1]`) every task and CPU has its own state, so interleaved
 * output of several CPUs is taken apart. Without them a foreign line inside a trace is held
 * (up to three in a row): if frames follow, it was interleaved output and the trace goes on.
 *
 * The steps live by job: `handlers.ts` (what each kind of line does), `assemble.ts` (frames into
 * a trace), `incident.ts` (reports), `emit.ts` (a trace → a sample), `histogram.ts`, `clock.ts`,
 * `info.ts`; the state they share is in `state.ts`.
 */
import type { TraceEvent } from '../../model/events.js';
import { TraceSink } from '../../model/sink.js';
import { StackBuilder } from '../../model/stacks.js';
import type { InputParser, ParseContext } from '../types.js';
import { finishState } from './assemble.js';
import { LogClock } from './clock.js';
import { FtraceDumps } from './ftrace-dump.js';
import { handle } from './handlers.js';
import { checkTotal, dropPendingCount } from './histogram.js';
import { touchIncident } from './incident.js';
import { infoEvent } from './info.js';
import { newPrefix, stripPrefix } from './prefix.js';
import { newDmesgState, type CallerState, type DmesgState } from './state.js';
import { tokenize, type Token, type TokenizeFlags } from './tokenize.js';

const TEXT: Token = { t: 'text' };

export class DmesgParser implements InputParser {
  private readonly c: DmesgState;
  private readonly sink = new TraceSink();
  private readonly prefix = newPrefix();
  private readonly flags: TokenizeFlags = { kernel: false, bpf: false };
  private readonly clock = new LogClock();
  private readonly dumps: FtraceDumps;
  /** Events taken early so that a dump's events keep their place in line order. */
  private queued: TraceEvent[] = [];
  private infoSent = false;

  constructor(ctx: ParseContext) {
    this.c = newDmesgState(ctx.report, this.sink, new StackBuilder(ctx.options));
    this.dumps = new FtraceDumps(ctx);
  }

  push(lines: string[], firstLine: number): TraceEvent[] {
    for (let k = 0; k < lines.length; k++) this.line(lines[k]!, firstLine + k);
    return this.take();
  }

  end(): TraceEvent[] {
    const c = this.c;
    dropPendingCount(c);
    finishState(c, c.main);
    for (const st of c.callers.drain()) finishState(c, st);
    checkTotal(c);
    const evs = this.take();
    this.dumps.end(evs);
    if (!this.infoSent) evs.unshift(infoEvent(c, this.clock));
    this.infoSent = true;
    return evs;
  }

  /** Events in line order whatever the batches (a dump's events after the log's before them). */
  private take(): TraceEvent[] {
    if (this.queued.length === 0) return this.sink.take();
    const evs = this.queued;
    this.queued = [];
    for (const e of this.sink.take()) evs.push(e);
    return evs;
  }

  private stateFor(caller: string): CallerState {
    const c = this.c;
    return caller ? c.callers.get(caller, (old) => finishState(c, old)) : c.main;
  }

  /** A line of an ftrace dump goes to the dump reader (true); a report line cuts a dump short. */
  private dumpLine(no: number): boolean {
    const p = this.prefix;
    if (this.dumps.inside) {
      const k = tokenize(p.text, this.flags).t;
      if (k === 'trace-start' || k === 'header' || k === 'task') this.dumps.cut(no);
    }
    if (!this.dumps.line(p.text, no, p.bootNs)) return false;
    if (this.dumps.pending) {
      for (const e of this.sink.take()) this.queued.push(e);
      this.dumps.take(this.queued);
    }
    return true;
  }

  private line(raw: string, no: number): void {
    const p = this.prefix;
    const c = this.c;
    stripPrefix(raw, p);
    if (p.skip || this.dumpLine(no)) return;
    const ts = this.clock.time(p);
    const s = c.summary;
    if (p.caller) s.sawCaller = true;
    if (p.numbered) s.sawNumbers = true;
    if (p.foreign || (p.kernel && p.wallKind === 2)) s.sawSyslog = true;
    const st = this.stateFor(p.caller);
    this.flags.kernel = p.kernel || p.foreign;
    this.flags.bpf = st.block?.bpf !== undefined;
    const tok = p.foreign ? TEXT : tokenize(p.text, this.flags);
    if (tok.t !== 'blank') {
      touchIncident(c, st, tok.t === 'text', no, ts);
      if (tok.t !== 'frames' && tok.t !== 'trace-start') dropPendingCount(c);
    }
    handle(c, st, tok, no, ts);
  }
}

export function createDmesgParser(ctx: ParseContext): InputParser {
  return new DmesgParser(ctx);
}

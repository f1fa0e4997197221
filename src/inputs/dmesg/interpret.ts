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
 */
import type { Report } from '../../model/diagnostics.js';
import type { Args, StackSample, TraceEvent } from '../../model/events.js';
import { SliceBuilder } from '../../model/slices.js';
import { MAX_FRAMES, StackBuilder, type RawFrame } from '../../model/stacks.js';
import type { InputParser, ParseContext } from '../types.js';
import { FtraceDumps } from './ftrace-dump.js';
import { newPrefix, stripPrefix } from './prefix.js';
import { tokenize, type Item, type Token, type TokenizeFlags } from './tokenize.js';

/**
 * A report whose traces were printed ends at `---[ end trace`, at the next report, or when the
 * log moves on: this many prose lines in a row, or this much time without a line of it.
 */
const REPORT_PROSE_LINES = 40;
const REPORT_IDLE_NS = 5e9;
/** A trace of a task or CPU whose state names no report belongs to one begun this close by another. */
const BORROW_LINES = 300;

/** Foreign lines held inside a trace before it is considered finished. */
const MAX_GAP = 3;
/** Per-caller states kept (least recently used are finished first). */
const MAX_CALLERS = 256;
/** A refining header (`Oops:` after `BUG: unable to handle`) belongs to a report begun this close. */
const REFINE_LINES = 12;

interface Incident {
  reason: string;
  title: string;
  line: number;
  /** Time of the header line. */
  ts: number | undefined;
  stacks: number;
  /** Time and line of the last line that belonged to the report. */
  lastTs: number | undefined;
  lastLine: number;
  /** Prose lines in a row since then. */
  prose: number;
}

interface Block {
  line: number;
  ts: number | undefined;
  frames: RawFrame[];
  capped: boolean;
  /** Opened by `Call Trace:` (an empty one is worth a warning). */
  headed: boolean;
  /** Histogram weight, or 1. */
  weight: number;
  histogram?: { label: string; line: number };
  bpf?: { name: string; key: string };
  /** Section stack (`IRQ`, `TASK`, ...) and the context of frames being read. */
  sections: string[];
  context: string | undefined;
  /** First frame index of the run since the last section marker. */
  runStart: number;
  /**
   * The faulting location printed before the trace, not placed yet: it is the leaf, unless the
   * trace starts in `<NMI>` (an NMI backtrace shows the registers of the code the NMI
   * interrupted), where it goes right below the NMI frames.
   */
  deferredFault: RawFrame[] | undefined;
  faultAfterNmi: boolean;
  /** The last frame came from a fault line (a following frame of the same function repeats it). */
  lastWasFault: boolean;
  /** arm32: the caller of the last `callee from caller` line, pushed at the end. */
  armCaller: RawFrame | undefined;
  /** The last arm32 caller was printed `[inline]`; the callee of that line. */
  armInline: boolean;
  armCallee: string;
  /** Line numbers of foreign lines since the last frame. */
  gap: number[];
  /** Frames copied from `<Same stack as pid N>`. */
  sameAs?: number;
}

interface CallerState {
  incident: Incident | undefined;
  cpu: number | undefined;
  pid: number | undefined;
  comm: string | undefined;
  /** `task state`, `NMI backtrace`: what the task line said, for traces without a report. */
  taskKind: string | undefined;
  label: string | undefined;
  /** Stacks emitted since the report context was last set. */
  emitted: number;
  /** Faulting location(s) printed before the trace (an inlined function first), leaf first. */
  fault: { frames: RawFrame[]; line: number; ts: number | undefined } | undefined;
  /** After `---[ end trace`: a `RIP:` now is the recap modern kernels print, not a new report. */
  afterEnd: boolean;
  block: Block | undefined;
  skipNextFrame: boolean;
}

const SECTION_CONTEXT: Record<string, string> = { IRQ: 'irq', NMI: 'nmi', SOFTIRQ: 'softirq', TASK: 'task' };
const sectionContext = (name: string) => SECTION_CONTEXT[name] ?? name.toLowerCase();

function newBlock(line: number, ts: number | undefined, headed: boolean): Block {
  return {
    line,
    ts,
    frames: [],
    capped: false,
    headed,
    weight: 1,
    sections: [],
    context: undefined,
    runStart: 0,
    deferredFault: undefined,
    faultAfterNmi: false,
    lastWasFault: false,
    armCaller: undefined,
    armInline: false,
    armCallee: '',
    gap: [],
  };
}

function newState(): CallerState {
  return {
    incident: undefined,
    cpu: undefined,
    pid: undefined,
    comm: undefined,
    taskKind: undefined,
    label: undefined,
    emitted: 0,
    fault: undefined,
    block: undefined,
    skipNextFrame: false,
    afterEnd: false,
  };
}

export class DmesgParser implements InputParser {
  private readonly report: Report;
  private readonly b: SliceBuilder;
  private readonly stacks: StackBuilder;
  private readonly prefix = newPrefix();
  private readonly flags: TokenizeFlags = { kernel: false, bpf: false };
  private readonly main = newState();
  private readonly callers = new Map<string, CallerState>();
  private readonly names = new Map<number, string>();
  /** The report begun last in any task's or CPU's output. */
  private lastIncident: Incident | undefined;
  /** Last stack seen per task, for `<Same stack as pid N>` (bounded). */
  private readonly lastStacks = new Map<number, RawFrame[]>();

  // Time.
  private lastTs: number | undefined;
  private sawBoot = false;
  private wallKind: 0 | 1 | 2 = 0;
  private wallOrigin = 0;
  private wallDay = 0;
  private lastWallSec = -1;

  // Histograms.
  private pendingCount: { label: string; count: number; line: number } | undefined;
  private statedTotal = 0;
  private statedTotalLine = 0;
  private histogramWeight = 0;
  private histogramEntries = 0;
  private bpfEntries = 0;

  // Summary.
  private samples = 0;
  private timedSamples = 0;
  private totalWeight = 0;
  private sawCaller = false;
  private sawSyslog = false;
  private sawNumbers = false;
  private infoSent = false;
  private readonly dumps: FtraceDumps;
  /** Events taken early so that a dump's events keep their place in line order. */
  private queued: TraceEvent[] = [];

  constructor(ctx: ParseContext) {
    this.report = ctx.report;
    // dmesg makes no slices; the builder gives it tracks.
    this.b = new SliceBuilder(ctx.report, { unmatchedExit: 'dmesg.truncated', unclosedEntry: 'dmesg.truncated' });
    this.stacks = new StackBuilder(ctx.options);
    this.dumps = new FtraceDumps(ctx);
  }

  push(lines: string[], firstLine: number): TraceEvent[] {
    for (let k = 0; k < lines.length; k++) this.line(lines[k]!, firstLine + k);
    if (this.queued.length > 0) {
      // Events in line order whatever the batches (a dump's events after the log's before them).
      const evs = this.queued;
      this.queued = [];
      for (const e of this.b.take()) evs.push(e);
      return evs;
    }
    return this.b.take();
  }

  end(): TraceEvent[] {
    if (this.pendingCount) this.report('dmesg.prose', this.pendingCount.line);
    this.pendingCount = undefined;
    this.finishState(this.main, 0);
    for (const st of this.callers.values()) this.finishState(st, 0);
    this.callers.clear();
    if (this.statedTotalLine > 0 && this.histogramEntries > 0 && this.statedTotal !== this.histogramWeight) {
      const d = this.histogramWeight - this.statedTotal;
      this.report(
        'dmesg.total-mismatch',
        this.statedTotalLine,
        `stated total ${this.statedTotal}, the listed stacks sum to ${this.histogramWeight} (${d > 0 ? '+' : ''}${d})`,
      );
    }
    const evs = this.queued;
    this.queued = [];
    for (const e of this.b.take()) evs.push(e);
    this.dumps.end(evs);
    this.emitInfo(evs);
    return evs;
  }

  private emitInfo(into: TraceEvent[]) {
    if (this.infoSent) return;
    this.infoSent = true;
    const notes: Record<string, string> = {
      reports: String(this.samples - this.histogramEntries),
      stacks_total_weight: String(this.totalWeight),
    };
    if (this.histogramEntries > 0) {
      notes.histogram_entries = String(this.histogramEntries);
      notes.histogram_total = String(this.histogramWeight);
      if (this.statedTotalLine > 0) notes.stated_total = String(this.statedTotal);
    }
    const timed = this.timedSamples > 0;
    let clock: 'boot' | 'absolute' | 'none' = 'none';
    let origin: string | undefined;
    if (timed && this.sawBoot) clock = 'boot';
    else if (timed && this.wallKind !== 0) {
      clock = 'absolute';
      origin = this.wallOrigin === 0 ? '0' : `${this.wallOrigin}000000000`;
      if (this.wallKind === 2) notes.wall_clock = 'time of day from syslog or `dmesg -T` dates (the date is not kept)';
    }
    if (clock === 'none' && this.samples > 0) {
      notes.timeline = this.histogramEntries > 0 ? 'stack histogram: entries are one microsecond apart in file order' : 'no timestamps: reports are one microsecond apart in file order';
    }
    if (this.sawCaller) notes.caller_ids = 'yes';
    if (this.sawNumbers) notes.line_numbers = 'removed';
    const variant =
      this.bpfEntries > 0 ? 'bpftrace' : this.histogramEntries > 0 ? 'stack histogram' : this.sawSyslog ? 'syslog/journal' : 'kernel log';
    const info: TraceEvent = { kind: 'info', format: 'dmesg', variant, clock, notes };
    if (origin !== undefined) info.clockOriginNs = origin;
    into.unshift(info);
  }

  private stateFor(caller: string): CallerState {
    if (!caller) return this.main;
    let st = this.callers.get(caller);
    if (st) {
      // Keep the map in least-recently-used order.
      this.callers.delete(caller);
      this.callers.set(caller, st);
      return st;
    }
    if (this.callers.size >= MAX_CALLERS) {
      const [k, old] = this.callers.entries().next().value as [string, CallerState];
      this.finishState(old, 0);
      this.callers.delete(k);
    }
    st = newState();
    this.callers.set(caller, st);
    return st;
  }

  /** ns time of the current line: printk time, else a wall-clock stamp, else the last one. */
  private lineTime(): number | undefined {
    const p = this.prefix;
    if (p.bootNs >= 0) {
      this.sawBoot = true;
      this.lastTs = p.bootNs;
      return p.bootNs;
    }
    if (p.wallKind !== 0 && !this.sawBoot) {
      if (this.wallKind === 0) {
        this.wallKind = p.wallKind;
        this.wallOrigin = p.wallSec;
      }
      let sec = p.wallSec;
      if (p.wallKind === 2) {
        // Time of day: a stamp far earlier than the last one is the next day.
        if (this.lastWallSec >= 0 && sec + this.wallDay < this.lastWallSec - 43200) this.wallDay += 86400;
        sec += this.wallDay;
        this.lastWallSec = sec;
      }
      const ts = Math.max(0, (sec - this.wallOrigin) * 1e9 + p.wallFracNs);
      this.lastTs = ts;
      return ts;
    }
    return this.lastTs;
  }

  private line(raw: string, no: number): void {
    const p = this.prefix;
    stripPrefix(raw, p);
    if (p.skip) return;
    if (this.dumps.inside) {
      const k = tokenize(p.text, this.flags).t;
      if (k === 'trace-start' || k === 'header' || k === 'task') this.dumps.cut(no);
    }
    if (this.dumps.line(p.text, no, p.bootNs)) {
      if (this.dumps.pending) {
        for (const e of this.b.take()) this.queued.push(e);
        this.dumps.take(this.queued);
      }
      return;
    }
    const ts = this.lineTime();
    if (p.caller) this.sawCaller = true;
    if (p.numbered) this.sawNumbers = true;
    if (p.foreign || (p.kernel && p.wallKind === 2)) this.sawSyslog = true;
    const st = this.stateFor(p.caller);
    this.flags.kernel = p.kernel || p.foreign;
    this.flags.bpf = st.block?.bpf !== undefined;
    const tok: Token = p.foreign ? { t: 'text' } : tokenize(p.text, this.flags);
    const inc = st.incident;
    if (inc && tok.t !== 'blank') {
      if (inc.stacks > 0 && !st.block && ts !== undefined && inc.lastTs !== undefined && ts - inc.lastTs > REPORT_IDLE_NS) {
        this.endIncident(st);
      } else if (tok.t !== 'text') {
        inc.lastTs = ts;
        inc.lastLine = no;
        inc.prose = 0;
      }
    }
    if (tok.t !== 'blank' && this.pendingCount && !(tok.t === 'frames' || tok.t === 'trace-start')) {
      // A count no stack followed was prose after all.
      this.report('dmesg.prose', this.pendingCount.line);
      this.pendingCount = undefined;
    }
    switch (tok.t) {
      case 'blank':
        if (st.block) this.closeBlock(st, no);
        return;
      case 'frames':
        this.frames(st, tok.items, tok.strong, no, ts);
        return;
      case 'arm':
        this.arm(st, tok.callee, tok.caller, no, ts, tok.callerInline === true);
        return;
      case 'bad-frame':
        if (st.block) {
          this.flushGap(st, 'dmesg.interleaved');
          this.report('dmesg.bad-frame', no);
        } else this.prose(st, no);
        return;
      case 'fault':
        this.fault(st, tok.frame, no, ts);
        return;
      case 'trace-start': {
        st.afterEnd = false;
        this.closeBlock(st, no);
        const blk = this.openBlock(st, no, ts, true);
        if (tok.items.length) this.items(st, blk, tok.items, no);
        return;
      }
      case 'trace-end':
        this.closeBlock(st, no);
        this.flushFault(st);
        this.endIncident(st);
        st.afterEnd = true;
        return;
      case 'same-stack': {
        // `Call Trace:` then `<Same stack as pid 2294>`: the stack printed for that task.
        const prev = this.lastStacks.get(tok.pid);
        const blk = st.block;
        if (blk && prev && blk.frames.length === 0) {
          for (const f of prev) blk.frames.push({ ...f });
          blk.sameAs = tok.pid;
        } else this.text(st, no);
        return;
      }
      case 'header': {
        st.afterEnd = false;
        this.closeBlock(st, no);
        const inc = st.incident;
        if (tok.refine && inc && inc.stacks === 0 && no - inc.line <= REFINE_LINES) return;
        this.flushFault(st);
        this.resetReport(st);
        st.incident = { reason: tok.reason, title: tok.title, line: no, ts, stacks: 0, lastTs: ts, lastLine: no, prose: 0 };
        this.lastIncident = st.incident;
        st.cpu = tok.cpu;
        st.pid = tok.pid;
        st.comm = tok.comm;
        return;
      }
      case 'task':
        if (tok.newDump) st.afterEnd = false;
        this.closeBlock(st, no);
        if (tok.newDump) {
          // A pending fault stays: old x86 prints `IP:` before the `CPU:` line of the same report.
          if (st.emitted > 0 || tok.cpu !== undefined) {
            st.cpu = undefined;
            st.pid = undefined;
            st.comm = undefined;
          }
          st.label = undefined;
        }
        st.emitted = 0;
        if (tok.cpu !== undefined) st.cpu = tok.cpu;
        if (tok.pid !== undefined) st.pid = tok.pid;
        if (tok.comm !== undefined) st.comm = tok.comm;
        else if (tok.pid !== undefined) st.comm = this.names.get(tok.pid);
        if (tok.kind !== undefined) st.taskKind = tok.kind;
        return;
      case 'label':
        this.closeBlock(st, no);
        st.label = tok.text;
        if (tok.pid !== undefined) {
          if (tok.pid !== st.pid) st.comm = this.names.get(tok.pid);
          st.pid = tok.pid;
          st.cpu = undefined;
        }
        return;
      case 'registers':
        this.report('dmesg.registers', no);
        return;
      case 'code':
        this.report('dmesg.code', no);
        return;
      case 'report':
        return;
      case 'skip-next-frame':
        this.closeBlock(st, no);
        st.skipNextFrame = true;
        return;
      case 'count':
        if (st === this.main && !st.block) {
          this.pendingCount = { label: tok.label, count: tok.count, line: no };
          return;
        }
        this.text(st, no);
        return;
      case 'total':
        this.statedTotal += tok.count;
        this.statedTotalLine = no;
        return;
      case 'bpf-open': {
        this.closeBlock(st, no);
        const blk = this.openBlock(st, no, ts, false);
        blk.bpf = { name: tok.name, key: tok.key };
        return;
      }
      case 'bpf-close':
        if (st.block?.bpf) {
          st.block.weight = tok.count;
          this.closeBlock(st, no);
        } else this.text(st, no);
        return;
      case 'wrapped-module': {
        const blk = st.block;
        const last = blk?.frames[blk.frames.length - 1];
        if (blk && last && !last.module && blk.gap.length === 0) {
          last.module = tok.module;
          this.report('dmesg.joined-line', no);
        } else this.text(st, no);
        return;
      }
      case 'text':
        this.text(st, no);
        return;
    }
  }

  /** Forgets the task, label and fault of the report (a new one begins). */
  private resetReport(st: CallerState) {
    st.cpu = undefined;
    st.pid = undefined;
    st.comm = undefined;
    st.taskKind = undefined;
    st.label = undefined;
    st.emitted = 0;
    st.fault = undefined;
  }

  /** A line we do not understand. */
  private text(st: CallerState, no: number) {
    const blk = st.block;
    if (blk) {
      blk.gap.push(no);
      if (blk.gap.length > MAX_GAP) this.closeBlock(st, no);
      return;
    }
    this.prose(st, no);
  }

  private prose(st: CallerState, no: number) {
    this.report('dmesg.prose', no);
    const inc = st.incident;
    if (inc && inc.stacks > 0 && ++inc.prose >= REPORT_PROSE_LINES) this.endIncident(st);
    else if (!inc && st.emitted > 0) {
      // Text after a trace without a report ends what the task line said.
      this.resetReport(st);
    }
  }

  private endIncident(st: CallerState) {
    if (this.lastIncident === st.incident) this.lastIncident = undefined;
    st.incident = undefined;
    this.resetReport(st);
  }

  /** The report a trace belongs to: its own task's or CPU's, else one begun just before by another. */
  private incidentOf(st: CallerState, no: number, ts: number | undefined): Incident | undefined {
    if (st.incident) return st.incident;
    const li = this.lastIncident;
    if (!li) return undefined;
    if (ts !== undefined && li.lastTs !== undefined) return ts - li.lastTs <= REPORT_IDLE_NS ? li : undefined;
    return no - li.lastLine <= BORROW_LINES ? li : undefined;
  }

  private flushGap(st: CallerState, code: 'dmesg.interleaved' | 'dmesg.prose') {
    const blk = st.block;
    if (!blk || blk.gap.length === 0) return;
    for (const l of blk.gap) this.report(code, l);
    blk.gap.length = 0;
  }

  private openBlock(st: CallerState, no: number, ts: number | undefined, headed: boolean): Block {
    const blk = newBlock(no, ts, headed);
    if (st.fault) {
      blk.deferredFault = st.fault.frames;
      if (st.fault.ts !== undefined) blk.ts = st.fault.ts;
      st.fault = undefined;
    }
    if (this.pendingCount && st === this.main) {
      blk.weight = this.pendingCount.count;
      blk.histogram = { label: this.pendingCount.label, line: this.pendingCount.line };
      this.pendingCount = undefined;
    }
    st.block = blk;
    return blk;
  }

  private frames(st: CallerState, items: Item[], strong: boolean, no: number, ts: number | undefined) {
    let blk = st.block;
    if (!blk) {
      if (!strong) {
        this.prose(st, no);
        return;
      }
      blk = this.openBlock(st, no, ts, false);
    } else this.flushGap(st, 'dmesg.interleaved');
    this.items(st, blk, items, no);
  }

  /** Places the faulting location printed before the trace. */
  private placeFault(st: CallerState, blk: Block, no: number) {
    const fr = blk.deferredFault;
    if (!fr) return;
    blk.deferredFault = undefined;
    blk.faultAfterNmi = false;
    for (const f of fr) this.addFrame(st, blk, f, no, true);
  }

  private items(st: CallerState, blk: Block, items: Item[], no: number) {
    for (const it of items) {
      if (blk.deferredFault && !blk.faultAfterNmi) {
        if (it.kind === 'open' && it.section === 'NMI' && blk.frames.length === 0) blk.faultAfterNmi = true;
        else this.placeFault(st, blk, no);
      }
      if (it.kind === 'frame') this.addFrame(st, blk, { ...it.frame }, no, false);
      else if (it.kind === 'open') {
        blk.sections.push(it.section);
        blk.context = sectionContext(it.section);
        blk.runStart = blk.frames.length;
      } else {
        const top = blk.sections[blk.sections.length - 1];
        if (top === it.section) blk.sections.pop();
        else {
          // `</IRQ>` with no `<IRQ>` (kernels before 4.14): the frames so far ran in the interrupt.
          const c = sectionContext(it.section);
          for (let k = blk.runStart; k < blk.frames.length; k++) if (!blk.frames[k]!.context) blk.frames[k]!.context = c;
        }
        const outer = blk.sections[blk.sections.length - 1];
        blk.context = outer ? sectionContext(outer) : undefined;
        if (it.section === 'NMI' && blk.faultAfterNmi) this.placeFault(st, blk, no);
        blk.runStart = blk.frames.length;
        if (it.section === 'TASK' && blk.sections.length === 0) {
          // `</TASK>` closes the whole trace.
          this.closeBlock(st, no);
          return;
        }
      }
    }
  }

  private addFrame(st: CallerState, blk: Block, f: RawFrame, no: number, fromFault: boolean) {
    if (st.skipNextFrame) {
      st.skipNextFrame = false;
      return;
    }
    const n = blk.frames.length;
    if (blk.lastWasFault && !fromFault && !f.unreliable && n > 0 && blk.frames[n - 1]!.name === f.name) {
      // `pc : foo+0x10` then `Call trace: foo+0x10`: one frame.
      blk.lastWasFault = false;
      return;
    }
    blk.lastWasFault = fromFault;
    if (n >= MAX_FRAMES) {
      if (!blk.capped) this.report('dmesg.frames-capped', no);
      blk.capped = true;
      return;
    }
    // A faulting location printed before the trace has no known context.
    if (blk.context && !f.context && !(fromFault && n === 0)) f.context = blk.context;
    blk.frames.push(f);
  }

  private fault(st: CallerState, frame: RawFrame, no: number, ts: number | undefined) {
    const blk = st.block;
    if (blk) {
      // Inside a trace: where the outer section was interrupted.
      this.flushGap(st, 'dmesg.interleaved');
      this.placeFault(st, blk, no);
      this.addFrame(st, blk, { ...frame }, no, true);
      return;
    }
    if (st.afterEnd) {
      this.report('dmesg.registers', no, 'the faulting location repeated after the end of the report');
      return;
    }
    if (st.fault && no - st.fault.line <= 2) st.fault.frames.push({ ...frame });
    else st.fault = { frames: [{ ...frame }], line: no, ts };
  }

  /** A faulting location nobody's trace used: a report cut before its call trace. */
  private flushFault(st: CallerState) {
    const f = st.fault;
    if (!f) return;
    st.fault = undefined;
    this.report('dmesg.truncated', f.line, `the report at line ${f.line} names where it faulted (${f.frames[f.frames.length - 1]!.name}) but has no call trace`);
    const blk = newBlock(f.line, f.ts, false);
    for (const fr of f.frames) blk.frames.push(fr);
    this.emit(st, blk, { truncated: true });
  }

  private arm(st: CallerState, callee: RawFrame, caller: RawFrame | undefined, no: number, ts: number | undefined, inline = false) {
    let blk = st.block;
    if (!blk) blk = this.openBlock(st, no, ts, false);
    else this.flushGap(st, 'dmesg.interleaved');
    this.placeFault(st, blk, no);
    const f = { ...callee };
    const prev = blk.armCaller;
    if (prev && blk.armInline && blk.armCallee === f.name) {
      // Symbolised output: `(f) from (g file.c:1 [inline])` then `(f) from (h+0x..)` again. g was
      // inlined into h: a frame between f (already added) and h.
      this.addFrame(st, blk, prev, no, false);
      blk.armCaller = caller ? { ...caller } : undefined;
      blk.armInline = inline;
      return;
    }
    if (prev && prev.name === f.name) {
      // The callee of this line is the caller of the last one; that line had its offset.
      if (prev.offset) f.offset = prev.offset;
      if (prev.module && !f.module) f.module = prev.module;
    } else if (prev && !prev.offset?.startsWith('0x0/')) {
      // The chain jumps (an exception entry such as `__irq_svc` before `Exception stack`):
      // the last caller is a frame of its own. A caller at offset 0 is a return address just
      // past a noreturn call, printed with the name of the next function: not a frame.
      this.addFrame(st, blk, prev, no, false);
    }
    this.addFrame(st, blk, f, no, false);
    blk.armCaller = caller ? { ...caller } : undefined;
    blk.armInline = inline;
    blk.armCallee = f.name;
  }

  private finishState(st: CallerState, no: number) {
    this.closeBlock(st, no);
    this.flushFault(st);
  }

  private closeBlock(st: CallerState, no: number) {
    const blk = st.block;
    if (!blk) return;
    st.block = undefined;
    void no;
    this.placeFault(st, blk, blk.line);
    if (blk.armCaller) this.addFrame(st, blk, blk.armCaller, blk.line, false);
    // Held foreign lines were after the trace, not inside it.
    for (const l of blk.gap) this.report('dmesg.prose', l);
    blk.gap.length = 0;
    if (blk.frames.length === 0) {
      if (blk.headed) this.report('dmesg.empty-trace', blk.line);
      else if (blk.bpf) this.report('dmesg.empty-trace', blk.line, 'a bpftrace map entry without frames');
      return;
    }
    let extra: Args | undefined;
    if (blk.sections.length > 0) {
      this.report('dmesg.truncated', blk.line, `the call trace at line ${blk.line} ends inside <${blk.sections[blk.sections.length - 1]}>`);
      extra = { truncated: true };
    }
    this.emit(st, blk, extra);
  }

  private emit(st: CallerState, blk: Block, extra: Args | undefined) {
    // A histogram entry counted 0 times observed nothing.
    if (blk.weight <= 0) return;
    const built = this.stacks.build(blk.frames);
    if (built.onlyUnreliable) this.report('dmesg.only-unreliable', blk.line);
    if (built.frames.length === 0) return;
    const args: Args = { line: blk.line };
    if (st.label) args.label = st.label;
    if (extra) Object.assign(args, extra);
    let reason: string;
    let titleText: string | undefined;
    let timed = blk.ts !== undefined;
    let firstOfReport: number | undefined;
    let pid = st.pid;
    let comm = st.comm;
    if (blk.histogram) {
      reason = 'histogram';
      titleText = blk.histogram.label;
      args.line = blk.histogram.line;
      timed = false;
    } else if (blk.bpf) {
      reason = 'histogram';
      titleText = blk.bpf.name;
      timed = false;
      const key = blk.bpf.key.replace(/,\s*$/, '').trim();
      if (key) {
        args.key = key;
        for (const part of key.split(',')) {
          const v = part.trim();
          if (/^\d+$/.test(v)) pid = Number(v);
          else if (v && comm === undefined) comm = v;
        }
      }
    } else {
      const inc = this.incidentOf(st, blk.line, blk.ts);
      reason = inc?.reason ?? st.taskKind ?? 'dump_stack';
      titleText = inc?.title;
      if (inc) {
        if (inc.stacks === 0 && inc === st.incident) firstOfReport = inc.ts;
        inc.stacks++;
        if (blk.ts !== undefined) inc.lastTs = blk.ts;
        inc.lastLine = blk.line;
      }
      if (st.label) titleText = titleText ? `${st.label} — ${titleText}` : st.label;
    }
    if (pid !== undefined && comm !== undefined && this.names.get(pid) !== comm) {
      this.names.set(pid, comm);
      if (this.names.size > 65536) this.names.delete(this.names.keys().next().value as number);
    }
    if (pid !== undefined && !blk.histogram && !blk.bpf) {
      this.lastStacks.delete(pid);
      this.lastStacks.set(pid, blk.frames);
      if (this.lastStacks.size > 4096) this.lastStacks.delete(this.lastStacks.keys().next().value as number);
    }
    if (blk.sameAs !== undefined) args.same_as_pid = blk.sameAs;
    if (pid !== undefined && comm === undefined) comm = this.names.get(pid);
    let ts = timed ? blk.ts! : this.samples * 1000;
    // The first trace of a report is shown at the time of the report's header.
    if (timed && firstOfReport !== undefined && firstOfReport < ts) ts = firstOfReport;
    const track =
      pid !== undefined
        ? pid === 0 && st.cpu !== undefined
          ? this.b.idleThread(st.cpu)
          : this.b.thread(pid, comm ?? `pid ${pid}`)
        : this.b.global('kernel log');
    const ev: StackSample = { kind: 'sample', ts, track, frames: built.frames, weight: blk.weight, reason };
    if (st.cpu !== undefined) ev.cpu = st.cpu;
    if (pid !== undefined) {
      ev.pid = pid;
      ev.tid = pid;
    }
    if (comm !== undefined) ev.comm = comm;
    if (titleText !== undefined) ev.title = titleText;
    ev.args = args;
    this.b.out.push(ev);
    this.samples++;
    if (timed) this.timedSamples++;
    this.totalWeight += blk.weight;
    if (blk.histogram || blk.bpf) {
      this.histogramEntries++;
      this.histogramWeight += blk.weight;
      if (blk.bpf) this.bpfEntries++;
    }
    st.emitted++;
  }
}

export function createDmesgParser(ctx: ParseContext): InputParser {
  return new DmesgParser(ctx);
}

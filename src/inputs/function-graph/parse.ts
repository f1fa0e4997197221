/**
 * function_graph interpreting: per-thread call stacks through the shared SliceBuilder. Nesting
 * comes from the braces, never from indentation (mailers and web pages mangle indentation).
 */
import type { Report } from '../../model/diagnostics.js';
import type { Args, TraceEvent } from '../../model/events.js';
import { CAT } from '../../model/events.js';
import { SliceBuilder } from '../../model/slices.js';
import type { ByteLines, InputParser, ParseContext } from '../types.js';
import { ByteInterner, emptyLine, tokenizeBytes } from './bytes.js';
import { resync } from './resync.js';
import { taskPid, tokenize, type FgLine, type TokenizeState } from './tokenize.js';

/**
 * Where rebuilt timelines (no timestamps in the input) start: 10 s, which leaves room before the
 * first line for calls that began before the trace did (their exits print durations).
 */
export const RECONSTRUCTED_ORIGIN_NS = 10_000_000_000;
/**
 * Memory held per input (estimated) by lines waiting for the first context switch of a CPU: a
 * bound in bytes whatever the layout (a line's record, its names and arguments).
 */
const PENDING_BYTES = 16 << 20;

/**
 * What a held line costs, measured: its record, the strings only it holds, and the events its
 * replay makes at once (a begin and an end, in one batch with all the others held).
 */
function heldCost(l: FgLine): number {
  let n = 640 + 2 * l.text.length;
  if (l.args) for (const k in l.args) n += 64 + 2 * (k.length + String(l.args[k]).length);
  return n;
}
/** Linux pids stay below 2^22; several trace-cmd input files each get their own pid range. */
const PID_SPAN = 1 << 22;
const FILE_SLOTS = 255;

/** Per-CPU state: which task runs there and the lines waiting for that to be known. */
interface CpuState {
  /** Track of the task running on this CPU (from the last context-switch banner), or -1. */
  task: number;
  /** Lines seen before the first banner of this CPU, waiting to learn their task. */
  pending: FgLine[] | null;
  /** Rebuilt time cursor of this CPU (no timestamps in the input). */
  cursor: number;
  /** Time of this CPU's last line (-1 before the first). */
  last: number;
  /** `[N EVENTS DROPPED]` lines waiting for the CPU's next line. */
  lost: { count: number; line: number }[];
}

export class FunctionGraphParser implements InputParser {
  private readonly b: SliceBuilder;
  private readonly tok: TokenizeState = { lastCpu: -1, sawCpu: false };
  private readonly cpus = new Map<number, CpuState>();
  private pendingTotal = 0;
  private pendingAllowed = true;
  private sawAbsTime = false;
  private sawDuration = false;
  private sawTraceCmd = false;
  private tracerName: string | undefined;
  private readonly files = new Map<string, number>();
  private calls = 0;
  /** Time of the last line of any CPU (where markers of a CPU without lines are drawn). */
  private lastAny = RECONSTRUCTED_ORIGIN_NS;
  private readonly report: Report;
  /** The byte path's line record (filled in place) and its interned names and comms. */
  private readonly rec = emptyLine();
  private readonly names = new ByteInterner();
  private readonly comms = new ByteInterner();
  /** Track of each pid's last task line (comm and CPU as they were), so a line costs no lookup. */
  private readonly pidTracks = new Map<number, { comm: string; cpu: number; track: number }>();
  /** Strings of held lines, copied out of their reads' text. */
  private readonly heldStrings = new Map<string, string>();

  constructor(ctx: ParseContext) {
    this.report = ctx.report;
    this.b = new SliceBuilder(ctx.report, {
      unmatchedExit: 'function-graph.unmatched-exit',
      unclosedEntry: 'function-graph.unclosed-entry',
      nameMismatch: 'function-graph.name-mismatch',
      timeBackwards: 'function-graph.time-backwards',
    });
  }

  private cpu(n: number): CpuState {
    let c = this.cpus.get(n);
    if (!c) {
      c = { task: -1, pending: null, cursor: RECONSTRUCTED_ORIGIN_NS, last: -1, lost: [] };
      this.cpus.set(n, c);
    }
    return c;
  }

  push(lines: string[], firstLine: number): TraceEvent[] {
    for (let k = 0; k < lines.length; k++) this.line(lines[k]!, firstLine + k);
    return this.b.take();
  }

  pushBytes(lines: ByteLines): TraceEvent[] {
    if (lines.texts) return this.push(lines.texts, lines.first);
    const { buf, starts, ends, first } = lines;
    const rec = this.rec;
    const tok = this.tok;
    for (let k = 0; k < lines.count; k++) {
      const s = starts[k]!;
      const e = ends[k]!;
      if (tok.pendingName === undefined && tokenizeBytes(buf, s, e, first + k, tok, rec, this.names, this.comms)) {
        tok.tracerHeader = false;
        this.traceLine(rec);
      } else this.line(Buffer.from(buf.buffer, buf.byteOffset + s, e - s).toString('latin1'), first + k);
    }
    return this.b.take();
  }

  end(): TraceEvent[] {
    if (this.tok.pendingName) {
      this.report('function-graph.malformed-line', this.tok.pendingName.line, 'function name without `() {`');
      this.tok.pendingName = undefined;
    }
    this.flushAllPending();
    for (const [n, c] of this.cpus) if (c.lost.length) this.flushLost(n, c, c.last >= 0 ? c.last : this.lastAny);
    this.b.closeAll();
    const evs = this.b.take();
    evs.unshift(this.info());
    return evs;
  }

  /** What the whole input turned out to be (known only at its end). */
  private info(): TraceEvent {
    const clock = this.sawAbsTime ? 'boot' : this.calls > 0 ? 'reconstructed' : 'none';
    const notes: Record<string, string> = {};
    if (this.tracerName) notes.tracer = this.tracerName;
    if (clock === 'reconstructed') {
      notes.timeline = this.sawDuration
        ? 'from durations; CPUs start at 10 s; gaps unknown'
        : 'no times or durations: 1 us per line';
    }
    return { kind: 'info', format: 'function-graph', variant: this.sawTraceCmd ? 'trace-cmd report' : 'tracefs', clock, notes };
  }

  private line(raw: string, no: number): void {
    const t = tokenize(raw, no, this.tok);
    switch (t.kind) {
      case 'blank':
      case 'rule':
      case 'held':
        return;
      case 'header':
        if (t.tracer) {
          if (this.tracerName !== undefined) this.newTrace();
          this.tracerName = t.tracer;
        }
        return;
      case 'text':
        this.report('function-graph.skipped-text', no);
        return;
      case 'malformed':
        this.report('function-graph.malformed-line', no, `could not parse: ${t.why}`);
        return;
      case 'overrun':
        this.report('function-graph.overrun', no, `overruns: ${t.count}`);
        return;
      case 'dropped':
        this.report('function-graph.events-lost', no, `CPU ${t.cpu} lost ${t.count || 'some'} events`);
        // Drawn at the time of the CPU's next line: the loss happened just before it.
        this.cpu(t.cpu).lost.push({ count: t.count, line: no });
        return;
      case 'switch':
        this.contextSwitch(t.cpu, t.from, t.to, no);
        return;
      default:
        this.traceLine(t);
    }
  }

  /** Markers of lost events on a CPU, at `ts`. */
  private flushLost(cpu: number, c: CpuState, ts: number) {
    for (const m of c.lost) {
      this.b.instant(this.b.cpuLane(cpu, `CPU ${cpu} events`), ts, `${m.count || 'some'} events lost`, CAT.marker, m.line, { cpu, count: m.count });
    }
    c.lost = [];
  }

  /** A second `# tracer:` header: what was open in the previous trace stays unfinished. */
  private newTrace() {
    this.flushAllPending();
    this.b.closeAll();
    for (const c of this.cpus.values()) c.task = -1;
    this.pendingAllowed = true;
  }

  private taskTrack(comm: string, pid: number, cpu: number, file?: string): number {
    if (file !== undefined) {
      // Several trace-cmd inputs (`-i a.dat -i b.dat`) are several machines or boots: the same
      // pid in two files is two tasks. The first file keeps its pids, the others move up by
      // 2^22 (the Linux pid limit) per file, staying below the pseudo-thread range.
      let k = this.files.get(file);
      if (k === undefined) {
        k = this.files.size;
        this.files.set(file, k);
      }
      if (k > 0 && k < FILE_SLOTS) {
        const tid = k * PID_SPAN + (pid === 0 ? PID_SPAN - 1 - Math.max(cpu, 0) : pid);
        const name = pid === 0 ? `swapper/${Math.max(cpu, 0)}` : comm;
        return this.b.thread(tid, name, tid, `${name} (${file})`);
      }
    }
    // Every task of the input comes through here: the last comm of each pid names its track.
    const known = this.pidTracks.get(pid);
    if (known !== undefined && known.comm === comm && (pid !== 0 || known.cpu === cpu)) return known.track;
    const track = pid === 0 ? this.b.idleThread(cpu < 0 ? 0 : cpu) : this.b.thread(pid, comm);
    this.pidTracks.set(pid, { comm, cpu, track });
    return track;
  }

  private contextSwitch(cpuNo: number, from: string, to: string, no: number) {
    const cpu = cpuNo < 0 ? 0 : cpuNo;
    const c = this.cpu(cpu);
    const f = taskPid(from);
    const tt = taskPid(to);
    if (!f || !tt) {
      this.report('function-graph.malformed-line', no, 'unreadable context switch');
      return;
    }
    if (c.pending) {
      const track = this.taskTrack(f.comm, f.pid, cpu);
      this.replay(c, track);
    }
    c.task = this.taskTrack(tt.comm, tt.pid, cpu);
  }

  private replay(c: CpuState, track: number) {
    const lines = c.pending!;
    c.pending = null;
    for (const l of lines) this.pendingTotal -= heldCost(l);
    for (const l of lines) this.apply(l, track, c);
  }

  private flushAllPending() {
    for (const [n, c] of this.cpus) if (c.pending) this.replay(c, this.b.cpuThread(n));
  }

  private traceLine(l: FgLine) {
    if (l.cpu < 0) {
      if (this.tok.sawCpu) {
        l.cpu = this.tok.lastCpu;
        if (l.comm === undefined) this.report('function-graph.missing-cpu', l.line);
      } else l.cpu = 0;
    }
    if (l.ts >= 0) this.sawAbsTime = true;
    if (l.dur >= 0) this.sawDuration = true;
    if (l.tc) this.sawTraceCmd = true;
    const c = this.cpu(l.cpu);
    if (l.comm !== undefined) {
      this.apply(l, this.taskTrack(l.comm, l.pid, l.cpu, l.file), c);
      return;
    }
    if (c.task >= 0) {
      this.apply(l, c.task, c);
      return;
    }
    if (this.pendingAllowed) {
      if (!c.pending) c.pending = [];
      // The byte path's record is reused for the next line: a held line is a copy.
      c.pending.push(l === this.rec ? { ...l } : this.detach(l));
      this.pendingTotal += heldCost(l);
      if (this.pendingTotal > PENDING_BYTES) {
        this.report('function-graph.pending-overflow', l.line);
        this.pendingAllowed = false;
        this.flushAllPending();
        for (const [n, cs] of this.cpus) if (cs.task < 0) cs.task = this.b.cpuThread(n);
      }
      return;
    }
    this.apply(l, this.b.cpuThread(l.cpu), c);
  }

  /**
   * A held line of the text path keeps no slice of its read's text alive (a slice holds the
   * whole read): its strings are copied, once per distinct string.
   */
  private detach(l: FgLine): FgLine {
    const own = (v: string): string => {
      let c = this.heldStrings.get(v);
      if (c === undefined) {
        c = v.split('').join('');
        if (this.heldStrings.size < 1 << 16) this.heldStrings.set(c, c);
      }
      return c;
    };
    l.text = own(l.text);
    if (l.comm !== undefined) l.comm = own(l.comm);
    if (l.tail !== undefined) l.tail = own(l.tail);
    if (l.args) for (const k of Object.keys(l.args)) if (typeof l.args[k] === 'string') l.args[k] = own(l.args[k] as string);
    return l;
  }

  /** Interprets one line on a known track. */
  private apply(l: FgLine, track: number, c: CpuState) {
    const b = this.b;
    b.cpu = l.cpu;
    const abs = l.ts >= 0;
    // Time of this line: printed, or the CPU's rebuilt cursor.
    let now = abs ? l.ts : c.cursor;
    if (!abs && !this.sawDuration) {
      // Neither timestamps nor durations: one microsecond per line keeps the order visible.
      c.cursor += 1000;
      now = c.cursor;
    }
    if (c.lost.length) this.flushLost(l.cpu, c, now);
    c.last = now;
    this.lastAny = now;
    switch (l.kind) {
      case 'entry':
        this.calls++;
        b.begin(track, now, l.text, CAT.function, l.line, l.args);
        return;
      case 'leaf': {
        this.calls++;
        const dur = l.dur >= 0 ? l.dur : 0;
        b.complete(track, now, dur, l.text, CAT.function, l.line, l.args);
        if (!abs) c.cursor = now + dur;
        return;
      }
      case 'exit': {
        resync(b, this.report, track, l, now, abs);
        let endTs = now;
        const open = b.openStart(track);
        if (!abs && l.dur >= 0) {
          endTs = open !== undefined ? open + l.dur : now;
          if (endTs < now && open !== undefined) endTs = Math.max(endTs, b.lastTime(track) ?? endTs);
        }
        if (open === undefined) this.calls++;
        b.end(track, endTs, l.line, l.tail, l.dur >= 0 ? l.dur : undefined, l.args);
        if (!abs) c.cursor = Math.max(c.cursor, b.lastTime(track) ?? endTs);
        return;
      }
      case 'comment':
        b.instant(track, now, l.text, CAT.marker, l.line);
        return;
      case 'irq-enter':
      case 'irq-exit':
        b.instant(track, now, l.text, CAT.irq, l.line);
        return;
      case 'event': {
        if (l.text === 'print') {
          // `print: ip: message` (trace_print_print): the message names the marker.
          const text = String(l.args?.text ?? '');
          const m = /^([\w.$]+):\s?(.*)$/.exec(text);
          const msg = (m ? m[2]! : text).trim();
          const args: Args = m ? { ip: m[1]!, text: m[2]! } : { text };
          b.instant(track, now, msg || 'print', CAT.marker, l.line, args);
        } else b.instant(track, now, l.text, CAT.event, l.line, l.args);
        return;
      }
    }
  }
}

/**
 * Lines → model events: the clock, the line's task and its thread track, `<stack trace>` blocks
 * (frames without a prefix, attached to the entry before them), function tracer lines, and the
 * dispatch of trace events to their handlers.
 *
 * - A stack block ends at the next line that is not a ` => ` frame. It becomes a `sample` on the
 *   thread of its own head line, titled with the event that came before it on that CPU.
 * - A function tracer line is a `sample` of its two frames (parent → function) on its thread, so
 *   folded and top count each `parent;function` pair. With func_stack_trace the kernel prints
 *   the call's whole stack right after it (same CPU, same task): the stack replaces the pair.
 *   func-no-repeats lines weigh `repeats + 1`.
 */
import type { Report } from '../../model/diagnostics.js';
import type { Args, TraceEvent } from '../../model/events.js';
import { CAT } from '../../model/events.js';
import { type RawFrame, MAX_FRAMES, StackBuilder } from '../../model/stacks.js';
import { SliceBuilder } from '../../model/slices.js';
import { isUnknownComm, TaskTable } from '../../model/tasks.js';
import type { InputParser, ParseContext } from '../types.js';
import { classify, parseKv, parseSyscall, symbol } from './fields.js';
import { type Ev, Handlers } from './handlers.js';
import { GraphLines, isGraphBody } from './graph.js';
import { KeyedSlices } from '../../model/keyed-slices.js';
import { type EventHead, tokenizeLine } from './line.js';
import { type Meaning, meaningOf, Op } from './meaning.js';
import { Probes } from './probes.js';
import { addressName, ctxText, type RawEntry, rawEntry } from './raw.js';
import { machineOf } from './syscalls-x86_64.js';

interface StackBlock {
  head: EventHead;
  track: number;
  line: number;
  user: boolean;
  frames: RawFrame[];
  title: string;
  capped: boolean;
  fn?: PendingFn;
}

interface PendingFn {
  head: EventHead;
  track: number;
  line: number;
  fn: string;
  parent?: string;
  weight: number;
  args?: Args;
}


/** The codes keyed slices report in this input. */
const KEYED_CODES = { unmatchedExit: 'ftrace-events.unmatched-exit', lostExit: 'ftrace-events.lost-exit' } as const;
export class FtraceEventsParser implements InputParser {
  private readonly b: SliceBuilder;
  private readonly report: Report;
  private readonly tasks: TaskTable;
  private readonly keyed: KeyedSlices;
  /** Time of the first event: an exit without entry began before it. */
  private firstTs = NaN;
  private readonly handlers: Handlers;
  private readonly probes: Probes;
  private readonly stacks: StackBuilder;
  private readonly meanings = new Map<string, Meaning>();
  /** Name of the last event on each CPU (what a stack block belongs to). */
  private readonly lastName = new Map<number, string>();
  private readonly pendingFn = new Map<number, PendingFn>();
  private block: StackBlock | null = null;
  private readonly graph: GraphLines;
  // what the info event says
  private tracer: string | undefined;
  private release: string | undefined;
  private cpus = 0;
  private readonly layouts = new Set<string>();
  private readonly times = new Set<string>();
  private tracecmd = false;
  /** context-info off (decided by the first entry); how many such lines so far. */
  private bare: boolean | undefined;
  private bareCount = 0;
  private lost = 0;
  private lastTs = 0;
  private events = 0;

  constructor(ctx: ParseContext) {
    this.report = ctx.report;
    this.b = new SliceBuilder(ctx.report, {
      unmatchedExit: 'ftrace-events.unmatched-exit',
      unclosedEntry: 'ftrace-events.unclosed-entry',
      timeBackwards: 'ftrace-events.time-backwards',
    });
    this.tasks = new TaskTable(this.b);
    this.keyed = new KeyedSlices(this.b, this.report, KEYED_CODES, () => this.firstTs);
    this.handlers = new Handlers(this.b, this.tasks, this.keyed, this.report);
    this.probes = new Probes(this.b, this.keyed, this.report);
    this.stacks = new StackBuilder(ctx.options);
    this.graph = new GraphLines(ctx);
  }

  push(lines: string[], firstLine: number): TraceEvent[] {
    for (let k = 0; k < lines.length; k++) this.line(lines[k]!, firstLine + k);
    return this.b.take();
  }

  end(): TraceEvent[] {
    this.endBlock();
    for (const cpu of [...this.pendingFn.keys()].sort((a, b) => a - b)) this.flushFn(cpu);
    this.probes.end();
    this.graph.end(this.b.out);
    this.b.closeAll();
    const evs = this.b.take();
    evs.unshift(this.info());
    return evs;
  }

  private info(): TraceEvent {
    const notes: Record<string, string> = {};
    if (this.tracer) notes.tracer = this.tracer;
    if (this.release) {
      notes.kernel = this.release;
      // Perfetto decodes prev_state by the release; the letters are read into the >= 4.14 bits.
      const [maj, min] = this.release.split('.').map(Number);
      if (maj! > 4 || (maj === 4 && min! >= 14)) notes.kernel_release = this.release;
    }
    // Perfetto names raw syscall numbers by the machine's table: the one our names come from.
    notes.machine = this.release ? machineOf(this.release) : 'x86_64';
    if (this.cpus) notes.cpus = String(this.cpus);
    if (this.lost) notes.lost_events = String(this.lost);
    if (this.graph.lines) notes.function_graph_lines = String(this.graph.lines);
    const layouts = [...this.layouts].sort();
    if (layouts.length) notes.layout = layouts.join(', ');
    if (this.times.has('integer')) notes.timestamps = 'integer clock counts (counter, uptime, x86-tsc or --raw-ts): taken as nanoseconds';
    else if (this.times.has('latency-us')) notes.timestamps = 'latency-format: microseconds since the buffer start';
    else if (this.bareCount) notes.timestamps = 'context-info off: none in the text; events 1 µs apart in their order';
    const variant = this.tracecmd ? 'trace-cmd report' : layouts.includes('latency') ? 'tracefs latency-format' : 'tracefs';
    return { kind: 'info', format: 'ftrace-events', variant, clock: 'boot', notes };
  }

  private line(raw: string, no: number): void {
    const t = tokenizeLine(raw);
    if (t.kind === 'frame') {
      if (this.block) this.frame(this.block, t.text, no);
      else this.report('ftrace-events.stray-frame', no, 'a ` => ` stack frame with no `<stack trace>` line before it: skipped');
      return;
    }
    if (this.block) this.endBlock();
    switch (t.kind) {
      case 'blank':
        return;
      case 'header':
        if (t.tracer) this.tracer = t.tracer;
        if (t.release) {
          this.release = t.release;
          this.handlers.x86_64 = machineOf(t.release) === 'x86_64';
        }
        if (t.cpus) this.cpus = t.cpus;
        return;
      case 'cpus':
        this.tracecmd = true;
        this.cpus = t.cpus;
        return;
      case 'buffer-started':
        this.report('ftrace-events.buffer-started', no, `CPU ${t.cpu}'s buffer starts here (annotate): events before it on that CPU were overwritten`);
        return;
      case 'lost': {
        this.lost += Math.max(t.count, 0);
        this.report('ftrace-events.lost-events', no, t.count >= 0 ? `CPU ${t.cpu} lost ${t.count} events` : `CPU ${t.cpu} lost events`);
        const args: Args = { cpu: t.cpu };
        if (t.count >= 0) args.count = t.count;
        this.b.instant(this.b.global('ftrace'), this.lastTs, 'events lost', CAT.marker, no, args);
        return;
      }
      case 'unparsed':
        if (isGraphBody(raw)) {
          this.graph.push(raw, no, this.b.out);
          return;
        }
        this.report('ftrace-events.unparsed-line', no, `not parsed (${t.why})`);
        return;
      case 'event':
        this.bare ??= false;
        this.event(t, no, raw);
        return;
      case 'bare':
        // context-info off, when the trace's first entry said so; else such a line is foreign.
        this.bare ??= true;
        if (this.bare) this.bareLine(t.payload, no);
        else this.report('ftrace-events.unparsed-line', no, 'not parsed (an event without its task, CPU and time in a trace that prints them)');
        return;
    }
  }

  /**
   * A line printed with context-info off: the event alone, with no task, CPU or time. It
   * becomes an instant (or a sample) on one lane, the order of the lines kept as 1 µs steps.
   */
  private bareLine(payload: string, no: number) {
    if (this.bareCount === 0) this.report('ftrace-events.no-context', no, 'context-info is off: no task, CPU or time on the lines; events are kept in their order, 1 µs apart, on one lane');
    const p = classify(payload);
    // A stack trace belongs to the event before it: its time.
    if (p.kind !== 'stack' || this.bareCount === 0) this.bareCount++;
    const h: EventHead = { kind: 'event', comm: '', pid: -1, tgid: -1, cpu: -1, flags: '', ts: this.bareCount * 1000, time: 'integer', fracDigits: 0, payload, layout: 'bare' };
    if (this.events++ === 0) this.b.sink.push(this.info());
    this.layouts.add('bare');
    this.lastTs = h.ts;
    const lane = this.b.global('ftrace events (no context)');
    if (p.kind === 'stack') {
      this.block = { head: h, track: lane, line: no, user: p.user, frames: [], title: this.lastName.get(-1) ?? 'stack', capped: false };
      return;
    }
    if (p.kind === 'function') {
      const f: PendingFn = { head: h, track: lane, line: no, fn: p.fn, weight: (p.repeats ?? 0) + 1 };
      if (p.parent !== undefined) f.parent = p.parent;
      this.lastName.set(-1, p.fn);
      return this.sampleOf(f);
    }
    const name = p.kind === 'event' ? p.name : `sys_${p.name}`;
    this.lastName.set(-1, name);
    const args = p.kind === 'sys-enter' ? parseSyscall(p.rest) : p.kind === 'sys-exit' ? { ret: p.ret } : parseKv(p.rest);
    const nr = p.kind === 'event' && (name === 'sys_enter' || name === 'sys_exit') ? /^NR (\d+)/.exec(p.rest) : null;
    if (nr) args.syscall = this.handlers.syscallName(Number(nr[1]));
    this.b.instant(lane, h.ts, name, p.kind === 'event' ? CAT.event : CAT.syscall, no, args);
  }

  private trackOf(h: EventHead): number {
    const tid = h.pid;
    if (tid > 0) {
      if (h.tgid > 0) this.tasks.setPid(tid, h.tgid);
      // latency-format cuts comms to 8 characters: a name only when nothing better is known.
      if (!isUnknownComm(h.comm)) this.tasks.setComm(tid, h.comm, h.layout !== 'latency');
    }
    return this.tasks.track(tid, h.cpu);
  }

  private event(h: EventHead, no: number, raw: string) {
    // What the headers said, before the first event (Perfetto's uname packet needs the release).
    if (this.events++ === 0) this.b.sink.push(this.info());
    this.layouts.add(h.layout);
    this.times.add(h.time);
    if (Number.isNaN(this.firstTs)) this.firstTs = h.ts;
    this.lastTs = h.ts;
    const c0 = h.payload.charCodeAt(0);
    if (h.layout === 'raw' || h.layout === 'hex' || (c0 >= 48 && c0 <= 57)) {
      // Kernel entries with raw/hex printers, and the wakeup tracers' own switch text.
      const r = h.layout === 'raw' || h.layout === 'hex' ? rawEntry(h.payload, h.layout === 'hex') : ctxText(h.payload);
      if (r) return this.builtin(h, r, no);
    }
    const p = classify(h.payload.replace(/^\(\+\d+\)\s+/, ''));
    if (p.kind === 'event' && (p.name === 'funcgraph_entry' || p.name === 'funcgraph_exit')) {
      this.graph.push(raw, no, this.b.out);
      return;
    }
    const track = this.trackOf(h);
    if (p.kind === 'stack') {
      const pend = this.pendingFn.get(h.cpu);
      const fn = pend && pend.head.pid === h.pid ? pend : undefined;
      if (fn) this.pendingFn.delete(h.cpu);
      else if (pend) this.flushFn(h.cpu);
      this.block = { head: h, track, line: no, user: p.user, frames: [], title: fn?.fn ?? this.lastName.get(h.cpu) ?? 'stack', capped: false };
      if (fn) this.block.fn = fn;
      return;
    }
    if (this.pendingFn.has(h.cpu)) this.flushFn(h.cpu);
    if (p.kind === 'function') {
      const f: PendingFn = { head: h, track, line: no, fn: p.fn, weight: (p.repeats ?? 0) + 1 };
      if (p.parent !== undefined) f.parent = p.parent;
      const args: Args = { ...(p.args ?? {}) };
      if (p.repeats !== undefined) {
        args.repeats = p.repeats;
        args.last_ts = p.lastTs!;
      }
      if (Object.keys(args).length) f.args = args;
      this.pendingFn.set(h.cpu, f);
      this.lastName.set(h.cpu, p.fn);
      return;
    }
    const name = p.name;
    const e: Ev = { name, rest: p.kind === 'sys-exit' ? p.ret : p.rest, ts: h.ts, cpu: h.cpu, tid: h.pid, flags: h.flags, line: no, track };
    this.lastName.set(h.cpu, p.kind === 'event' ? name : `sys_${name}`);
    let m = p.kind === 'event' ? this.meanings.get(name) : undefined;
    if (p.kind === 'event' && !m) this.meanings.set(name, (m = meaningOf(name)));
    // A probe hit (an event of a name the kernel does not define) may open or close a slice.
    if (m?.op === Op.Instant && this.probes.hit(e)) return;
    this.probes.flush(track);
    if (p.kind === 'sys-enter') {
      this.handlers.sysEnter(e, name, parseSyscall(p.rest));
      return;
    }
    if (p.kind === 'sys-exit') {
      this.handlers.sysExit(e, name, p.ret);
      return;
    }
    this.handlers.handle(e, m!);
  }

  private builtin(h: EventHead, r: RawEntry, no: number) {
    const track = this.trackOf(h);
    if (this.pendingFn.has(h.cpu)) this.flushFn(h.cpu);
    if (r.kind === 'fn') {
      // The raw function entry prints addresses only.
      this.pendingFn.set(h.cpu, { head: h, track, line: no, fn: addressName(r.ip), parent: addressName(r.parent), weight: 1 });
      this.lastName.set(h.cpu, addressName(r.ip));
      return;
    }
    const name = r.kind === 'type' ? (r.entry ?? `type ${r.type}`) : r.kind === 'print' ? 'print' : r.kind === 'ctx' ? 'sched_switch' : 'sched_wakeup';
    this.lastName.set(h.cpu, name);
    this.probes.flush(track);
    this.handlers.builtin({ name, rest: h.payload, ts: h.ts, cpu: h.cpu, tid: h.pid, flags: h.flags, line: no, track }, r);
  }

  // ---------------------------------------------------------------- stacks and functions

  private frame(bl: StackBlock, text: string, no: number) {
    if (bl.frames.length >= MAX_FRAMES) {
      if (!bl.capped) this.report('ftrace-events.frames-capped', no, `a stack longer than ${MAX_FRAMES} frames: the rest were dropped`);
      bl.capped = true;
      return;
    }
    let t = text;
    // trace-cmd: `sym+0xoff (addr)`.
    const paren = / \([0-9a-fx]+\)$/i.exec(t);
    if (paren) t = t.slice(0, paren.index);
    if (t.startsWith('<') && t.endsWith('>')) {
      // An unresolved user frame: ` <00007f12...>`.
      bl.frames.push({ name: `0x${t.slice(1, -1).replace(/^0+(?=.)/, '')}` });
      return;
    }
    if (t.endsWith(']') && t.includes('[+0x')) {
      // sym-userobj: `/path/obj[+0xoff]`, the object and the offset in it.
      bl.frames.push({ name: t });
      return;
    }
    const sym = symbol(t);
    const f: RawFrame = { name: sym.name };
    if (sym.offset) f.offset = sym.offset;
    bl.frames.push(f);
  }

  private endBlock() {
    const bl = this.block;
    if (!bl) return;
    this.block = null;
    if (bl.frames.length === 0) {
      // A kernel thread, the idle task or an interrupt of one has no user stack: the kernel
      // prints the header alone (trace_user_stack_print), which is no fault of the trace.
      if (bl.user) this.report('ftrace-events.empty-user-stack', bl.line, 'a user stack trace with no frames (a kernel thread, the idle task): no sample');
      else this.report('ftrace-events.empty-stack', bl.line, 'a stack trace with no frames after it');
      if (bl.fn) this.sampleOf(bl.fn);
      return;
    }
    const built = this.stacks.build(bl.frames);
    const h = bl.head;
    const s: TraceEvent = {
      kind: 'sample',
      ts: bl.fn ? bl.fn.head.ts : h.ts,
      track: bl.track,
      frames: built.frames,
      weight: bl.fn ? bl.fn.weight : 1,
      reason: bl.user ? 'user stack trace' : 'stack trace',
      title: bl.title,
    };
    this.taskOf(s, h);
    if (bl.fn?.args) s.args = bl.fn.args;
    this.b.sink.push(s);
  }

  private flushFn(cpu: number) {
    const f = this.pendingFn.get(cpu);
    if (!f) return;
    this.pendingFn.delete(cpu);
    this.sampleOf(f);
  }

  private sampleOf(f: PendingFn) {
    const h = f.head;
    const leafFirst: RawFrame[] = [{ name: f.fn }];
    if (f.parent !== undefined) leafFirst.push({ name: f.parent });
    const s: TraceEvent = {
      kind: 'sample',
      ts: h.ts,
      track: f.track,
      frames: this.stacks.build(leafFirst).frames,
      weight: f.weight,
      reason: 'function',
      title: f.fn,
    };
    this.taskOf(s, h);
    const args: Args = { ...(f.args ?? {}) };
    if (f.parent !== undefined) args.parent = f.parent;
    if (h.flags) args.flags = h.flags;
    if (Object.keys(args).length) s.args = args;
    this.b.sink.push(s);
  }

  /** The CPU, process, thread and comm of a sample, when its line printed a task. */
  private taskOf(s: Extract<TraceEvent, { kind: 'sample' }>, h: EventHead) {
    if (h.pid < 0) return;
    s.cpu = h.cpu;
    s.pid = this.tasks.pid(h.pid);
    s.tid = h.pid;
    const comm = h.pid === 0 ? `swapper/${h.cpu}` : this.tasks.comm(h.pid);
    if (comm) s.comm = comm;
  }
}

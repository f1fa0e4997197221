/**
 * ftrace `function_graph` text, as tracefs prints it (`/sys/kernel/tracing/trace`, every
 * `funcgraph-*` column option) and as `trace-cmd report` prints the same tracer, including the
 * way people paste it into mails and web pages.
 *
 * Tokenize: each line becomes a FgLine (columns + one of entry/leaf/exit/comment/...).
 * Interpret: per-thread call stacks through the shared SliceBuilder. Nesting comes from the
 * braces, never from indentation (mailers and web pages mangle indentation).
 */
import type { Report } from '../model/diagnostics.js';
import type { Args, TraceEvent } from '../model/events.js';
import { CAT } from '../model/events.js';
import { SliceBuilder } from '../model/slices.js';
import { parseScaled } from '../model/time.js';
import type { InputAdapter, InputParser, ParseContext, SniffAnswer } from './types.js';

type FgKind = 'entry' | 'leaf' | 'exit' | 'comment' | 'irq-enter' | 'irq-exit' | 'event';

/** One trace line, tokenized. Numbers are -1 when the column is absent. */
export interface FgLine {
  kind: FgKind;
  line: number;
  cpu: number;
  /** Task from the proc column or a trace-cmd line. */
  comm?: string;
  pid: number;
  /** Absolute time in ns (abstime column or trace-cmd), or -1. */
  ts: number;
  /** Duration in ns, or -1. */
  dur: number;
  /** Function name (with ` [module]` when printed), comment text, or event name. */
  text: string;
  /** `func(a=1)` arguments, a closing comment's return value, an event's fields. */
  args?: Args;
  /** Closing brace names its function (`} /* func *\/`). */
  tail?: string;
  /** The line came from `trace-cmd report`. */
  tc?: boolean;
}

const NBSP = '\u00a0';
/**
 * Where rebuilt timelines (no timestamps in the input) start: 10 s, which leaves room before the
 * first line for calls that began before the trace did (their exits print durations).
 */
export const RECONSTRUCTED_ORIGIN_NS = 10_000_000_000;
/** Lines held per input while waiting for the first context switch of a CPU. */
const PENDING_LIMIT = 200_000;

const RE_CPU_COL = /^\s*(\d+)\)\s*(.*?)\s*$/;
const RE_TASK = /^\s*(\S(?:.*\S)?)-(\d+)\s*$/;
const RE_DURATION = /^\s*([+!#*@$])?\s*(\d+(?:\.\d+)?)\s*us\s*$/;
const RE_LASTCOL = /^\s*(?:(\d+)\)\s*)?(?:(==========>|<==========)|([+!#*@$])?\s*(\d+(?:\.\d+)?)\s*us)?\s*$/;
const RE_ABSTIME = /^\s*(\d+\.\d+)\s*$/;
const RE_RELTIME = /^\s*\d+\s*us\s*$/;
const RE_FLAGS = /^\s*[.a-zA-Z0-9]{4,6}\s*$/;
const RE_SWITCH = /^\s*(?:(\d+)\)\s+)?(\S.*?-\d+)\s+=>\s+(\S.*?-\d+)\s*$/;
const RE_OVERRUN = /^\s*\(Overruns:\s*(\d+)\)\s*$/;
const RE_RULE = /^\s*-{20,}\s*$/;
const RE_NOBAR = /^\s*(?:(\d+\.\d+)\s+)?(\d+)\)\s(.*)$/;
/** `comm-pid [cpu] flags ts: event: rest` and the `-l` form `comm-pid cpuFLAGS ts: event: rest`. */
const RE_TRACECMD =
  /^\s*(\S(?:.*?\S)?)-(\d+)\s+(?:\(\s*[-\d]+\)\s+)?(?:\[(\d+)\]\s+(?:[.a-zA-Z0-9]{4,6}\s+)?|(\d+)[.a-zA-Z0-9]{4,6}\s+)(\d+\.\d+):\s+([\w:]+):\s?(.*)$/;
const RE_DROPPED = /^\s*CPU:\s*(\d+)\s*\[(?:(\d+)\s+)?EVENTS DROPPED\]/;
const RE_IDENT = /^[A-Za-z_.$][\w.$]*$/;

export interface TokenizeState {
  /** The last CPU seen, for lines that lost their CPU column. */
  lastCpu: number;
  sawCpu: boolean;
  /** A function name cut by a mailer, waiting for its `[module]() {` continuation. */
  pendingName?: { name: string; line: number; prefix: Omit<FgLine, 'kind' | 'text' | 'line'> };
}

export type TokenResult =
  | FgLine
  | { kind: 'header'; tracer?: string }
  | { kind: 'blank' }
  | { kind: 'rule' }
  | { kind: 'switch'; cpu: number; from: string; to: string }
  | { kind: 'overrun'; count: number }
  | { kind: 'dropped'; cpu: number; count: number }
  | { kind: 'text' }
  | { kind: 'malformed'; why: string }
  | { kind: 'held' };

/** Removes what people add around pasted traces: NBSPs, CR, mail quoting. */
function clean(raw: string): string {
  let s = raw;
  if (s.indexOf(NBSP) !== -1) s = s.replaceAll(NBSP, ' ');
  if (s.endsWith('\r')) s = s.slice(0, -1);
  const c0 = s.charCodeAt(0);
  if (c0 === 62 /* > */ || (c0 === 32 && /^\s+>/.test(s))) {
    const m = /^(?:\s*>)+ ?/.exec(s);
    if (m) s = s.slice(m[0].length);
  }
  return s;
}

function taskPid(task: string): { comm: string; pid: number } | null {
  const m = RE_TASK.exec(task);
  return m ? { comm: m[1]!, pid: Number(m[2]) } : null;
}

/** Parses the FUNCTION column (`func() {`, `func();`, `}`, `} /* func *\/`, `/* text *\/`). */
function parseContent(
  content: string,
): { kind: FgKind; text: string; args?: Args; tail?: string } | { kind: 'ident'; text: string } | null {
  let s = content.trim();
  if (s === '') return null;
  // A trailing `# note` a person added after the code (never inside it).
  const hash = s.indexOf('#');
  if (hash > 0 && /[{};/]\s*$/.test(s.slice(0, hash).trimEnd()) && /\s/.test(s.charAt(hash - 1))) {
    s = s.slice(0, hash).trimEnd();
  }
  const c0 = s.charCodeAt(0);
  if (c0 === 125 /* } */) {
    if (s === '}') return { kind: 'exit', text: '' };
    const m = /^\}\s*\/\*\s*(.*?)\s*\*\/\s*$/.exec(s);
    if (!m) return null;
    const r = splitRet(m[1]!);
    const out: { kind: FgKind; text: string; args?: Args; tail?: string } = { kind: 'exit', text: '', tail: r.name };
    if (r.ret !== undefined) out.args = { ret: r.ret };
    return out;
  }
  if (s.startsWith('/*')) {
    const m = /^\/\*\s*(.*?)\s*\*\/$/.exec(s);
    return m ? { kind: 'comment', text: m[1]! } : null;
  }
  let kind: FgKind;
  let body: string;
  let after = '';
  if (s.endsWith('{')) {
    kind = 'entry';
    body = s.slice(0, -1).trimEnd();
  } else {
    const semi = s.indexOf(');');
    if (semi === -1) {
      if (RE_IDENT.test(s)) return { kind: 'ident', text: s };
      return null;
    }
    kind = 'leaf';
    body = s.slice(0, semi + 1);
    after = s.slice(semi + 2).trim();
  }
  if (!body.endsWith(')')) return null;
  const open = body.indexOf('(');
  if (open <= 0) return null;
  const name = body.slice(0, open).trim();
  const inner = body.slice(open + 1, -1).trim();
  if (!/^[\w.$][\w.$]*(?: \[[\w.-]+(?: [0-9a-f]+)?\])?$/.test(name)) return null;
  const out: { kind: FgKind; text: string; args?: Args; tail?: string } = { kind, text: name };
  if (inner) out.args = parseArgList(inner);
  if (after) {
    const m = /^\/\*\s*(.*?)\s*\*\/$/.exec(after);
    if (!m) return null;
    const r = splitRet(m[1]!);
    if (r.ret !== undefined) out.args = { ...(out.args ?? {}), ret: r.ret };
  }
  return out;
}

/** `func ret=0`, `func = 0x0`, `= 0x0`, `func()`, `func [mod]` → name and return value. */
function splitRet(t: string): { name: string | undefined; ret?: string } {
  const m = /^(.*?)\s*(?:ret\s*=|=)\s*(\S+)$/.exec(t);
  let name = (m ? m[1]! : t).trim();
  if (name.endsWith('()')) name = name.slice(0, -2);
  const out: { name: string | undefined; ret?: string } = { name: name || undefined };
  if (m) out.ret = m[2]!;
  return out;
}

function parseArgList(inner: string): Args {
  const args: Args = {};
  let i = 0;
  for (const part of inner.split(',')) {
    const p = part.trim();
    if (!p) continue;
    const eq = p.indexOf('=');
    if (eq > 0) args[`arg.${p.slice(0, eq).trim()}`] = p.slice(eq + 1).trim();
    else args[`arg${i}`] = p;
    i++;
  }
  return args;
}

function fieldArgs(rest: string): Args {
  const args: Args = {};
  const re = /(\w+)=(\S+)/g;
  let m: RegExpExecArray | null;
  let n = 0;
  while ((m = re.exec(rest)) && n < 64) {
    args[m[1]!] = m[2]!;
    n++;
  }
  if (n === 0 && rest.trim()) args.text = rest.trim();
  return args;
}


/**
 * Fast path for the commonest tracefs lines, `[ts |] CPU) [task |] [mark] DUR us | content`,
 * by character scanning. Returns null when the line is anything else (the general path then
 * reads it).
 */
function fastTokenize(s: string, lineNo: number, st: TokenizeState): FgLine | null {
  const n = s.length;
  let i = 0;
  while (i < n && s.charCodeAt(i) === 32) i++;
  let ts = -1;
  // Digits: an abstime (`48.743567 |`) or the CPU (`0)`).
  let j = i;
  while (j < n && isDigit(s.charCodeAt(j))) j++;
  if (j === i) return null;
  if (s.charCodeAt(j) === 46 /* . */) {
    let k = j + 1;
    while (k < n && isDigit(s.charCodeAt(k))) k++;
    const t = parseScaled(s, 9, i, k);
    if (Number.isNaN(t)) return null; // beyond 2^53 ns: the general path reports it
    while (k < n && s.charCodeAt(k) === 32) k++;
    if (s.charCodeAt(k) !== 124 /* | */) return null;
    ts = t;
    i = k + 1;
    while (i < n && s.charCodeAt(i) === 32) i++;
    j = i;
    while (j < n && isDigit(s.charCodeAt(j))) j++;
    if (j === i) return null;
  }
  if (s.charCodeAt(j) !== 41 /* ) */) return null;
  const cpu = parseScaled(s, 0, i, j);
  i = j + 1;
  while (i < n && s.charCodeAt(i) === 32) i++;
  // Optional task column (`kt-work-406   |`).
  let comm: string | undefined;
  let pid = -1;
  let c = s.charCodeAt(i);
  if (c !== 124 && !isDigit(c) && c !== 43 && c !== 33 && c !== 35 && c !== 42 && c !== 64 && c !== 36) {
    const bar = s.indexOf(' |', i);
    if (bar === -1) return null;
    let e = bar;
    while (e > i && s.charCodeAt(e - 1) === 32) e--;
    const dash = s.lastIndexOf('-', e);
    if (dash <= i) return null;
    const p = parseScaled(s, 0, dash + 1, e);
    if (Number.isNaN(p)) return null;
    comm = s.slice(i, dash);
    pid = p;
    i = bar + 2;
    while (i < n && s.charCodeAt(i) === 32) i++;
    c = s.charCodeAt(i);
  }
  // Duration with an optional overhead mark, or nothing, then `|`.
  let dur = -1;
  if (c !== 124) {
    if (c === 43 || c === 33 || c === 35 || c === 42 || c === 64 || c === 36) {
      i++;
      while (i < n && s.charCodeAt(i) === 32) i++;
    }
    let k = i;
    while (k < n && (isDigit(s.charCodeAt(k)) || s.charCodeAt(k) === 46)) k++;
    if (k === i || s.charCodeAt(k) !== 32 || s.charCodeAt(k + 1) !== 117 /* u */ || s.charCodeAt(k + 2) !== 115 /* s */) return null;
    dur = parseScaled(s, 3, i, k);
    if (Number.isNaN(dur)) return null;
    i = k + 3;
    while (i < n && s.charCodeAt(i) === 32) i++;
    if (s.charCodeAt(i) !== 124) return null;
  }
  i++;
  while (i < n && s.charCodeAt(i) === 32) i++;
  // Content: `}`, `name() {`, `name();` with nothing after; anything else takes the general path.
  let end = n;
  while (end > i && s.charCodeAt(end - 1) === 32) end--;
  if (end === i) return null;
  const last = s.charCodeAt(end - 1);
  let kind: FgKind;
  let text = '';
  let tail: string | undefined;
  if (last === 125 /* } */ && end - i === 1) kind = 'exit';
  else if (s.charCodeAt(i) === 125 && last === 47 /* / */ && s.charCodeAt(i + 1) === 32 && s.charCodeAt(i + 2) === 47 && s.charCodeAt(i + 3) === 42) {
    // `} /* name */` (funcgraph-tail, or an exit far from its entry)
    if (s.charCodeAt(end - 2) !== 42 || s.charCodeAt(end - 3) !== 32 || s.charCodeAt(i + 4) !== 32) return null;
    tail = s.slice(i + 5, end - 3);
    if (!isPlainName(tail)) return null;
    kind = 'exit';
  } else if (last === 123 /* { */ && s.charCodeAt(end - 2) === 32 && s.charCodeAt(end - 3) === 41 && s.charCodeAt(end - 4) === 40) {
    kind = 'entry';
    text = s.slice(i, end - 4);
  } else if (last === 59 /* ; */ && s.charCodeAt(end - 2) === 41 && s.charCodeAt(end - 3) === 40) {
    kind = 'leaf';
    text = s.slice(i, end - 3);
  } else return null;
  if (kind !== 'exit' && !isPlainName(text)) return null;
  st.lastCpu = cpu;
  st.sawCpu = true;
  const l: FgLine = { kind, line: lineNo, cpu, pid, ts, dur, text };
  if (comm !== undefined) l.comm = comm;
  if (tail !== undefined) l.tail = tail;
  return l;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/** `[A-Za-z0-9_.$]+`: a symbol without module suffix. */
function isPlainName(t: string): boolean {
  if (t.length === 0) return false;
  for (let k = 0; k < t.length; k++) {
    const c = t.charCodeAt(k);
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 36)) return false;
  }
  return true;
}

/** Tokenizes one line. Exported for tests. */
export function tokenize(raw: string, lineNo: number, st: TokenizeState): TokenResult {
  if (raw.indexOf(NBSP) === -1 && !st.pendingName) {
    const f = fastTokenize(raw, lineNo, st);
    if (f) return f;
  }
  return tokenizeGeneral(raw, lineNo, st);
}

function tokenizeGeneral(raw: string, lineNo: number, st: TokenizeState): TokenResult {
  const s = clean(raw);
  let i = 0;
  while (i < s.length && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9)) i++;
  if (i === s.length) return { kind: 'blank' };
  const c = s.charCodeAt(i);
  if (c === 35 /* # */) {
    const m = /^#\s*tracer:\s*(\S+)/.exec(s.slice(i));
    return m ? { kind: 'header', tracer: m[1]! } : { kind: 'header' };
  }
  const bar = (() => {
    const cm = s.indexOf('/*');
    return s.lastIndexOf('|', cm === -1 ? s.length : cm);
  })();

  // trace-cmd report
  if (s.indexOf(': ', i) !== -1 && (c < 48 || c > 57 || s.indexOf('-', i) !== -1)) {
    const m = RE_TRACECMD.exec(s);
    if (m) {
      const cpu = Number(m[3] ?? m[4]);
      const ts = parseScaled(m[5]!, 9);
      if (Number.isNaN(ts)) return { kind: 'malformed', why: `timestamp ${m[5]} beyond 2^53-1 ns` };
      const event = m[6]!;
      const rest = m[7]!;
      const base = { line: lineNo, cpu, comm: m[1]!, pid: Number(m[2]), ts, tc: true };
      st.lastCpu = cpu;
      st.sawCpu = true;
      if (event === 'funcgraph_entry' || event === 'funcgraph_exit') {
        const b = rest.lastIndexOf('|', rest.indexOf('/*') === -1 ? rest.length : rest.indexOf('/*'));
        if (b === -1) return { kind: 'malformed', why: 'funcgraph line without `|`' };
        const d = parseDurationCol(rest.slice(0, b));
        if (d === null) return { kind: 'malformed', why: 'unreadable duration' };
        const p = parseContent(rest.slice(b + 1));
        if (!p || p.kind === 'ident') return { kind: 'malformed', why: 'unreadable function column' };
        return { ...base, ...p, dur: d };
      }
      return { ...base, kind: 'event', text: event, dur: -1, args: fieldArgs(rest) };
    }
  }
  const dm = RE_DROPPED.exec(s);
  if (dm) return { kind: 'dropped', cpu: Number(dm[1]), count: dm[2] ? Number(dm[2]) : 0 };

  if (bar === -1) {
    if (RE_RULE.test(s)) return { kind: 'rule' };
    const sw = RE_SWITCH.exec(s);
    if (sw) return { kind: 'switch', cpu: sw[1] !== undefined ? Number(sw[1]) : st.lastCpu, from: sw[2]!, to: sw[3]! };
    const ov = RE_OVERRUN.exec(s);
    if (ov) return { kind: 'overrun', count: Number(ov[1]) };
    // funcgraph-duration=0: `CPU)  func() {` with no bar at all.
    const nb = RE_NOBAR.exec(s);
    if (nb) {
      const p = parseContent(nb[3]!);
      if (p && p.kind !== 'ident') {
        const cpu = Number(nb[2]);
        st.lastCpu = cpu;
        st.sawCpu = true;
        return { ...p, line: lineNo, cpu, pid: -1, ts: nb[1] ? parseScaled(nb[1], 9) : -1, dur: -1 };
      }
    }
    // A mailer wrapped `func [mod]() {` after the name: join it back.
    if (st.pendingName) {
      const t = s.trim();
      if (t.startsWith('[')) {
        const pn = st.pendingName;
        st.pendingName = undefined;
        const p = parseContent(`${pn.name} ${t}`);
        if (p && p.kind !== 'ident') return { ...pn.prefix, ...p, line: pn.line };
      }
    }
    return { kind: 'text' };
  }

  // tracefs: [ABSTIME |] [CPU)] [TASK-PID |] [flags |] [DURATION] | FUNCTION
  const cols = s.slice(0, bar).split('|');
  const durCol = cols.pop()!;
  let cpu = -1;
  let ts = -1;
  let comm: string | undefined;
  let pid = -1;
  let dur = -1;
  let kindOverride: FgKind | undefined;
  // The column before the function: `[CPU)] [overhead] DURATION us`, an irq marker, or blank.
  const lm = RE_LASTCOL.exec(durCol);
  if (lm) {
    if (lm[1] !== undefined) cpu = Number(lm[1]);
    if (lm[2] === '==========>') kindOverride = 'irq-enter';
    else if (lm[2] === '<==========') kindOverride = 'irq-exit';
    else if (lm[4] !== undefined) {
      dur = parseScaled(lm[4], 3);
      if (Number.isNaN(dur)) return { kind: 'malformed', why: `duration ${lm[4]} us beyond 2^53-1 ns` };
    }
  } else cols.push(durCol); // durations off: the last column is the CPU/task one
  for (const col of cols) {
    if (col.trim() === '') continue;
    let m = RE_CPU_COL.exec(col);
    if (m) {
      cpu = Number(m[1]);
      if (m[2]) {
        const tp = taskPid(m[2]);
        if (!tp) return { kind: 'malformed', why: `unreadable task column "${m[2]}"` };
        comm = tp.comm;
        pid = tp.pid;
      }
      continue;
    }
    if ((m = RE_ABSTIME.exec(col))) {
      ts = parseScaled(m[1]!, 9);
      if (Number.isNaN(ts)) return { kind: 'malformed', why: `timestamp ${m[1]} beyond 2^53-1 ns` };
      continue;
    }
    if (RE_RELTIME.test(col)) continue;
    const tp = taskPid(col);
    if (tp) {
      comm = tp.comm;
      pid = tp.pid;
      continue;
    }
    if (RE_FLAGS.test(col)) continue;
    return { kind: 'text' };
  }
  const prefix = { cpu, pid, ts, dur, ...(comm !== undefined ? { comm } : {}) };
  const content = s.slice(bar + 1);
  if (kindOverride) {
    if (content.trim() !== '') return { kind: 'malformed', why: 'text after an irq marker' };
    return finishCpu({ ...prefix, kind: kindOverride, line: lineNo, text: kindOverride === 'irq-enter' ? 'irq enter' : 'irq exit' }, st);
  }
  const p = parseContent(content);
  if (!p) {
    // Prose that happens to hold a `|` (shell pipes, tables) is not a trace line.
    return cpu === -1 && dur === -1 && ts === -1 ? { kind: 'text' } : { kind: 'malformed', why: 'unreadable function column' };
  }
  if (p.kind === 'ident') {
    if (cpu === -1 && dur === -1 && ts === -1) return { kind: 'text' };
    st.pendingName = { name: p.text, line: lineNo, prefix: finishCpu({ ...prefix, kind: 'entry', line: lineNo, text: '' }, st) };
    return { kind: 'held' };
  }
  return finishCpu({ ...prefix, ...p, line: lineNo }, st);
}

function finishCpu<T extends { cpu: number }>(l: T, st: TokenizeState): T {
  if (l.cpu >= 0) {
    st.lastCpu = l.cpu;
    st.sawCpu = true;
  }
  return l;
}

/** `  + 17.381 us  `, `!2485684 us`, or blank → ns; blank → -1; anything else → null. */
function parseDurationCol(col: string): number | null {
  let blank = true;
  for (let k = 0; k < col.length; k++) {
    const ch = col.charCodeAt(k);
    if (ch !== 32 && ch !== 9) {
      blank = false;
      break;
    }
  }
  if (blank) return -1;
  const m = RE_DURATION.exec(col);
  if (!m) return null;
  return parseScaled(m[2]!, 3);
}

/** Per-CPU state: which task runs there and the lines waiting for that to be known. */
interface CpuState {
  /** Track of the task running on this CPU (from the last context-switch banner), or -1. */
  task: number;
  /** Lines seen before the first banner of this CPU, waiting to learn their task. */
  pending: FgLine[] | null;
  /** Rebuilt time cursor of this CPU (no timestamps in the input). */
  cursor: number;
}

class FunctionGraphParser implements InputParser {
  private readonly b: SliceBuilder;
  private readonly tok: TokenizeState = { lastCpu: -1, sawCpu: false };
  private readonly cpus = new Map<number, CpuState>();
  private pendingTotal = 0;
  private pendingAllowed = true;
  private sawAbsTime = false;
  private sawDuration = false;
  private sawTraceCmd = false;
  private tracerName: string | undefined;
  private calls = 0;
  private readonly report: Report;

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
      c = { task: -1, pending: null, cursor: RECONSTRUCTED_ORIGIN_NS };
      this.cpus.set(n, c);
    }
    return c;
  }

  push(lines: string[], firstLine: number): TraceEvent[] {
    for (let k = 0; k < lines.length; k++) this.line(lines[k]!, firstLine + k);
    return this.b.take();
  }

  end(): TraceEvent[] {
    if (this.tok.pendingName) {
      this.report('function-graph.malformed-line', this.tok.pendingName.line, 'function name without `() {`');
      this.tok.pendingName = undefined;
    }
    this.flushAllPending();
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
        this.b.instant(this.b.cpuLane(t.cpu, `CPU ${t.cpu} events`), this.lastTimeOnCpu(t.cpu), 'events lost', CAT.marker, no, {
          cpu: t.cpu,
          count: t.count,
        });
        return;
      case 'switch':
        this.contextSwitch(t.cpu, t.from, t.to, no);
        return;
      default:
        this.traceLine(t);
    }
  }

  private lastTimeOnCpu(cpu: number): number {
    return this.cpus.get(cpu)?.cursor ?? RECONSTRUCTED_ORIGIN_NS;
  }

  /** A second `# tracer:` header: what was open in the previous trace stays unfinished. */
  private newTrace() {
    this.flushAllPending();
    this.b.closeAll();
    for (const c of this.cpus.values()) c.task = -1;
    this.pendingAllowed = true;
  }

  private taskTrack(comm: string, pid: number, cpu: number): number {
    if (pid === 0) return this.b.idleThread(cpu < 0 ? 0 : cpu);
    return this.b.thread(pid, comm);
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
    this.pendingTotal -= lines.length;
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
      this.apply(l, this.taskTrack(l.comm, l.pid, l.cpu), c);
      return;
    }
    if (c.task >= 0) {
      this.apply(l, c.task, c);
      return;
    }
    if (this.pendingAllowed) {
      if (!c.pending) c.pending = [];
      c.pending.push(l);
      if (++this.pendingTotal > PENDING_LIMIT) {
        this.report('function-graph.pending-overflow', l.line);
        this.pendingAllowed = false;
        this.flushAllPending();
        for (const [n, cs] of this.cpus) if (cs.task < 0) cs.task = this.b.cpuThread(n);
      }
      return;
    }
    this.apply(l, this.b.cpuThread(l.cpu), c);
  }

  /** Interprets one line on a known track. */
  private apply(l: FgLine, track: number, c: CpuState) {
    const b = this.b;
    const abs = l.ts >= 0;
    // Time of this line: printed, or the CPU's rebuilt cursor.
    let now = abs ? l.ts : c.cursor;
    if (!abs && !this.sawDuration) {
      // Neither timestamps nor durations: one microsecond per line keeps the order visible.
      c.cursor += 1000;
      now = c.cursor;
    }
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
          const text = String(l.args?.text ?? '');
          const m = /^\s*(?:\S+:\s*)?(.*)$/.exec(text);
          b.instant(track, now, m?.[1] ?? text, CAT.marker, l.line, l.args);
        } else b.instant(track, now, l.text, CAT.event, l.line, l.args);
        return;
      }
    }
  }
}

/** A function_graph body line: `[...] | func() {`, `| func();`, `| }` (with optional tail comment). */
const RE_SNIFF_LINE =
  /(?:\d+\)|\bus)\s.*\|\s+(?:[\w.$]+(?: \[[\w.-]+\])?\([^)]*\)\s*(?:\{|;)|\}(?:\s*\/\*.*\*\/)?)\s*(?:\/\*.*\*\/)?\s*$/;

function sniff(head: string): SniffAnswer {
  if (/^\s*(?:>\s*)?#\s*tracer:\s*function_graph/m.test(head)) return 'yes';
  if (/: funcgraph_(?:entry|exit):/.test(head)) return 'yes';
  let hits = 0;
  for (const raw of head.split('\n', 4000)) {
    if (raw.indexOf('|') === -1) continue;
    if (RE_SNIFF_LINE.test(raw.replaceAll(NBSP, ' '))) {
      if (++hits >= 3) return 'yes';
    }
  }
  return hits > 0 ? 'maybe' : 'no';
}

export const functionGraph: InputAdapter = {
  name: 'function-graph',
  description: 'ftrace function_graph text (tracefs `trace`, every funcgraph-* option, trace-cmd report)',
  priority: 20,
  sniff,
  createParser: (ctx) => new FunctionGraphParser(ctx),
};

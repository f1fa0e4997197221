/**
 * function_graph tokenizing: one trace line → FgLine (columns + one of
 * entry/leaf/exit/comment/...), or what else the line is (header, banner, rule, prose).
 */
import { parseScaled } from '../../model/time.js';
import { fastTokenize } from './fast.js';
import { parseContent } from './content.js';
import { tokenizeTraceCmd } from './trace-cmd.js';
import type { FgKind, FgLine, TokenResult, TokenizeState } from './line.js';

export type { FgKind, FgLine, TokenResult, TokenizeState } from './line.js';

export const NBSP = '\u00a0';

const RE_CPU_COL = /^\s*(\d+)\)\s*(.*?)\s*$/;
const RE_TASK = /^\s*(\S(?:.*\S)?)-(\d+)\s*$/;
const RE_LASTCOL = /^\s*(?:(\d+)\)\s*)?(?:(==========>|<==========)|([+!#*@$])?\s*(\d+(?:\.\d+)?)\s*us)?\s*$/;
const RE_ABSTIME = /^\s*(\d+\.\d+)\s*$/;
const RE_RELTIME = /^\s*\d+\s*us\s*$/;
const RE_FLAGS = /^\s*[.a-zA-Z0-9]{4,6}\s*$/;
const RE_SWITCH = /^\s*(?:(\d+)\)\s+)?(\S.*?-\d+)\s+=>\s+(\S.*?-\d+)\s*$/;
const MAX_SWITCH_LINE = 256;
const RE_OVERRUN = /^\s*\(Overruns:\s*(\d+)\)\s*$/;
const RE_RULE = /^\s*-{20,}\s*$/;
const RE_NOBAR = /^\s*(?:(\d+\.\d+)\s+)?(\d+)\)\s(.*)$/;
/** trace-cmd's `CPU:1 [1467 EVENTS DROPPED]`, the kernel's `CPU:1 [LOST 33856 EVENTS]`. */
const RE_DROPPED = /^\s*CPU:\s*(\d+)\s*\[(?:(\d+)\s+EVENTS DROPPED|EVENTS DROPPED|LOST (\d+) EVENTS)\]/;

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


export function taskPid(task: string): { comm: string; pid: number } | null {
  const m = RE_TASK.exec(task);
  return m ? { comm: m[1]!, pid: Number(m[2]) } : null;
}

/** Tokenizes one line. Exported for tests. */
export function tokenize(raw: string, lineNo: number, st: TokenizeState): TokenResult {
  if (raw.indexOf(NBSP) === -1 && !st.pendingName) {
    const f = fastTokenize(raw, lineNo, st);
    if (f) {
      st.tracerHeader = false;
      return f;
    }
  }
  const t = tokenizeGeneral(raw, lineNo, st);
  // A line with columns proves the columns are on: bare FUNCTION-column lines are prose again.
  if (st.tracerHeader && 'line' in t && (t.cpu >= 0 || t.ts >= 0 || t.dur >= 0 || t.comm !== undefined)) st.tracerHeader = false;
  return t;
}

/** The general path alone (every layout, a regular expression per column); exported for tests. */
export function tokenizeGeneral(raw: string, lineNo: number, st: TokenizeState): TokenResult {
  const s = clean(raw);
  let i = 0;
  while (i < s.length && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9)) i++;
  if (i === s.length) return { kind: 'blank' };
  const c = s.charCodeAt(i);
  if (c === 35 /* # */) {
    const m = /^#\s*tracer:\s*(\S+)/.exec(s.slice(i));
    if (m) st.tracerHeader = true;
    return m ? { kind: 'header', tracer: m[1]! } : { kind: 'header' };
  }
  const bar = (() => {
    const cm = s.indexOf('/*');
    return s.lastIndexOf('|', cm === -1 ? s.length : cm);
  })();

  // trace-cmd report
  if (s.indexOf(': ', i) !== -1 && (c < 48 || c > 57 || s.indexOf('-', i) !== -1)) {
    const t = tokenizeTraceCmd(s, lineNo, st);
    if (t) return t;
  }
  const dm = RE_DROPPED.exec(s);
  if (dm) return { kind: 'dropped', cpu: Number(dm[1]), count: dm[2] ? Number(dm[2]) : dm[3] ? Number(dm[3]) : 0 };

  if (bar === -1) {
    if (RE_RULE.test(s)) return { kind: 'rule' };
    // The kernel prints `CPU) comm-pid => comm-pid` with comms of at most 15 characters: a
    // longer line is not one (and the two lazy groups would cost its length squared).
    const sw = s.length <= MAX_SWITCH_LINE ? RE_SWITCH.exec(s) : null;
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
    // nocontext-info, or every column off: the FUNCTION column alone (`  func() {`, `  }`).
    const bare = st.tracerHeader ? bareLine(s, lineNo) : null;
    if (bare) return bare;
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
      // latency-format without the proc column: ` 0)  d..2. | ...`
      if (m[2] && !RE_FLAGS.test(m[2])) {
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

/**
 * A line that is only the FUNCTION column, as the kernel prints it with `nocontext-info` or with
 * every column option off: an entry, a leaf, a closing brace (with its comment) or an irq marker.
 * Anything else (prose, `/* comments *\/` outside a trace) is left to the caller.
 */
function bareLine(s: string, lineNo: number): FgLine | null {
  const t = s.trim();
  if (t === '==========>' || t === '<==========') {
    const kind = t === '==========>' ? 'irq-enter' : 'irq-exit';
    return { kind, line: lineNo, cpu: -1, pid: -1, ts: -1, dur: -1, text: kind === 'irq-enter' ? 'irq enter' : 'irq exit' };
  }
  const last = t.charCodeAt(t.length - 1);
  if (last !== 123 /* { */ && last !== 59 /* ; */ && last !== 125 /* } */ && last !== 47 /* / */) return null;
  const p = parseContent(t);
  if (!p || p.kind === 'ident' || p.kind === 'comment') return null;
  if (p.kind !== 'exit' && (C_WORDS.has(p.text) || (p.args && !kernelArgs(p.args)))) return null;
  return { ...p, line: lineNo, cpu: -1, pid: -1, ts: -1, dur: -1 };
}

/** Words of C that look like calls in pasted source (`if (x) {`), never kernel function names. */
const C_WORDS = new Set(['if', 'for', 'while', 'switch', 'return', 'sizeof', 'do', 'else']);

/** The kernel prints arguments as `name=value` (funcgraph-args with BTF) or bare numbers. */
function kernelArgs(args: Record<string, unknown>): boolean {
  for (const [k, v] of Object.entries(args)) {
    if (k === 'ret' || k === 'caller' || k.startsWith('arg.')) continue;
    if (!/^(?:0x[0-9a-fA-F]+|-?\d+)$/.test(String(v))) return false;
  }
  return true;
}

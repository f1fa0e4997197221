/**
 * `trace-cmd report` lines (trace-cmd's trace-read.c `trace_show_data`), every layout its
 * options print:
 *
 *   [FILE: ]COMM-PID [(TGID)] [CPU] [FLAGS] TS: [(+DIFF)] EVENT: BODY      default, -t, --ts-diff, several -i
 *   [FILE: ]COMM-PID CPUFLAGS TS: EVENT: BODY                              -l (latency), `-l -R` prints `-0xFLAGS`
 *
 * TS is `secs.usecs` (`-t`: `secs.nsecs`), or a bare integer for clocks that are not in
 * nanoseconds (`%12d:`, counter/TSC without --ts2secs). The funcgraph BODY has three forms:
 * the fgraph plugin (`DUR | func() {`, with `(depth)` after it under `-O fgraph:depth=1` and
 * `} /* func *\/` under `-O fgraph:tailprint=1`), the kernel's own print format when plugins are
 * off (`-N`: `--> func (depth)`, `<-- func (depth) (start: HEX  end: HEX) over: N`), and the raw
 * fields (`-R`: `func=F depth=D ...`, `calltime=HEX rettime=HEX`).
 */
import type { Args } from '../../model/events.js';
import { parseScaled } from '../../model/time.js';
import { fieldArgs, parseContent, parseDurationCol } from './content.js';
import type { FgLine, TokenResult, TokenizeState } from './line.js';

const RE_TRACECMD =
  /^\s*(?:([^\s:|]+):\s+)?(\S(?:.*?\S)?)-(\d+)\s+(?:\(\s*[-\d]+\)\s+)?(?:\[(\d+)\]\s+(?:[.a-zA-Z0-9]{4,6}\s+)?|(\d+)(?:[.a-zA-Z0-9]{4,6}|-0x[0-9a-fA-F]+)\s+)(\d+(?:\.\d+)?):\s+(?:\(\+\d+\)\s+)?([\w:]+):\s?(.*)$/;
/** `-N`: the kernel's print format of funcgraph_entry / funcgraph_exit. */
const RE_N_ENTRY = /^\s*-->\s+(\S+)\s+\((\d+)\)(?:\s+<-\s*(\S+))?\s*$/;
const RE_N_EXIT =
  /^\s*<--\s+(\S+)\s+\((\d+)\)\s+\(start:\s*([0-9a-fA-F]+)\s+end:\s*([0-9a-fA-F]+)\)\s+over:\s*(\d+)(?:\s+retval:\s*(\S+))?\s*$/;
/** `-O fgraph:depth=1`: ` (N)` after the function column. */
const RE_DEPTH_SUFFIX = /([{};/])\s+\(\d+\)\s*$/;

const GRAPH_EVENTS = new Set(['funcgraph_entry', 'funcgraph_exit', 'fgraph_retaddr_entry', 'funcgraph_retaddr_entry']);

/** Reads a trace-cmd report line, or returns null when the line is not one. */
export function tokenizeTraceCmd(s: string, lineNo: number, st: TokenizeState): TokenResult | null {
  const m = RE_TRACECMD.exec(s);
  if (!m) return null;
  const cpu = Number(m[4] ?? m[5]);
  const tsText = m[6]!;
  const ts = tsText.indexOf('.') === -1 ? parseScaled(tsText, 0) : parseScaled(tsText, 9);
  if (Number.isNaN(ts)) return { kind: 'malformed', why: `timestamp ${tsText} beyond 2^53-1 ns` };
  const event = m[7]!;
  const rest = m[8]!;
  const base: Omit<FgLine, 'kind' | 'text' | 'dur'> = { line: lineNo, cpu, comm: m[2]!, pid: Number(m[3]), ts, tc: true };
  if (m[1] !== undefined) base.file = m[1];
  st.lastCpu = cpu;
  st.sawCpu = true;
  if (!GRAPH_EVENTS.has(event)) return { ...base, kind: 'event', text: event, dur: -1, args: event === 'print' ? { text: rest.trim() } : fieldArgs(rest) };
  const exit = event === 'funcgraph_exit';
  const body = rest.trimStart();
  if (body.startsWith('-->') || body.startsWith('<--')) return noPlugin(body, exit, base);
  if (body.startsWith('func=')) return rawFields(body, exit, base);
  const content = rest.replace(RE_DEPTH_SUFFIX, '$1');
  const cm = content.indexOf('/*');
  const b = content.lastIndexOf('|', cm === -1 ? content.length : cm);
  if (b === -1) return { kind: 'malformed', why: 'funcgraph line without `|`' };
  const d = parseDurationCol(content.slice(0, b));
  if (d === null) return { kind: 'malformed', why: 'unreadable duration' };
  const p = parseContent(content.slice(b + 1));
  if (!p || p.kind === 'ident') return { kind: 'malformed', why: 'unreadable function column' };
  return { ...base, ...p, dur: d };
}

/** Nanoseconds between two hex clock values (BigInt: TSC-like counters exceed 2^53). */
function hexSpan(start: string, end: string): number {
  const d = BigInt(`0x${end}`) - BigInt(`0x${start}`);
  return d < 0n ? -1 : Number(d);
}

function noPlugin(body: string, exit: boolean, base: Omit<FgLine, 'kind' | 'text' | 'dur'>): TokenResult {
  if (!exit) {
    const e = RE_N_ENTRY.exec(body);
    if (!e) return { kind: 'malformed', why: 'unreadable `-->` entry' };
    const out: FgLine = { ...base, kind: 'entry', text: e[1]!, dur: -1 };
    if (e[3]) out.args = { caller: e[3] };
    return out;
  }
  const x = RE_N_EXIT.exec(body);
  if (!x) return { kind: 'malformed', why: 'unreadable `<--` exit' };
  const out: FgLine = { ...base, kind: 'exit', text: '', tail: x[1]!, dur: hexSpan(x[3]!, x[4]!) };
  if (x[6]) out.args = { ret: `0x${x[6]}` };
  return out;
}

function rawFields(body: string, exit: boolean, base: Omit<FgLine, 'kind' | 'text' | 'dur'>): TokenResult {
  const f: Record<string, string> = {};
  for (const part of body.split(/\s+/)) {
    const eq = part.indexOf('=');
    if (eq > 0) f[part.slice(0, eq)] = part.slice(eq + 1);
  }
  const func = f.func;
  if (!func || f.depth === undefined) return { kind: 'malformed', why: 'raw funcgraph fields without func= and depth=' };
  if (!exit) {
    const out: FgLine = { ...base, kind: 'entry', text: func, dur: -1 };
    if (f.retaddr) out.args = { caller: f.retaddr };
    return out;
  }
  const hex = /^(?:0x)?([0-9a-fA-F]+)$/;
  const c = hex.exec(f.calltime ?? '');
  const r = hex.exec(f.rettime ?? '');
  const out: FgLine = { ...base, kind: 'exit', text: '', tail: func, dur: c && r ? hexSpan(c[1]!, r[1]!) : -1 };
  if (f.retval !== undefined) out.args = { ret: f.retval } as Args;
  return out;
}

/**
 * `perf script` lines → parts, by character scanning (no regex on the common path).
 *
 * A record is a header line (`perf_sample__fprintf_start` in perf's builtin-script.c: comm,
 * pid/tid, [cpu], time:, period, event:, then the tracepoint payload or, without a callchain,
 * `ip sym (dso)`), indented callchain lines (`sample__fprintf_callchain`: `ip sym+0xoff (dso)`,
 * `(inlined)` frames without a dso), optional `-F +srcline` lines, and a blank line.
 *
 * Two readers live here: the exact one (what the regular expressions of stackcollapse-perf.pl
 * match, for `--compat stackcollapse`) and the layout-aware one (the default).
 */

/** Perl's `\s` on byte strings: ASCII whitespace only. */
export function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

export function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

// ---------------------------------------------------------------------------------------------
// The stackcollapse-perf.pl reading (compat): its regular expressions, Perl's `\s` and `.`.

const RE_SC_HEADER = /^([^ \t\n\r\f\v][^\n]+?)[ \t\n\r\f\v]+(\d+)\/*(\d+)*[ \t\n\r\f\v]+/;
const RE_SC_EVENT = /:[ \t\n\r\f\v]*(\d+)*[ \t\n\r\f\v]+([^ \t\n\r\f\v]+):[ \t\n\r\f\v]*$/;
const RE_SC_FRAME = /^[ \t\n\r\f\v]*(\w+)[ \t\n\r\f\v]*([^\n]+) \(([^\n]*)\)/;

export interface ScHeader {
  comm: string;
  pid: string;
  tid: string;
  /** Only when the line ends with `event:` (else the Perl applies no filter). */
  event?: string;
  period?: string;
}

/** `^(\S.+?)\s+(\d+)\/*(\d+)*\s+` and the event/period test, as the Perl applies them. */
export function scHeader(line: string): ScHeader | undefined {
  if (line.length < 2 || isSpace(line.charCodeAt(0))) return undefined;
  const m = RE_SC_HEADER.exec(line);
  if (!m) return undefined;
  let pid = m[2]!;
  let tid = m[3];
  if (!tid) {
    tid = pid;
    pid = '?';
  }
  const h: ScHeader = { comm: m[1]!, pid, tid };
  // The event test only matters when the line ends with `:` (and optional whitespace).
  let end = line.length;
  while (end > 0 && isSpace(line.charCodeAt(end - 1))) end--;
  if (end > 0 && line.charCodeAt(end - 1) === 58) {
    const e = RE_SC_EVENT.exec(line);
    if (e) {
      h.event = e[2]!;
      h.period = e[1];
    }
  }
  return h;
}

export interface ScFrame {
  pc: string;
  /** Everything between the pc and the last ` (`; the cache key starts at `from`. */
  rawfunc: string;
  mod: string;
}

/**
 * `^\s*(\w+)\s*(.+) \((.*)\)`: the fast path handles `ws pc ws rest` where the rest holds a
 * ` (` before the last `)`; anything else goes to the regular expression itself.
 */
export function scFrame(line: string): ScFrame | undefined {
  const n = line.length;
  let i = 0;
  while (i < n && isSpace(line.charCodeAt(i))) i++;
  const pcStart = i;
  while (i < n && isWordChar(line.charCodeAt(i))) i++;
  const pcEnd = i;
  if (pcEnd > pcStart && i < n && isSpace(line.charCodeAt(i))) {
    while (i < n && isSpace(line.charCodeAt(i))) i++;
    const r = line.lastIndexOf(')');
    if (r >= 0) {
      const e = r >= 2 ? line.lastIndexOf(' (', r - 2) : -1;
      if (e > i) return { pc: line.slice(pcStart, pcEnd), rawfunc: line.slice(i, e), mod: line.slice(e + 2, r) };
    }
  }
  const m = RE_SC_FRAME.exec(line);
  return m ? { pc: m[1]!, rawfunc: m[2]!, mod: m[3]! } : undefined;
}

// ---------------------------------------------------------------------------------------------
// The layout-aware reading (default).

export interface Header {
  comm: string;
  pid?: number;
  tid: number;
  cpu?: number;
  /** `sec.frac` as printed, when there is a time field. */
  time?: string;
  period?: number;
  /** As printed, with modifiers (`cycles:u`, `sched:sched_switch`). */
  event: string;
  /** Text after `event:` (tracepoint payload, or `ip sym (dso)` of a sample without callchain). */
  rest: string;
}

interface Word {
  s: number;
  e: number;
}

function words(line: string, limit: number): Word[] {
  const out: Word[] = [];
  const n = line.length;
  let i = 0;
  while (i < n && out.length < limit) {
    while (i < n && isSpace(line.charCodeAt(i))) i++;
    if (i >= n) break;
    const s = i;
    while (i < n && !isSpace(line.charCodeAt(i))) i++;
    out.push({ s, e: i });
  }
  return out;
}

function allDigits(line: string, s: number, e: number): boolean {
  if (e <= s) return false;
  for (let i = s; i < e; i++) if (!isDigit(line.charCodeAt(i))) return false;
  return true;
}

/** `12/34` or `34`. */
function pidWord(line: string, w: Word): { pid?: number; tid: number } | undefined {
  const slash = line.indexOf('/', w.s);
  if (slash > w.s && slash < w.e - 1) {
    if (!allDigits(line, w.s, slash) || !allDigits(line, slash + 1, w.e)) return undefined;
    return { pid: Number(line.slice(w.s, slash)), tid: Number(line.slice(slash + 1, w.e)) };
  }
  if (!allDigits(line, w.s, w.e)) return undefined;
  return { tid: Number(line.slice(w.s, w.e)) };
}

function isCpuWord(line: string, w: Word): boolean {
  return w.e - w.s >= 3 && line.charCodeAt(w.s) === 91 && line.charCodeAt(w.e - 1) === 93 && allDigits(line, w.s + 1, w.e - 1);
}

function isTimeWord(line: string, w: Word): boolean {
  if (line.charCodeAt(w.e - 1) !== 58) return false;
  const dot = line.indexOf('.', w.s);
  return dot > w.s && dot < w.e - 2 && allDigits(line, w.s, dot) && allDigits(line, dot + 1, w.e - 1);
}

/**
 * A header line: the pid/tid word is the first all-digit word followed by a `[cpu]` or a
 * `sec.frac:` word, so comm names with spaces and digits (`my worker 1 15125 ...`) stay whole;
 * without either, the word before the optional period and the `event:` word.
 */
export function header(line: string): Header | undefined {
  // Most headers are read within their first 8 words; long comms and payloads get 64.
  const few = words(line, 8);
  return (few.length < 8 ? headerIn(line, few, true) : headerIn(line, few, false)) ?? (few.length < 8 ? undefined : headerIn(line, words(line, 64), true));
}

/** `all`: `ws` holds every word of the line (else a prefix: answer only when sure). */
function headerIn(line: string, ws: Word[], all: boolean): Header | undefined {
  if (ws.length < 2) return undefined;
  let p = -1;
  for (let k = 1; k < ws.length - 1; k++) {
    const next = ws[k + 1]!;
    if ((isCpuWord(line, next) || isTimeWord(line, next)) && pidWord(line, ws[k]!)) {
      p = k;
      break;
    }
  }
  if (p < 0) {
    // No cpu and no time: `comm pid [period] event:`.
    for (let k = 1; k < ws.length; k++) {
      const w = ws[k]!;
      if (line.charCodeAt(w.e - 1) === 58 && w.e - w.s > 1 && !isTimeWord(line, w)) {
        let q = k - 1;
        if (q >= 2 && allDigits(line, ws[q]!.s, ws[q]!.e) && pidWord(line, ws[q - 1]!)) q--;
        if (q >= 1 && pidWord(line, ws[q]!)) p = q;
        break;
      }
    }
    if (p < 0) return undefined;
  }
  if (!all && p + 4 >= ws.length) return undefined;
  const id = pidWord(line, ws[p]!)!;
  const h: Header = { comm: line.slice(ws[0]!.s, ws[p - 1]!.e), tid: id.tid, event: '', rest: '' };
  if (id.pid !== undefined) h.pid = id.pid;
  let k = p + 1;
  if (k < ws.length && isCpuWord(line, ws[k]!)) {
    h.cpu = Number(line.slice(ws[k]!.s + 1, ws[k]!.e - 1));
    k++;
  }
  // misc letters (`-F misc`) and tod strings come before the time; skip words up to it.
  for (let j = k; j < Math.min(ws.length, k + 3); j++) {
    if (isTimeWord(line, ws[j]!)) {
      h.time = line.slice(ws[j]!.s, ws[j]!.e - 1);
      k = j + 1;
      break;
    }
  }
  if (k < ws.length && allDigits(line, ws[k]!.s, ws[k]!.e)) {
    h.period = Number(line.slice(ws[k]!.s, ws[k]!.e));
    k++;
  }
  if (k >= ws.length) return h.time !== undefined ? h : undefined;
  const ev = ws[k]!;
  if (line.charCodeAt(ev.e - 1) !== 58) return h.time !== undefined ? { ...h, rest: line.slice(ev.s).trim() } : undefined;
  h.event = line.slice(ev.s, ev.e - 1);
  h.rest = line.slice(ev.e).trim();
  return h;
}

export interface Frame {
  ip: string;
  /** Symbol as printed, `+0x…` offset removed. */
  sym: string;
  /** `[kernel.kallsyms]`, a path, `[unknown]`; empty for an `(inlined)` frame. */
  dso: string;
  inlined: boolean;
}

/**
 * `ip sym[+0xoff] (dso)` or `ip sym (inlined)`, leading whitespace allowed. The dso is the
 * last ` (` group (paths with spaces, symbols with parentheses). `undefined` when the line does
 * not start with a hex ip followed by a space.
 */
export function frame(line: string, from = 0): Frame | undefined {
  const n = line.length;
  let i = from;
  while (i < n && isSpace(line.charCodeAt(i))) i++;
  const ipStart = i;
  while (i < n && isHex(line.charCodeAt(i))) i++;
  if (i === ipStart || i >= n || line.charCodeAt(i) !== 32) return undefined;
  const ip = line.slice(ipStart, i);
  while (i < n && line.charCodeAt(i) === 32) i++;
  let end = n;
  while (end > i && isSpace(line.charCodeAt(end - 1))) end--;
  let sym: string;
  let dso = '';
  let inlined = false;
  if (line.charCodeAt(end - 1) === 41) {
    const open = line.lastIndexOf(' (', end - 2);
    if (open >= i - 1) {
      dso = line.slice(open + 2, end - 1);
      sym = open >= i ? line.slice(i, open) : '';
      if (dso === 'inlined') {
        inlined = true;
        dso = '';
      }
    } else sym = line.slice(i, end);
  } else sym = line.slice(i, end);
  return { ip, sym: stripOffset(sym), dso, inlined };
}

/** `sym+0x1f` → `sym` (upper or lower case hex, the offset perf prints with `symoff`). */
export function stripOffset(sym: string): string {
  const p = sym.lastIndexOf('+0x');
  if (p <= 0) return sym;
  for (let i = p + 3; i < sym.length; i++) if (!isHex(sym.charCodeAt(i))) return sym;
  return p + 3 < sym.length ? sym.slice(0, p) : sym;
}

/** A `-F +srcline` line: two spaces then `file:line` (or `dso[addr]`), maybe ` (inlined)`. */
export function srcline(line: string): { text: string; inlined: boolean } {
  let t = line.trim();
  let inlined = false;
  if (t.endsWith(' (inlined)')) {
    inlined = true;
    t = t.slice(0, -10).trimEnd();
  }
  return { text: t, inlined };
}

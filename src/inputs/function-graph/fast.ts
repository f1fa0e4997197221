import { parseScaled } from '../../model/time.js';
import type { FgKind, FgLine, TokenizeState } from './line.js';

/**
 * Fast path for the commonest tracefs lines, `[ts |] CPU) [task |] [mark] DUR us | content`,
 * by character scanning. Returns null when the line is anything else (the general path then
 * reads it).
 */
export function fastTokenize(s: string, lineNo: number, st: TokenizeState): FgLine | null {
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

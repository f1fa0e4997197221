/**
 * The byte-level fast path for the lines real kernels print most, read straight from the input
 * buffer (no string per line, names interned by their bytes):
 *
 *   tracefs          `[ABSTIME |] CPU) [TASK-PID |] [MARK] [DUR us] | CONTENT`
 *   trace-cmd report `COMM-PID [CPU] [FLAGS] TS: funcgraph_entry|funcgraph_exit: [MARK] [DUR us] | CONTENT`
 *
 * with CONTENT one of `name() {`, `name();`, `}` and `} /* name *\/` (a name is `[\w.$]+`, with
 * an optional ` [module]`). Anything else, or any byte it does not expect, makes it answer
 * false, and the caller hands the line to the general path, which reads every layout.
 */
import type { FgKind, FgLine, TokenizeState } from './tokenize.js';

const SP = 32;
const BAR = 124;
const DOT = 46;

const isDigit = (c: number) => c >= 48 && c <= 57;
/** `[\w.$]` */
const isNameByte = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === DOT || c === 36;
/** Overhead marks printed before a duration: `+ ! # * @ $`. */
const isMark = (c: number) => c === 43 || c === 33 || c === 35 || c === 42 || c === 64 || c === 36;

/**
 * The decimal in buf[start, end) scaled by 10^scale, digits beyond the scale cut, NaN when it is
 * not a plain unsigned decimal or exceeds 2^53 (as `parseScaled` reads text).
 */
export function parseScaledBytes(buf: Uint8Array, scale: number, start: number, end: number): number {
  let intPart = 0;
  let i = start;
  let digits = 0;
  for (; i < end; i++) {
    const c = buf[i]!;
    if (c < 48 || c > 57) break;
    intPart = intPart * 10 + (c - 48);
    digits++;
  }
  let frac = 0;
  let fracDigits = 0;
  if (i < end && buf[i] === DOT) {
    i++;
    for (; i < end; i++) {
      const c = buf[i]!;
      if (c < 48 || c > 57) break;
      if (fracDigits < scale) {
        frac = frac * 10 + (c - 48);
        fracDigits++;
      }
      digits++;
    }
  }
  if (i !== end || digits === 0) return NaN;
  while (fracDigits < scale) {
    frac *= 10;
    fracDigits++;
  }
  const v = intPart * POW10[scale]! + frac;
  return v > Number.MAX_SAFE_INTEGER ? NaN : v;
}

const POW10 = [1, 10, 100, 1000, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/**
 * Strings of byte ranges, one per distinct content: a name seen a million times is decoded once.
 * Bounded: past `MAX_NAMES` distinct names (or `MAX_POOL` bytes of them) new ones are decoded
 * each time, so hostile input cannot grow it.
 */
export class ByteInterner {
  private pool: Uint8Array = new Uint8Array(1 << 16);
  private poolUsed = 0;
  private offs: Int32Array = new Int32Array(1024);
  private lens: Int32Array = new Int32Array(1024);
  private hashes: Int32Array = new Int32Array(1024);
  private readonly strs: string[] = [];
  private table: Int32Array = new Int32Array(2048);
  private mask = 2047;

  intern(buf: Uint8Array, start: number, end: number): string {
    let h = 0x811c9dc5 | 0;
    for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, 16777619);
    const len = end - start;
    const table = this.table;
    const mask = this.mask;
    let slot = h & mask;
    for (;;) {
      const v = table[slot]!;
      if (v === 0) break;
      const k = v - 1;
      if (this.hashes[k] === h && this.lens[k] === len && this.same(k, buf, start, len)) return this.strs[k]!;
      slot = (slot + 1) & mask;
    }
    const s = Buffer.from(buf.buffer, buf.byteOffset + start, len).toString('latin1');
    const n = this.strs.length;
    if (n >= MAX_NAMES || this.poolUsed + len > MAX_POOL) return s;
    if (n === this.offs.length) {
      this.offs = grow(this.offs);
      this.lens = grow(this.lens);
      this.hashes = grow(this.hashes);
    }
    if (this.poolUsed + len > this.pool.length) {
      const p = new Uint8Array(Math.max(this.pool.length * 2, this.poolUsed + len));
      p.set(this.pool.subarray(0, this.poolUsed));
      this.pool = p;
    }
    this.pool.set(buf.subarray(start, end), this.poolUsed);
    this.offs[n] = this.poolUsed;
    this.lens[n] = len;
    this.hashes[n] = h;
    this.poolUsed += len;
    this.strs.push(s);
    table[slot] = n + 1;
    if ((n + 1) * 2 > table.length) this.rehash();
    return s;
  }

  private same(k: number, buf: Uint8Array, start: number, len: number): boolean {
    const p = this.pool;
    const o = this.offs[k]!;
    for (let i = 0; i < len; i++) if (p[o + i] !== buf[start + i]) return false;
    return true;
  }

  private rehash() {
    const size = this.table.length * 2;
    const t = new Int32Array(size);
    const mask = size - 1;
    for (let k = 0; k < this.strs.length; k++) {
      let slot = this.hashes[k]! & mask;
      while (t[slot] !== 0) slot = (slot + 1) & mask;
      t[slot] = k + 1;
    }
    this.table = t;
    this.mask = mask;
  }
}

const MAX_NAMES = 1 << 18;
const MAX_POOL = 16 << 20;

function grow(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/** The end of a name (`[\w.$]+` with an optional ` [module]`) starting at `i`, or -1. */
function nameEnd(buf: Uint8Array, i: number, end: number): number {
  let k = i;
  while (k < end && isNameByte(buf[k]!)) k++;
  if (k === i) return -1;
  if (k + 1 < end && buf[k] === SP && buf[k + 1] === 91 /* [ */) {
    // ` [mod]` or ` [mod hex]`: `[\w.-]+( [0-9a-f]+)?]`
    let m = k + 2;
    const m0 = m;
    for (; m < end; m++) {
      const c = buf[m]!;
      if (!(isNameByte(c) && c !== 36) && c !== 45 /* - */) break;
    }
    if (m === m0) return -1;
    if (buf[m] === SP) {
      const h0 = ++m;
      while (m < end && ((buf[m]! >= 48 && buf[m]! <= 57) || (buf[m]! >= 97 && buf[m]! <= 102))) m++;
      if (m === h0) return -1;
    }
    if (buf[m] !== 93 /* ] */) return -1;
    k = m + 1;
  }
  return k;
}

/**
 * Reads `[MARK] [DUR us] | CONTENT` from `i` into `l` (kind, dur, text, tail). False when the
 * rest of the line is anything else.
 */
function readTail(buf: Uint8Array, i: number, n: number, l: FgLine, names: ByteInterner): boolean {
  let c = buf[i];
  let dur = -1;
  if (c !== BAR) {
    if (c !== undefined && isMark(c)) {
      i++;
      while (i < n && buf[i] === SP) i++;
    }
    // `\d+(\.\d+)?` as the general path's expressions read it.
    let k = i;
    while (k < n && isDigit(buf[k]!)) k++;
    if (k === i) return false;
    if (buf[k] === DOT) {
      const f = ++k;
      while (k < n && isDigit(buf[k]!)) k++;
      if (k === f) return false;
    }
    if (buf[k] !== SP) return false;
    dur = parseScaledBytes(buf, 3, i, k);
    if (Number.isNaN(dur)) return false;
    while (k < n && buf[k] === SP) k++;
    if (buf[k] !== 117 /* u */ || buf[k + 1] !== 115 /* s */) return false;
    i = k + 2;
    while (i < n && buf[i] === SP) i++;
    if (buf[i] !== BAR) return false;
  }
  i++;
  while (i < n && buf[i] === SP) i++;
  let end = n;
  while (end > i && buf[end - 1] === SP) end--;
  if (end === i) return false;
  const last = buf[end - 1];
  let kind: FgKind;
  l.tail = undefined;
  l.text = '';
  if (last === 125 /* } */) {
    if (end - i !== 1) return false;
    kind = 'exit';
  } else if (last === 47 /* / */) {
    // `} /* name */` or `} /* name() */`
    if (buf[i] !== 125 || buf[i + 1] !== SP || buf[i + 2] !== 47 || buf[i + 3] !== 42 || buf[i + 4] !== SP) return false;
    if (buf[end - 2] !== 42 || buf[end - 3] !== SP) return false;
    const s = i + 5;
    let e = end - 3;
    if (e - s > 2 && buf[e - 1] === 41 && buf[e - 2] === 40) e -= 2;
    if (nameEnd(buf, s, e) !== e) return false;
    l.tail = names.intern(buf, s, e);
    kind = 'exit';
  } else if (last === 123 /* { */) {
    if (buf[end - 2] !== SP || buf[end - 3] !== 41 || buf[end - 4] !== 40) return false;
    const e = end - 4;
    if (nameEnd(buf, i, e) !== e) return false;
    l.text = names.intern(buf, i, e);
    kind = 'entry';
  } else if (last === 59 /* ; */) {
    if (buf[end - 2] !== 41 || buf[end - 3] !== 40) return false;
    const e = end - 3;
    if (nameEnd(buf, i, e) !== e) return false;
    l.text = names.intern(buf, i, e);
    kind = 'leaf';
  } else return false;
  l.kind = kind;
  l.dur = dur;
  return true;
}

/** A reusable line record (the fast path fills it in place; copy it to keep it). */
export function emptyLine(): FgLine {
  return { kind: 'entry', line: 0, cpu: -1, comm: undefined, pid: -1, ts: -1, dur: -1, text: '', args: undefined, tail: undefined, tc: undefined, file: undefined };
}

/**
 * Reads buf[start, end) into `l` when it is one of the fast path's layouts. `comms` interns
 * task names.
 */
export function tokenizeBytes(buf: Uint8Array, start: number, end: number, lineNo: number, st: TokenizeState, l: FgLine, names: ByteInterner, comms: ByteInterner): boolean {
  let i = start;
  while (i < end && buf[i] === SP) i++;
  let j = i;
  while (j < end && isDigit(buf[j]!)) j++;
  if (j === i) return traceCmd(buf, i, end, lineNo, st, l, names, comms);
  let ts = -1;
  if (buf[j] === DOT) {
    let k = j + 1;
    while (k < end && isDigit(buf[k]!)) k++;
    const t = parseScaledBytes(buf, 9, i, k);
    if (Number.isNaN(t)) return false;
    while (k < end && buf[k] === SP) k++;
    if (buf[k] !== BAR) return false;
    ts = t;
    i = k + 1;
    while (i < end && buf[i] === SP) i++;
    j = i;
    while (j < end && isDigit(buf[j]!)) j++;
    if (j === i) return false;
  }
  if (buf[j] !== 41 /* ) */) return traceCmd(buf, start, end, lineNo, st, l, names, comms);
  const cpu = parseScaledBytes(buf, 0, i, j);
  // Beyond 2^53: the general path reads it (as a number the guard then maps), as it always does.
  if (Number.isNaN(cpu)) return false;
  i = j + 1;
  while (i < end && buf[i] === SP) i++;
  // Optional task column (`kt-work-406   |`).
  let comm: string | undefined;
  let pid = -1;
  const c = buf[i];
  if (c !== undefined && c !== BAR && !isDigit(c) && !isMark(c)) {
    let bar = i;
    while (bar + 1 < end && !(buf[bar] === SP && buf[bar + 1] === BAR)) bar++;
    if (bar + 1 >= end) return false;
    let e = bar;
    while (e > i && buf[e - 1] === SP) e--;
    let dash = e - 1;
    while (dash >= i && buf[dash] !== 45) dash--;
    if (dash <= i || buf[dash - 1] === SP) return false;
    // A control byte (a tab) or a bar in the task: the general path reads columns around them.
    for (let k = i; k < dash; k++) if (buf[k]! < 32 || buf[k] === BAR) return false;
    for (let k = dash + 1; k < e; k++) if (!isDigit(buf[k]!)) return false;
    const p = parseScaledBytes(buf, 0, dash + 1, e);
    if (Number.isNaN(p)) return false;
    comm = comms.intern(buf, i, dash);
    pid = p;
    i = bar + 2;
    while (i < end && buf[i] === SP) i++;
  }
  if (!readTail(buf, i, end, l, names)) return false;
  st.lastCpu = cpu;
  st.sawCpu = true;
  l.line = lineNo;
  l.cpu = cpu;
  l.comm = comm;
  l.pid = pid;
  l.ts = ts;
  l.args = undefined;
  l.tc = undefined;
  l.file = undefined;
  return true;
}

/** `COMM-PID [CPU] [FLAGS] TS: funcgraph_entry: ...` (trace-cmd report, default options). */
function traceCmd(buf: Uint8Array, start: number, end: number, lineNo: number, st: TokenizeState, l: FgLine, names: ByteInterner, comms: ByteInterner): boolean {
  let i = start;
  while (i < end && buf[i] === SP) i++;
  const c0 = i;
  // `#` starts a header, `>` a mail quote: the general path's.
  if (buf[c0] === 35 || buf[c0] === 62) return false;
  // The comm runs to the first `-DIGITS ` (the general path's lazy match); a first word ending
  // in `:` is an input file name (`-i a.dat -i b.dat`), left to the general path.
  let k = i;
  for (; k < end; k++) {
    const c = buf[k]!;
    if (c < 32 || c > 126) return false;
    if (c === SP && k > c0 && buf[k - 1] === 58 /* : */) return false;
    if (c === 45 && k > c0 && isDigit(buf[k + 1] ?? 0)) {
      let d = k + 1;
      while (d < end && isDigit(buf[d]!)) d++;
      if (buf[d] === SP) break;
    }
  }
  if (k >= end || buf[k - 1] === SP) return false;
  const dash = k;
  let d = dash + 1;
  while (isDigit(buf[d]!)) d++;
  const pid = parseScaledBytes(buf, 0, dash + 1, d);
  if (Number.isNaN(pid)) return false;
  i = d;
  while (i < end && buf[i] === SP) i++;
  if (buf[i] !== 91 /* [ */) return false;
  let j = i + 1;
  while (j < end && isDigit(buf[j]!)) j++;
  if (j === i + 1 || buf[j] !== 93 /* ] */) return false;
  const cpu = parseScaledBytes(buf, 0, i + 1, j);
  if (Number.isNaN(cpu)) return false;
  i = j + 1;
  if (buf[i] !== SP) return false;
  while (i < end && buf[i] === SP) i++;
  // Optional flags (`d..2.`, 4 to 6 of `[.a-zA-Z0-9]`) before the time.
  j = i;
  while (j < end && buf[j] !== SP && buf[j] !== 58) j++;
  if (buf[j] === SP) {
    const len = j - i;
    if (len < 4 || len > 6) return false;
    for (let k2 = i; k2 < j; k2++) {
      const c = buf[k2]!;
      if (!(c === DOT || isDigit(c) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90))) return false;
    }
    i = j;
    while (i < end && buf[i] === SP) i++;
  }
  j = i;
  while (j < end && (isDigit(buf[j]!) || buf[j] === DOT)) j++;
  if (j === i || buf[j] !== 58 /* : */ || buf[j + 1] !== SP) return false;
  let dots = 0;
  for (let k2 = i; k2 < j; k2++) if (buf[k2] === DOT) dots++;
  if (dots > 1 || buf[i] === DOT || buf[j - 1] === DOT) return false;
  const ts = parseScaledBytes(buf, dots ? 9 : 0, i, j);
  if (Number.isNaN(ts)) return false;
  i = j + 1;
  while (i < end && buf[i] === SP) i++;
  // `funcgraph_entry:` or `funcgraph_exit:`
  if (!startsWith(buf, i, end, FUNCGRAPH)) return false;
  i += FUNCGRAPH.length;
  if (startsWith(buf, i, end, ENTRY)) i += ENTRY.length;
  else if (startsWith(buf, i, end, EXIT)) i += EXIT.length;
  else return false;
  while (i < end && buf[i] === SP) i++;
  // The kind comes from the content, whichever of the two events printed it.
  if (!readTail(buf, i, end, l, names)) return false;
  st.lastCpu = cpu;
  st.sawCpu = true;
  l.line = lineNo;
  l.cpu = cpu;
  l.comm = comms.intern(buf, c0, dash);
  l.pid = pid;
  l.ts = ts;
  l.args = undefined;
  l.tc = true;
  l.file = undefined;
  return true;
}

const bytesOf = (s: string) => Uint8Array.from(s, (ch) => ch.charCodeAt(0));
const FUNCGRAPH = bytesOf('funcgraph_');
const ENTRY = bytesOf('entry: ');
const EXIT = bytesOf('exit: ');

function startsWith(buf: Uint8Array, i: number, end: number, w: Uint8Array): boolean {
  if (i + w.length > end) return false;
  for (let k = 0; k < w.length; k++) if (buf[i + k] !== w[k]) return false;
  return true;
}

/**
 * The common sample header of a callchain record, read in one left-to-right scan:
 *
 *     comm pid[/tid] [[cpu]] sec.frac: [period] event:
 *
 * (one-word comm of at least two characters, single spaces or runs of them, nothing after the
 * event but whitespace), which is what `perf script` prints for `perf record -g` with its default
 * fields. For such a line both readings agree, so one scan answers for both: the layout-aware
 * `header()` (comm, pid, tid, cpu, time, period, event) and stackcollapse-perf.pl's
 * `^(\S.+?)\s+(\d+)\/*(\d+)*\s+` with `:\s*(\d+)*\s+(\S+):\s*$` (the comm is the first word
 * because the word after it is a number followed by whitespace; the leftmost colon the event
 * expression accepts is the time's, since only the last word may follow it). Any other line
 * is declined and goes to the general readers in `tokenize.ts`.
 *
 * `HeaderScan` keeps positions and numbers, not strings: a reader cuts only the texts it needs
 * (most headers repeat the previous one's comm, ids and event).
 */

/** Perl's `\s` on bytes. */
function isWs(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

const LONE_SURROGATE = /\p{Cs}/u;

const POW10 = [1, 10, 100, 1000, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

export class HeaderScan {
  /** The bytes last scanned: the read itself, or the text line encoded. */
  private b: Buffer = Buffer.alloc(0);
  /** How the scanned bytes decode: a read of the byte path is ASCII, a text line is UTF-8. */
  private enc: 'latin1' | 'utf8' = 'latin1';
  private scratch = Buffer.alloc(256);
  // Positions are offsets into the scanned bytes.
  commStart = 0;
  commEnd = 0;
  /** `pidStart < 0`: only one id printed (the tid). */
  pidStart = -1;
  pidEnd = -1;
  pid = -1;
  tidStart = 0;
  tidEnd = 0;
  tid = 0;
  /** −1: no cpu column. */
  cpu = -1;
  timeStart = 0;
  timeEnd = 0;
  /** Nanoseconds, NaN when out of range. */
  ns = 0;
  /** `periodStart < 0`: no period printed. */
  periodStart = -1;
  periodEnd = -1;
  period = 0;
  eventStart = 0;
  eventEnd = 0;

  /** Reads the text line `s` when it has the common layout; false leaves the fields meaningless. */
  scan(s: string): boolean {
    // A lone surrogate has no UTF-8 bytes: such a line goes to the general readers.
    if (LONE_SURROGATE.test(s)) return false;
    const need = s.length * 3 + 1;
    if (this.scratch.length < need) this.scratch = Buffer.alloc(Math.max(need, this.scratch.length * 2));
    const n = this.scratch.write(s, 0, 'utf8');
    // A byte that is no digit, space or colon ends the scan where the string would end.
    this.scratch[n] = 10;
    return this.scanBytes(this.scratch, 0, n, 'utf8');
  }

  /**
   * Reads the line at `b[start, end)`. The byte after `end` must be a newline or carriage return
   * or lie outside `b`: the scan may look one byte past a field, as it would past a string's end.
   */
  scanBytes(b: Buffer, start: number, end: number, enc: 'latin1' | 'utf8' = 'latin1'): boolean {
    let n = end;
    while (n > start && isWs(b[n - 1]!)) n--;
    if (n - start < 8 || b[n - 1] !== 58 /* : */) return false;
    // comm: one word, no whitespace of any kind, at least two bytes.
    let commEnd = start;
    for (; commEnd < n; commEnd++) {
      const c = b[commEnd]!;
      if (c === 32) break;
      if (c >= 9 && c <= 13) return false;
    }
    if (commEnd - start < 2 || commEnd >= n) return false;
    let i = commEnd + 1;
    let c = b[i];
    while (c === 32) c = b[++i];
    // pid[/tid], then a space.
    const p0 = i;
    let a = 0;
    while (c !== undefined && c >= 48 && c <= 57) {
      a = a * 10 + (c - 48);
      c = b[++i];
    }
    if (i === p0) return false;
    if (c === 47 /* / */) {
      const t0 = ++i;
      let v = 0;
      c = b[i];
      while (c !== undefined && c >= 48 && c <= 57) {
        v = v * 10 + (c - 48);
        c = b[++i];
      }
      if (i === t0) return false;
      this.pidStart = p0;
      this.pidEnd = t0 - 1;
      this.pid = this.exact(a, p0, t0 - 1, b);
      this.tidStart = t0;
      this.tidEnd = i;
      this.tid = this.exact(v, t0, i, b);
    } else {
      this.pidStart = this.pidEnd = this.pid = -1;
      this.tidStart = p0;
      this.tidEnd = i;
      this.tid = this.exact(a, p0, i, b);
    }
    if (c !== 32) return false;
    while (c === 32) c = b[++i];
    // [cpu]
    this.cpu = -1;
    if (c === 91 /* [ */) {
      const c0 = ++i;
      let v = 0;
      c = b[i];
      while (c !== undefined && c >= 48 && c <= 57) {
        v = v * 10 + (c - 48);
        c = b[++i];
      }
      if (i === c0 || c !== 93 || b[i + 1] !== 32) return false;
      this.cpu = this.exact(v, c0, i, b);
      c = b[++i];
      while (c === 32) c = b[++i];
    }
    // sec.frac: (nanoseconds summed as parseScaled does, so the value is the same to the bit)
    const t0 = i;
    let sec = 0;
    while (c !== undefined && c >= 48 && c <= 57) {
      sec = sec * 10 + (c - 48);
      c = b[++i];
    }
    if (i === t0 || c !== 46) return false;
    const f0 = ++i;
    let frac = 0;
    c = b[i];
    while (c !== undefined && c >= 48 && c <= 57) {
      if (i - f0 < 9) frac = frac * 10 + (c - 48);
      c = b[++i];
    }
    if (i === f0 || c !== 58 || b[i + 1] !== 32) return false;
    const timeEnd = i;
    for (let k = i - f0; k < 9; k++) frac *= 10;
    const ns = sec * POW10[9]! + frac;
    c = b[++i];
    while (c === 32) c = b[++i];
    // [period ]event:
    const d0 = i;
    let v = 0;
    let j = i;
    let d = c;
    while (d !== undefined && d >= 48 && d <= 57) {
      v = v * 10 + (d - 48);
      d = b[++j];
    }
    if (j > d0 && d === 32) {
      this.periodStart = d0;
      this.periodEnd = j;
      this.period = this.exact(v, d0, j, b);
      i = j;
      c = d;
      while (c === 32) c = b[++i];
    } else {
      this.periodStart = this.periodEnd = -1;
      this.period = 0;
    }
    // The event: the rest, one word, ending with the line's last `:`.
    const e0 = i;
    for (; i < n; i++) if (isWs(b[i]!)) return false;
    if (n - 1 - e0 < 1) return false;
    this.b = b;
    this.enc = enc;
    this.commStart = start;
    this.commEnd = commEnd;
    this.timeStart = t0;
    this.timeEnd = timeEnd;
    this.ns = ns > Number.MAX_SAFE_INTEGER ? NaN : ns;
    this.eventStart = e0;
    this.eventEnd = n - 1;
    return true;
  }

  /** A number summed digit by digit is exact up to 15 digits; longer ones are rounded as `Number` does. */
  private exact(v: number, start: number, end: number, b: Buffer): number {
    return end - start <= 15 ? v : Number(b.toString('latin1', start, end));
  }

  /** Do the scanned bytes at [start, end) spell `t`? */
  is(start: number, end: number, t: string): boolean {
    const b = this.b;
    if (end - start !== t.length) return this.enc === 'utf8' && t.length < end - start && this.cut(start, end) === t;
    for (let k = 0; k < t.length; k++) {
      const c = t.charCodeAt(k);
      if (c > 127) return this.cut(start, end) === t;
      if (b[start + k] !== c) return false;
    }
    return true;
  }

  cut(start: number, end: number): string {
    return this.b.toString(this.enc, start, end);
  }
}

export interface FastHeader {
  comm: string;
  /** As printed, for folded roots; `pid` is `undefined` when only one id is printed. */
  pidText: string | undefined;
  tidText: string;
  pid: number | undefined;
  tid: number;
  cpu: number | undefined;
  /** `sec.frac` as printed. */
  time: string;
  /** Nanoseconds, NaN when out of range. */
  ns: number;
  /** `undefined` when not printed. */
  period: number | undefined;
  periodText: string | undefined;
  /** With modifiers (`cpu-clock:ppp`). */
  event: string;
}

const scanner = new HeaderScan();

/** The scan as one object of texts and numbers (`undefined`: not the common layout). */
export function fastHeader(s: string): FastHeader | undefined {
  const h = scanner;
  if (!h.scan(s)) return undefined;
  const havePid = h.pidStart >= 0;
  const havePeriod = h.periodStart >= 0;
  return {
    comm: h.cut(h.commStart, h.commEnd),
    pidText: havePid ? h.cut(h.pidStart, h.pidEnd) : undefined,
    tidText: h.cut(h.tidStart, h.tidEnd),
    pid: havePid ? h.pid : undefined,
    tid: h.tid,
    cpu: h.cpu >= 0 ? h.cpu : undefined,
    time: h.cut(h.timeStart, h.timeEnd),
    ns: h.ns,
    period: havePeriod ? h.period : undefined,
    periodText: havePeriod ? h.cut(h.periodStart, h.periodEnd) : undefined,
    event: h.cut(h.eventStart, h.eventEnd),
  };
}

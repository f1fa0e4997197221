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
import { parseScaled } from '../../model/time.js';

/** Perl's `\s` on bytes. */
function isWs(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** A number summed digit by digit is exact up to 15 digits; longer ones are rounded as `Number` does. */
function exact(v: number, s: string, start: number, end: number): number {
  return end - start <= 15 ? v : Number(s.slice(start, end));
}

export class HeaderScan {
  /** The line last scanned. */
  s = '';
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

  /** Reads `s` when it has the common layout; false leaves the fields meaningless. */
  scan(s: string): boolean {
    let n = s.length;
    while (n > 0 && isWs(s.charCodeAt(n - 1))) n--;
    if (n < 8 || s.charCodeAt(n - 1) !== 58 /* : */) return false;
    // comm: one word, no whitespace of any kind, at least two characters.
    const commEnd = s.indexOf(' ');
    if (commEnd < 2 || commEnd >= n) return false;
    for (let k = 0; k < commEnd; k++) {
      const c = s.charCodeAt(k);
      if (c >= 9 && c <= 13) return false;
    }
    let i = commEnd + 1;
    let c = s.charCodeAt(i);
    while (c === 32) c = s.charCodeAt(++i);
    // pid[/tid], then a space.
    const p0 = i;
    let a = 0;
    while (c >= 48 && c <= 57) {
      a = a * 10 + (c - 48);
      c = s.charCodeAt(++i);
    }
    if (i === p0) return false;
    if (c === 47 /* / */) {
      const t0 = ++i;
      let b = 0;
      c = s.charCodeAt(i);
      while (c >= 48 && c <= 57) {
        b = b * 10 + (c - 48);
        c = s.charCodeAt(++i);
      }
      if (i === t0) return false;
      this.pidStart = p0;
      this.pidEnd = t0 - 1;
      this.pid = exact(a, s, p0, t0 - 1);
      this.tidStart = t0;
      this.tidEnd = i;
      this.tid = exact(b, s, t0, i);
    } else {
      this.pidStart = this.pidEnd = this.pid = -1;
      this.tidStart = p0;
      this.tidEnd = i;
      this.tid = exact(a, s, p0, i);
    }
    if (c !== 32) return false;
    while (c === 32) c = s.charCodeAt(++i);
    // [cpu]
    this.cpu = -1;
    if (c === 91 /* [ */) {
      const c0 = ++i;
      let v = 0;
      c = s.charCodeAt(i);
      while (c >= 48 && c <= 57) {
        v = v * 10 + (c - 48);
        c = s.charCodeAt(++i);
      }
      if (i === c0 || c !== 93 || s.charCodeAt(i + 1) !== 32) return false;
      this.cpu = exact(v, s, c0, i);
      c = s.charCodeAt(++i);
      while (c === 32) c = s.charCodeAt(++i);
    }
    // sec.frac:
    const t0 = i;
    while (c >= 48 && c <= 57) c = s.charCodeAt(++i);
    if (i === t0 || c !== 46) return false;
    const f0 = ++i;
    c = s.charCodeAt(i);
    while (c >= 48 && c <= 57) c = s.charCodeAt(++i);
    if (i === f0 || c !== 58 || s.charCodeAt(i + 1) !== 32) return false;
    const timeEnd = i;
    c = s.charCodeAt(++i);
    while (c === 32) c = s.charCodeAt(++i);
    // [period ]event:
    const d0 = i;
    let v = 0;
    let j = i;
    let d = c;
    while (d >= 48 && d <= 57) {
      v = v * 10 + (d - 48);
      d = s.charCodeAt(++j);
    }
    if (j > d0 && d === 32) {
      this.periodStart = d0;
      this.periodEnd = j;
      this.period = exact(v, s, d0, j);
      i = j;
      c = d;
      while (c === 32) c = s.charCodeAt(++i);
    } else {
      this.periodStart = this.periodEnd = -1;
      this.period = 0;
    }
    // The event: the rest, one word, ending with the line's last `:`.
    const e0 = i;
    for (; i < n; i++) if (isWs(s.charCodeAt(i))) return false;
    if (n - 1 - e0 < 1) return false;
    this.s = s;
    this.commEnd = commEnd;
    this.timeStart = t0;
    this.timeEnd = timeEnd;
    this.ns = parseScaled(s, 9, t0, timeEnd);
    this.eventStart = e0;
    this.eventEnd = n - 1;
    return true;
  }

  /** Does the text at [start, end) of the scanned line equal `t`? */
  is(start: number, end: number, t: string): boolean {
    if (end - start !== t.length) return false;
    const s = this.s;
    for (let k = 0; k < t.length; k++) if (s.charCodeAt(start + k) !== t.charCodeAt(k)) return false;
    return true;
  }

  cut(start: number, end: number): string {
    return this.s.slice(start, end);
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
    comm: h.cut(0, h.commEnd),
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

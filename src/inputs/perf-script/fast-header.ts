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
 * gives `undefined` and goes to the general readers in `tokenize.ts`.
 */
import { parseScaled } from '../../model/time.js';

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

function digitsEnd(s: string, i: number, n: number): number {
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    i++;
  }
  return i;
}

function spacesEnd(s: string, i: number, n: number): number {
  while (i < n && s.charCodeAt(i) === 32) i++;
  return i;
}

/** Whitespace as Perl's `\s` on bytes. */
function isWs(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

export function fastHeader(s: string): FastHeader | undefined {
  let n = s.length;
  while (n > 0 && isWs(s.charCodeAt(n - 1))) n--;
  if (n < 8 || s.charCodeAt(n - 1) !== 58 /* : */) return undefined;
  // comm: one word, no whitespace of any kind, at least two characters.
  let i = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 32) break;
    if (c >= 9 && c <= 13) return undefined;
  }
  if (i < 2 || i >= n) return undefined;
  const commEnd = i;
  i = spacesEnd(s, i, n);
  // pid[/tid], then a space.
  const p0 = i;
  i = digitsEnd(s, i, n);
  if (i === p0) return undefined;
  let pidText: string | undefined;
  let tidText: string;
  if (s.charCodeAt(i) === 47 /* / */) {
    const t0 = i + 1;
    const t1 = digitsEnd(s, t0, n);
    if (t1 === t0) return undefined;
    pidText = s.slice(p0, i);
    tidText = s.slice(t0, t1);
    i = t1;
  } else tidText = s.slice(p0, i);
  if (s.charCodeAt(i) !== 32) return undefined;
  i = spacesEnd(s, i, n);
  // [cpu]
  let cpu: number | undefined;
  if (s.charCodeAt(i) === 91 /* [ */) {
    const c1 = digitsEnd(s, i + 1, n);
    if (c1 === i + 1 || s.charCodeAt(c1) !== 93 || s.charCodeAt(c1 + 1) !== 32) return undefined;
    cpu = Number(s.slice(i + 1, c1));
    i = spacesEnd(s, c1 + 1, n);
  }
  // sec.frac:
  const t0 = i;
  i = digitsEnd(s, i, n);
  if (i === t0 || s.charCodeAt(i) !== 46) return undefined;
  const f0 = i + 1;
  i = digitsEnd(s, f0, n);
  if (i === f0 || s.charCodeAt(i) !== 58 || s.charCodeAt(i + 1) !== 32) return undefined;
  const timeEnd = i;
  i = spacesEnd(s, i + 1, n);
  // [period ]event:
  let period: number | undefined;
  let periodText: string | undefined;
  const d0 = i;
  const d1 = digitsEnd(s, i, n);
  if (d1 > d0 && s.charCodeAt(d1) === 32) {
    periodText = s.slice(d0, d1);
    period = Number(periodText);
    i = spacesEnd(s, d1, n);
  }
  // The event: the rest, one word, ending with the line's last `:`.
  const e0 = i;
  for (; i < n; i++) if (isWs(s.charCodeAt(i))) return undefined;
  if (n - 1 - e0 < 1) return undefined;
  const tid = Number(tidText);
  const time = s.slice(t0, timeEnd);
  return {
    comm: s.slice(0, commEnd),
    pidText,
    tidText,
    pid: pidText === undefined ? undefined : Number(pidText),
    tid,
    cpu,
    time,
    ns: parseScaled(s, 9, t0, timeEnd),
    period,
    periodText,
    event: s.slice(e0, n - 1),
  };
}

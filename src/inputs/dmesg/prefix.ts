/**
 * Everything a kernel log line can carry before the kernel's own message, removed by scanning
 * characters (no regular expression on the common path):
 *
 *   > > 119<4>Jul 26 22:35:49 host kernel: [   84.000428][ T1234] message
 *   ^ mail quoting                                     ^ caller id (CONFIG_PRINTK_CALLER)
 *       ^ line number      ^ syslog/journalctl    ^ printk time (seconds since boot)
 *          ^ log level
 *
 * Also `dmesg -T` dates (`[Tue Jul 26 22:35:49 2022]`, in any locale: only the layout is
 * used), `dmesg --time-format=iso` and rsyslog ISO 8601 stamps, `dmesg --time-format=delta`
 * (`[<    0.000640>]`), `dmesg -x` facility/level columns (before any of these),
 * `dmesg --color=always` escapes, and journalctl's `short-monotonic`
 * (`[   84.000428] host kernel: message`).
 */
import { parseScaled } from '../../model/time.js';
import type { LinePrefix } from './line-prefix.js';
import { readRecord } from './records.js';

export { newPrefix, type LinePrefix } from './line-prefix.js';

/** ANSI select-graphic-rendition escapes (colours, bold). */
const SGR = /\u001b\[[0-9;]*m/g;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isSpace = (c: number) => c === 32 || c === 9;
const isUpper = (c: number) => c >= 65 && c <= 90;
const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** `[  84.000428]` at i: returns the index after `]` and sets bootNs, or -1. */
function printkTime(s: string, i: number, p: LinePrefix): number {
  if (s.charCodeAt(i) !== 91 /* [ */) return -1;
  if (s.charCodeAt(i + 1) === 60 /* < */) return deltaTime(s, i, p);
  let j = i + 1;
  while (s.charCodeAt(j) === 32) j++;
  const start = j;
  while (isDigit(s.charCodeAt(j))) j++;
  if (j === start || s.charCodeAt(j) !== 46 /* . */) return -1;
  j++;
  const fs = j;
  while (isDigit(s.charCodeAt(j))) j++;
  // printk prints exactly six decimals; babeltrace's `[1417383672.250167676]` has nine.
  // `dmesg --delta`: `[  908.084301 <    0.000640>]`.
  if (j - fs === 6 && s.charCodeAt(j) === 32 && s.charCodeAt(j + 1) === 60 /* < */) {
    const e = s.indexOf('>]', j);
    if (e > 0 && e - j < 24) {
      const ns = parseScaled(s, 9, start, j);
      if (Number.isNaN(ns)) return -1;
      p.bootNs = ns;
      return e + 2;
    }
  }
  if (j - fs !== 6 || s.charCodeAt(j) !== 93 /* ] */) return -1;
  const ns = parseScaled(s, 9, start, j);
  if (Number.isNaN(ns)) return -1;
  p.bootNs = ns;
  return j + 1;
}

/**
 * `[<    0.000062>]` at i (`dmesg --time-format=delta`: the time since the previous message):
 * the deltas are summed, so times count from the first line, which is boot for a whole log.
 */
function deltaTime(s: string, i: number, p: LinePrefix): number {
  let j = i + 2;
  while (s.charCodeAt(j) === 32) j++;
  const start = j;
  while (isDigit(s.charCodeAt(j))) j++;
  if (j === start || s.charCodeAt(j) !== 46 /* . */) return -1;
  const dot = ++j;
  while (isDigit(s.charCodeAt(j))) j++;
  if (j - dot !== 6 || s.charCodeAt(j) !== 62 /* > */ || s.charCodeAt(j + 1) !== 93 /* ] */) return -1;
  const ns = parseScaled(s, 9, start, j);
  if (Number.isNaN(ns)) return -1;
  p.records.deltaNs += ns;
  p.bootNs = p.records.deltaNs;
  return j + 2;
}

/** `[ T1234]` or `[    C1]` at i: returns the index after `]` and sets caller, or -1. */
function callerId(s: string, i: number, p: LinePrefix): number {
  if (s.charCodeAt(i) !== 91) return -1;
  let j = i + 1;
  while (s.charCodeAt(j) === 32) j++;
  const c = s.charCodeAt(j);
  if (c !== 84 /* T */ && c !== 67 /* C */) return -1;
  const start = j;
  j++;
  const ds = j;
  while (isDigit(s.charCodeAt(j))) j++;
  if (j === ds || j - ds > 8 || s.charCodeAt(j) !== 93) return -1;
  p.caller = s.slice(start, j);
  return j + 1;
}

/** `<4>` (up to three digits) at i, or -1. */
function logLevel(s: string, i: number): number {
  if (s.charCodeAt(i) !== 60 /* < */) return -1;
  let j = i + 1;
  const ds = j;
  while (isDigit(s.charCodeAt(j)) && j - ds < 3) j++;
  if (j === ds || s.charCodeAt(j) !== 62 /* > */) return -1;
  return j + 1;
}

/** `HH:MM:SS` at i: returns seconds of the day (and the end in `end[0]`), or -1. */
function clockTime(s: string, i: number, end: number[]): number {
  let j = i;
  let h = 0;
  const hs = j;
  while (isDigit(s.charCodeAt(j)) && j - hs < 2) h = h * 10 + s.charCodeAt(j++) - 48;
  if (j === hs || s.charCodeAt(j) !== 58) return -1;
  j++;
  if (!isDigit(s.charCodeAt(j)) || !isDigit(s.charCodeAt(j + 1)) || s.charCodeAt(j + 2) !== 58) return -1;
  const m = (s.charCodeAt(j) - 48) * 10 + s.charCodeAt(j + 1) - 48;
  j += 3;
  if (!isDigit(s.charCodeAt(j)) || !isDigit(s.charCodeAt(j + 1))) return -1;
  const sec = (s.charCodeAt(j) - 48) * 10 + s.charCodeAt(j + 1) - 48;
  end[0] = j + 2;
  if (h > 23 || m > 59 || sec > 60) return -1;
  return h * 3600 + m * 60 + sec;
}

/** `.123456` or `,123456` at i: returns ns (and the end in end[0]); 0 and i when absent. */
function fraction(s: string, i: number, end: number[]): number {
  const c = s.charCodeAt(i);
  end[0] = i;
  if (c !== 46 && c !== 44) return 0;
  let j = i + 1;
  const ds = j;
  while (isDigit(s.charCodeAt(j))) j++;
  if (j === ds) return 0;
  end[0] = j;
  let v = 0;
  let n = 0;
  for (let k = ds; k < j && n < 9; k++, n++) v = v * 10 + s.charCodeAt(k) - 48;
  while (n < 9) {
    v *= 10;
    n++;
  }
  return v;
}

const tmp = [0];

/**
 * `Jul 26 22:35:49[.123456] host ident: ` at i (syslog, journalctl). Returns the index after
 * the ident's `: `, or -1. Sets the wall clock (time of day) and foreign/kernel.
 */
function syslogPrefix(s: string, i: number, p: LinePrefix): number {
  // Month: three or more letters (any language written in Latin letters), then a space.
  let j = i;
  while (isLetter(s.charCodeAt(j)) || s.charCodeAt(j) === 46 /* . */) j++;
  if (j - i < 3 || j - i > 10 || s.charCodeAt(j) !== 32) return -1;
  j++;
  if (s.charCodeAt(j) === 32) j++;
  const ds = j;
  while (isDigit(s.charCodeAt(j))) j++;
  if (j === ds || j - ds > 2 || s.charCodeAt(j) !== 32) return -1;
  j++;
  const sec = clockTime(s, j, tmp);
  if (sec < 0) return -1;
  j = tmp[0]!;
  const frac = fraction(s, j, tmp);
  j = tmp[0]!;
  if (s.charCodeAt(j) !== 32) return -1;
  j++;
  const after = hostIdent(s, j, p, true);
  if (after < 0) return -1;
  p.wallKind = 2;
  p.wallSec = sec;
  p.wallFracNs = frac;
  return after;
}

/**
 * `host ident: ` at j. With `anyIdent` every ident is accepted (syslog lines always have one) and
 * lines of other programs are marked foreign; otherwise only `kernel:` is.
 */
function hostIdent(s: string, j: number, p: LinePrefix, anyIdent: boolean): number {
  const hs = j;
  while (j < s.length && s.charCodeAt(j) !== 32) j++;
  if (j === hs || j >= s.length) return -1;
  j++;
  const is = j;
  while (j < s.length && s.charCodeAt(j) !== 32) j++;
  if (s.charCodeAt(j - 1) !== 58 /* : */ || j - 1 === is) {
    // `kernel:` ends the line (an empty message).
    return -1;
  }
  const ident = s.slice(is, j - 1);
  const kernel = ident === 'kernel' || ident.startsWith('kernel[');
  if (!kernel && !anyIdent) return -1;
  if (kernel) p.kernel = true;
  else p.foreign = true;
  return s.charCodeAt(j) === 32 ? j + 1 : j;
}

const DAYS_BEFORE_MONTH = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

function epochDays(y: number, m: number, d: number): number {
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const yy = y - 1970;
  let days = yy * 365 + Math.floor((y - 1969) / 4) - Math.floor((y - 1901) / 100) + Math.floor((y - 1601) / 400);
  days += DAYS_BEFORE_MONTH[m - 1]! + (leap && m > 2 ? 1 : 0) + d - 1;
  return days;
}

/** `2026-11-21T21:34:38,000000+00:00 ` (or `.` fraction, `Z`, `+0200`) at i. */
function isoPrefix(s: string, i: number, p: LinePrefix): number {
  const n = (k: number) => s.charCodeAt(i + k) - 48;
  for (const k of [0, 1, 2, 3, 5, 6, 8, 9]) if (!isDigit(s.charCodeAt(i + k))) return -1;
  if (s.charCodeAt(i + 4) !== 45 || s.charCodeAt(i + 7) !== 45) return -1;
  const sep = s.charCodeAt(i + 10);
  if (sep !== 84 /* T */ && sep !== 32) return -1;
  const y = n(0) * 1000 + n(1) * 100 + n(2) * 10 + n(3);
  const mo = n(5) * 10 + n(6);
  const d = n(8) * 10 + n(9);
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return -1;
  const sod = clockTime(s, i + 11, tmp);
  if (sod < 0) return -1;
  let j = tmp[0]!;
  const frac = fraction(s, j, tmp);
  j = tmp[0]!;
  let offset = 0;
  const c = s.charCodeAt(j);
  if (c === 90 /* Z */) j++;
  else if (c === 43 || c === 45) {
    const sign = c === 45 ? -1 : 1;
    let k = j + 1;
    if (!isDigit(s.charCodeAt(k)) || !isDigit(s.charCodeAt(k + 1))) return -1;
    const oh = (s.charCodeAt(k) - 48) * 10 + s.charCodeAt(k + 1) - 48;
    k += 2;
    if (s.charCodeAt(k) === 58) k++;
    let om = 0;
    if (isDigit(s.charCodeAt(k)) && isDigit(s.charCodeAt(k + 1))) {
      om = (s.charCodeAt(k) - 48) * 10 + s.charCodeAt(k + 1) - 48;
      k += 2;
    }
    offset = sign * (oh * 3600 + om * 60);
    j = k;
  }
  if (j < s.length && s.charCodeAt(j) !== 32) return -1;
  p.wallKind = 1;
  p.wallSec = epochDays(y, mo, d) * 86400 + sod - offset;
  p.wallFracNs = frac;
  if (j < s.length) j++;
  // rsyslog: `host kernel: ` follows; dmesg --time-format=iso: the message follows.
  const after = hostIdent(s, j, p, false);
  return after >= 0 ? after : j;
}

/** `[Tue Jul 26 22:35:49 2022]` (`dmesg -T`, any locale: `[... HH:MM:SS YYYY]`) at i. */
function ctimePrefix(s: string, i: number, p: LinePrefix): number {
  if (s.charCodeAt(i) !== 91) return -1;
  const close = s.indexOf(']', i + 1);
  if (close < 0 || close - i > 48 || close - i < 14) return -1;
  // `HH:MM:SS YYYY` right before the bracket.
  const y = close - 4;
  for (let k = y; k < close; k++) if (!isDigit(s.charCodeAt(k))) return -1;
  if (s.charCodeAt(y - 1) !== 32) return -1;
  const t = y - 9;
  if (s.charCodeAt(t - 1) !== 32 && !isDigit(s.charCodeAt(t - 1))) return -1;
  let ts = t;
  if (isDigit(s.charCodeAt(t - 1)) && s.charCodeAt(t - 2) === 32) ts = t - 1; // `9:05:01` is not printed, but be lenient
  const sod = clockTime(s, ts, tmp);
  if (sod < 0 || tmp[0] !== y - 1) return -1;
  p.wallKind = 2;
  p.wallSec = sod;
  p.wallFracNs = 0;
  return s.charCodeAt(close + 1) === 32 ? close + 2 : close + 1;
}

/** `kern  :warn  : ` (`dmesg -x`) at i. */
function facilityPrefix(s: string, i: number): number {
  let j = i;
  while (s.charCodeAt(j) >= 97 && s.charCodeAt(j) <= 122) j++;
  if (j === i || j - i > 8) return -1;
  while (s.charCodeAt(j) === 32) j++;
  if (s.charCodeAt(j) !== 58) return -1;
  j++;
  const ls = j;
  while (s.charCodeAt(j) >= 97 && s.charCodeAt(j) <= 122) j++;
  if (j === ls) return -1;
  while (s.charCodeAt(j) === 32) j++;
  if (s.charCodeAt(j) !== 58 || s.charCodeAt(j + 1) !== 32) return -1;
  return j + 2;
}

/** Strips every prefix of `raw` into `p` (which is reset first). */
export function stripPrefix(raw: string, p: LinePrefix): void {
  p.bootNs = -1;
  p.wallKind = 0;
  p.caller = '';
  p.kernel = false;
  p.foreign = false;
  p.numbered = false;
  p.skip = false;
  let s = raw;
  if (s.indexOf('\u00a0') !== -1) s = s.replaceAll('\u00a0', ' ');
  // `dmesg --color=always`: SGR escapes around the time, the subsystem prefix, the message.
  if (s.indexOf('\u001b') !== -1) s = s.replace(SGR, '');
  if (readRecord(s, p)) return;
  let i = 0;
  // Mail quoting: `> `, `>> `, `> > ` (KASAN's `>ffff...: fb fb` marker line loses its `>`,
  // which changes nothing for a memory dump).
  for (;;) {
    let j = i;
    while (isSpace(s.charCodeAt(j))) j++;
    if (s.charCodeAt(j) !== 62 /* > */) break;
    i = j + 1;
    if (s.charCodeAt(i) === 32) i++;
  }
  // A console that lost lines says so in front of the next one: `** 2395 printk messages dropped ** `.
  if (s.charCodeAt(i) === 42 /* * */ && s.startsWith('** ', i)) {
    const e = s.indexOf(' dropped **', i);
    if (e > 0 && e - i < 40) {
      i = e + 11;
      if (s.charCodeAt(i) === 32) i++;
    }
  }
  // Line numbers glued to the log prefix (`119[   54.901272]`, `12\t[...`, `12: <4>[...`).
  if (isDigit(s.charCodeAt(i))) {
    let j = i;
    while (isDigit(s.charCodeAt(j)) && j - i < 9) j++;
    let k = j;
    if (s.charCodeAt(k) === 58 /* : */ || s.charCodeAt(k) === 124 /* | */) k++;
    while (isSpace(s.charCodeAt(k))) k++;
    const c = s.charCodeAt(k);
    if ((c === 91 && printkTime(s, k, p) > 0) || (c === 60 && logLevel(s, k) > 0)) {
      i = k;
      p.numbered = true;
      p.bootNs = -1;
    }
  }
  let c0 = s.charCodeAt(i);
  let j: number;
  if (isUpper(c0) || (c0 >= 97 && c0 <= 122)) {
    // `Jul 26 22:35:49 host kernel:`, or `kern  :warn  : ` (then any `dmesg` time format).
    if ((j = syslogPrefix(s, i, p)) >= 0) i = j;
    else if ((j = facilityPrefix(s, i)) >= 0) {
      i = j;
      c0 = s.charCodeAt(i);
    }
  }
  if (p.wallKind === 0 && isDigit(c0) && s.length > i + 19 && s.charCodeAt(i + 4) === 45) {
    if ((j = isoPrefix(s, i, p)) >= 0) i = j;
  } else if (p.wallKind === 0 && c0 === 91 && !isDigit(s.charCodeAt(i + 1)) && s.charCodeAt(i + 1) !== 32 && s.charCodeAt(i + 1) !== 60) {
    if ((j = ctimePrefix(s, i, p)) >= 0) i = j;
  }
  if ((j = logLevel(s, i)) >= 0) {
    i = j;
    p.kernel = true;
  }
  if ((j = printkTime(s, i, p)) >= 0) {
    i = j;
    p.kernel = true;
    if ((j = callerId(s, i, p)) >= 0) i = j;
    if (s.charCodeAt(i) === 32) i++;
    // journalctl -o short-monotonic: `[   84.000428] host kernel: message`.
    if (!p.foreign && p.wallKind === 0 && s.charCodeAt(i) !== 32) {
      const k = hostIdent(s, i, p, false);
      if (k >= 0) i = k;
    }
  } else if ((j = callerId(s, i, p)) >= 0) {
    i = j;
    p.kernel = true;
    if (s.charCodeAt(i) === 32) i++;
  }
  p.text = i === 0 ? s : s.slice(i);
}

/**
 * babeltrace's time column: `HH:MM:SS.nnnnnnnnn` (default), `YYYY-MM-DD HH:MM:SS.nnnnnnnnn`
 * (`--clock-date`), `SSSSSSSSSS.nnnnnnnnn` (`--clock-seconds`, also babeltrace's fallback for
 * negative times), 20 digits of cycles (`--clock-cycles`), or `??:??:??...` (no clock).
 */
import { epochDays, fixedDigits, fractionNs, hmsSeconds, parseTimeOfDay, SECONDS_PER_DAY } from '../../model/clock.js';
import type { TsKind } from './record.js';

const isDigit = (c: number) => c >= 48 && c <= 57;

/** Parses the time in s[start, end); returns false when it is not one of babeltrace's forms. */
export function parseTime(s: string, start: number, end: number, r: { tsKind: TsKind; sec: number; nsec: number }): boolean {
  const len = end - start;
  if (s.charCodeAt(start) === 63 /* ? */) {
    r.tsKind = 'none';
    return s.startsWith('??:??:??', start);
  }
  if (len >= 18 && s.charCodeAt(start + 2) === 58 && s.charCodeAt(start + 5) === 58 && s.charCodeAt(start + 8) === 46) {
    if (!parseTimeOfDay(s, start, end, r)) return false;
    r.tsKind = 'tod';
    return true;
  }
  if (len >= 29 && s.charCodeAt(start + 4) === 45 && s.charCodeAt(start + 10) === 32) {
    const y = fixedDigits(s, start, 4);
    const mo = fixedDigits(s, start + 5, 2);
    const d = fixedDigits(s, start + 8, 2);
    const t = start + 11;
    if (s.charCodeAt(t + 8) !== 46) return false;
    const sod = hmsSeconds(s, t);
    const ns = fractionNs(s, t + 9, end);
    if (Number.isNaN(y + mo + d + sod + ns)) return false;
    r.tsKind = 'date';
    r.sec = epochDays(y, mo, d) * SECONDS_PER_DAY + sod;
    r.nsec = ns;
    return true;
  }
  const dot = s.indexOf('.', start);
  if (dot !== -1 && dot < end) {
    // --clock-seconds (babeltrace also falls back to it for negative times)
    const neg = s.charCodeAt(start) === 45;
    const i0 = neg ? start + 1 : start;
    if (dot === i0 || dot - i0 > 15) return false;
    const whole = fixedDigits(s, i0, dot - i0);
    const ns = fractionNs(s, dot + 1, end);
    if (Number.isNaN(whole + ns)) return false;
    r.tsKind = 'seconds';
    if (neg) {
      // -1.250000000 s = -2 s + 0.75 s
      r.sec = ns === 0 ? -whole : -whole - 1;
      r.nsec = ns === 0 ? 0 : 1e9 - ns;
    } else {
      r.sec = whole;
      r.nsec = ns;
    }
    return true;
  }
  // --clock-cycles: %020u
  if (len < 1 || len > 20) return false;
  for (let i = start; i < end; i++) if (!isDigit(s.charCodeAt(i))) return false;
  const cut = Math.max(start, end - 9);
  r.tsKind = 'cycles';
  r.sec = cut > start ? fixedDigits(s, start, cut - start) : 0;
  r.nsec = fixedDigits(s, cut, end - cut);
  return true;
}

/**
 * Clocks as text traces print them: a time of day (`HH:MM:SS.fffffffff`), a date and time, or
 * seconds of the Unix epoch. Times in the model are integer nanoseconds in plain numbers, so:
 *
 * - a time of day counts days from the first line: a time of day that goes back by more than
 *   half a day means midnight passed (`passedMidnight`, `DayCounter`);
 * - an epoch clock is rebased to a whole second near the first event (`EpochRebase`) and the
 *   origin is recorded in `TraceInfo.clockOriginNs`, so every value stays below 2^53 ns;
 * - digits are read one by one (no floats, no `Date` object per line).
 *
 * Fields are not range-checked: a printer's `24:00:00` or a leap second `:60` stays the number it
 * says, and callers decide whether a line that does not have the shape is theirs.
 */

export const NS_PER_SECOND = 1_000_000_000;
export const SECONDS_PER_DAY = 86_400;
/** A time of day that goes back by more than this many seconds means the next day. */
export const HALF_DAY_SECONDS = SECONDS_PER_DAY / 2;

/** The `n` decimal digits at `s[i]` as a number, NaN when one is not a digit. */
export function fixedDigits(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(i + k);
    if (c < 48 || c > 57) return NaN;
    v = v * 10 + (c - 48);
  }
  return v;
}

/**
 * Nanoseconds from the fraction digits in `s[start, end)` (the digits after the point): fewer
 * than 9 are scaled up (`5` → 500,000,000), more than 9 or a non-digit give NaN.
 */
export function fractionNs(s: string, start: number, end: number): number {
  let v = 0;
  let n = 0;
  let i = start;
  for (; i < end && n < 9; i++, n++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return NaN;
    v = v * 10 + (c - 48);
  }
  if (i !== end) return NaN;
  for (; n < 9; n++) v *= 10;
  return v;
}

/** `HH:MM:SS` at `s[i]` → seconds of the day, NaN when it is not that shape. */
export function hmsSeconds(s: string, i: number): number {
  if (s.charCodeAt(i + 2) !== 58 || s.charCodeAt(i + 5) !== 58) return NaN;
  return fixedDigits(s, i, 2) * 3600 + fixedDigits(s, i + 3, 2) * 60 + fixedDigits(s, i + 6, 2);
}

/** A time as whole seconds and nanoseconds within the second (0..999,999,999). */
export interface SecondsNs {
  sec: number;
  nsec: number;
}

/**
 * `HH:MM:SS.fffffffff` in `s[start, end)` (1 to 9 fraction digits) → `out.sec` (seconds of the
 * day) and `out.nsec`. Returns false, leaving `out` alone, when the text is not that shape.
 */
export function parseTimeOfDay(s: string, start: number, end: number, out: SecondsNs): boolean {
  if (end - start < 10 || s.charCodeAt(start + 8) !== 46 /* . */) return false;
  const sec = hmsSeconds(s, start);
  const ns = fractionNs(s, start + 9, end);
  if (Number.isNaN(sec + ns)) return false;
  out.sec = sec;
  out.nsec = ns;
  return true;
}

/**
 * Days from 1970-01-01 to a date of the proleptic Gregorian calendar (UTC). A month outside
 * 1..12 or a day outside the month carries into the next ones, as `Date.UTC` does.
 */
export function epochDays(year: number, month: number, day: number): number {
  // Months from March: the leap day is the last day of the (shifted) year.
  const m0 = month - 1;
  let y = year + Math.floor(m0 / 12);
  const m = m0 - Math.floor(m0 / 12) * 12 + 1;
  if (m <= 2) y--;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/**
 * Midnight passed between two times of day: `sec` (seconds, with the days counted so far
 * added) is more than half a day before `lastSec`, the previous one. Clocks of one trace go
 * back by a little (per-CPU buffers, merged files), never by half a day.
 */
export function passedMidnight(sec: number, lastSec: number): boolean {
  return sec < lastSec - HALF_DAY_SECONDS;
}

/**
 * Counts days on a time-of-day clock: `seconds(sod)` turns seconds of the day into seconds since
 * the first line's midnight, adding a day each time the time of day goes back by more than half
 * a day. `rolled` says whether the last call added one (for a diagnostic).
 */
export class DayCounter {
  /** Days added so far. */
  days = 0;
  rolled = false;
  private lastSec = -Infinity;

  seconds(sod: number): number {
    let sec = sod + this.days * SECONDS_PER_DAY;
    this.rolled = passedMidnight(sec, this.lastSec);
    if (this.rolled) {
      this.days++;
      sec += SECONDS_PER_DAY;
    }
    this.lastSec = sec;
    return sec;
  }

  /** Starts again (the clock changed): the next time of day is day 0. */
  reset(): void {
    this.days = 0;
    this.rolled = false;
    this.lastSec = -Infinity;
  }
}

/**
 * Rebases whole seconds of a clock (an epoch, a day count, cycles / 10^9) to a whole-second
 * origin: the first time given, or the one `continueAt` chooses. `ns(sec, nsec)` is then
 * `(sec - origin) * 10^9 + nsec`, and `originNs()` the decimal `TraceInfo.clockOriginNs`.
 */
export class EpochRebase {
  /** The origin in seconds, undefined before the first time. */
  originSec: number | undefined;

  ns(sec: number, nsec: number): number {
    if (this.originSec === undefined) this.originSec = sec;
    return (sec - this.originSec) * NS_PER_SECOND + nsec;
  }

  /**
   * A new clock (the text's time form changed): its time `sec` continues from `lastNs`, the
   * last time on the timeline, rounded down to its second.
   */
  continueAt(sec: number, lastNs: number): void {
    this.originSec = sec - Math.floor(lastNs / NS_PER_SECOND);
  }

  /** The origin as decimal nanoseconds (exact for any whole second), `'0'` before any time. */
  originNs(): string {
    const o = this.originSec ?? 0;
    return o === 0 ? '0' : `${o}000000000`;
  }
}

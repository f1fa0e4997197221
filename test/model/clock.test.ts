import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DayCounter,
  EpochRebase,
  epochDays,
  fixedDigits,
  fractionNs,
  HALF_DAY_SECONDS,
  hmsSeconds,
  parseTimeOfDay,
  passedMidnight,
  SECONDS_PER_DAY,
  type SecondsNs,
} from '../../src/model/clock.js';

describe('clock: reading times', () => {
  it('reads fixed-width digits and refuses anything else', () => {
    expect(fixedDigits('x2026y', 1, 4)).toBe(2026);
    expect(fixedDigits('0042', 0, 4)).toBe(42);
    expect(fixedDigits('12a4', 0, 4)).toBeNaN();
    expect(fixedDigits('12', 0, 4)).toBeNaN(); // past the end
  });

  it('scales fractions to nanoseconds and cuts nothing silently', () => {
    expect(fractionNs('123456789', 0, 9)).toBe(123_456_789);
    expect(fractionNs('5', 0, 1)).toBe(500_000_000);
    expect(fractionNs('000001', 0, 6)).toBe(1000);
    expect(fractionNs('', 0, 0)).toBe(0);
    expect(fractionNs('1234567891', 0, 10)).toBeNaN(); // a tenth digit is not a nanosecond
    expect(fractionNs('12x', 0, 3)).toBeNaN();
  });

  it('reads HH:MM:SS without range checks', () => {
    expect(hmsSeconds('23:59:59', 0)).toBe(86_399);
    expect(hmsSeconds('[00:00:01]', 1)).toBe(1);
    expect(hmsSeconds('24:00:60', 0)).toBe(86_460); // as printed
    expect(hmsSeconds('23-59-59', 0)).toBeNaN();
    expect(hmsSeconds('2a:00:00', 0)).toBeNaN();
  });

  it('parses a time of day into seconds and nanoseconds, or leaves the target alone', () => {
    const out: SecondsNs = { sec: -1, nsec: -1 };
    expect(parseTimeOfDay('[10:00:00.000000100]', 1, 19, out)).toBe(true);
    expect(out).toEqual({ sec: 36_000, nsec: 100 });
    expect(parseTimeOfDay('01:02:03.5', 0, 10, out)).toBe(true);
    expect(out).toEqual({ sec: 3723, nsec: 500_000_000 });
    const keep = { sec: 7, nsec: 8 };
    for (const bad of ['01:02:03', '01:02:03,5', '01:02:3.50', '01:02:03.1234567890', 'aa:bb:cc.000']) {
      expect(parseTimeOfDay(bad, 0, bad.length, keep), bad).toBe(false);
    }
    expect(keep).toEqual({ sec: 7, nsec: 8 });
  });

  it('counts days from the epoch like Date.UTC for every date (and carries months and days over)', () => {
    expect(epochDays(1970, 1, 1)).toBe(0);
    expect(epochDays(2000, 3, 1)).toBe(11_017);
    expect(epochDays(1969, 12, 31)).toBe(-1);
    expect(epochDays(2026, 13, 1)).toBe(epochDays(2027, 1, 1));
    expect(epochDays(2026, 0, 1)).toBe(epochDays(2025, 12, 1));
    expect(epochDays(2024, 3, 0)).toBe(epochDays(2024, 2, 29));
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 9999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), (y, m, d) => {
        expect(epochDays(y, m, d)).toBe(Math.round(Date.UTC(y, m - 1, d) / 86_400_000));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('clock: midnight rollover', () => {
  it('sees midnight only when a time of day goes back by more than half a day', () => {
    expect(passedMidnight(10, 86_399)).toBe(true);
    expect(passedMidnight(86_399 - HALF_DAY_SECONDS, 86_399)).toBe(false); // exactly half a day back
    expect(passedMidnight(86_398 - HALF_DAY_SECONDS, 86_399)).toBe(true);
    expect(passedMidnight(100, 101)).toBe(false); // per-CPU buffers go back a little
    expect(passedMidnight(0, -Infinity)).toBe(false); // no earlier time
  });

  it('counts days across several midnights and tells when it added one', () => {
    const c = new DayCounter();
    const seen: [number, boolean][] = [];
    for (const sod of [86_000, 86_399, 5, 4, 40_000, 86_000, 1, 80_000]) seen.push([c.seconds(sod), c.rolled]);
    expect(seen).toEqual([
      [86_000, false],
      [86_399, false],
      [86_405, true],
      [86_404, false], // back by a second: the same day
      [126_400, false],
      [172_400, false],
      [172_801, true],
      [252_800, false],
    ]);
    expect(c.days).toBe(2);
    c.reset();
    expect(c.seconds(1)).toBe(1);
    expect(c.days).toBe(0);
  });

  it('keeps every time within half a day of its predecessor on a clock that moves forward', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: SECONDS_PER_DAY - 1 }), fc.array(fc.integer({ min: 0, max: HALF_DAY_SECONDS - 1 }), { maxLength: 50 }), (start, steps) => {
        const c = new DayCounter();
        let truth = start;
        expect(c.seconds(start)).toBe(start);
        for (const s of steps) {
          truth += s;
          expect(c.seconds(truth % SECONDS_PER_DAY)).toBe(truth);
        }
      }),
    );
  });
});

describe('clock: epoch rebasing', () => {
  it('rebases to the first whole second and states the origin exactly', () => {
    const r = new EpochRebase();
    expect(r.originNs()).toBe('0');
    expect(r.ns(1_795_294_147, 860_345_732)).toBe(860_345_732);
    expect(r.ns(1_795_294_148, 1)).toBe(1_000_000_001);
    expect(r.ns(1_795_294_146, 0)).toBe(-1_000_000_000); // earlier than the first: the caller decides
    expect(r.originSec).toBe(1_795_294_147);
    expect(r.originNs()).toBe('1795294147000000000');
  });

  it('continues a new clock from the last time, rounded down to its second', () => {
    const r = new EpochRebase();
    r.ns(36_000, 0);
    r.continueAt(1_700_000_000, 2_500_000_000);
    expect(r.originSec).toBe(1_700_000_000 - 2);
    expect(r.ns(1_700_000_000, 250)).toBe(2_000_000_250);
  });

  it('writes negative and zero origins as decimals', () => {
    const r = new EpochRebase();
    r.ns(-5, 0);
    expect(r.originNs()).toBe('-5000000000');
    const z = new EpochRebase();
    z.ns(0, 7);
    expect(z.originNs()).toBe('0');
  });
});

import { describe, expect, it } from 'vitest';
import { Timeline } from '../../../src/inputs/lttng-text/timeline.js';
import { type LttngRecord, tokenize } from '../../../src/inputs/lttng-text/tokenize.js';
import { SliceBuilder } from '../../../src/model/slices.js';

function setup() {
  const seen: string[] = [];
  const report = (code: string, line: number) => void seen.push(`${line} ${code}`);
  const b = new SliceBuilder(report, { unmatchedExit: 'lttng-text.unmatched-exit', unclosedEntry: 'lttng-text.unclosed-entry' });
  const clock = new Timeline(report, b);
  let no = 0;
  const at = (time: string) => clock.time(tokenize(`[${time}] (+?.?????????) h e: { cpu_id = 0 }, { }`, ++no) as LttngRecord);
  return { clock, at, seen };
}

describe('lttng-text timeline', () => {
  it('counts days on a time of day and rebases to the first second', () => {
    const { clock, at, seen } = setup();
    expect(at('23:59:59.500000000')).toBe(500_000_000);
    expect(at('00:00:00.250000000')).toBe(1_250_000_000);
    expect(at('23:59:58.000000000')).toBe(86_399_000_000_000); // the next day
    expect(seen).toEqual(['2 lttng-text.day-rollover']);
    expect(clock.originNs()).toBe(`${86_399}000000000`);
    expect(clock.note()).toMatch(/^time of day/);
    expect(clock.maxTs).toBe(86_399_000_000_000);
  });

  it('reads dates and epoch seconds as seconds of the epoch', () => {
    const { clock, at } = setup();
    expect(at('2026-12-02 04:00:00.000000001')).toBe(1);
    expect(clock.originNs()).toBe(`${Date.UTC(2026, 11, 2, 4) / 1000}000000000`);
    expect(at('2026-12-03 04:00:00.000000000')).toBe(86_400e9);
  });

  it('goes on from the last time when the time form changes', () => {
    const { clock, at, seen } = setup();
    at('10:00:00.000000000');
    expect(at('10:00:02.500000000')).toBe(2_500_000_000);
    // Seconds of the epoch now: the new clock starts at the last whole second.
    expect(at('1795294147.000000100')).toBe(2_000_000_100);
    expect(seen).toEqual(['3 lttng-text.clock-change']);
    expect(clock.kind).toBe('seconds');
  });

  it('keeps the last time for records without one, and has no origin without times', () => {
    const { clock, at } = setup();
    expect(at('??:??:??.?????????')).toBe(0);
    expect(clock.originNs()).toBeUndefined();
    expect(clock.note()).toMatch(/^none printed/);
    expect(at('10:00:00.000000005')).toBe(5);
    expect(at('??:??:??.?????????')).toBe(5);
    expect(clock.firstTs).toBe(0);
  });
});

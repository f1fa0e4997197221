import { describe, expect, it } from 'vitest';
import { LogClock } from '../../../src/inputs/dmesg/clock.js';
import { newPrefix, type LinePrefix } from '../../../src/inputs/dmesg/prefix.js';

function stamp(p: Partial<LinePrefix>): LinePrefix {
  return { ...newPrefix(), bootNs: -1, ...p };
}

describe('dmesg line times', () => {
  it('a time of day more than half a day before the last one is the next day', () => {
    const c = new LogClock();
    const at = (wallSec: number) => c.time(stamp({ wallKind: 2, wallSec, wallFracNs: 0 }));
    expect(at(85_000)).toBe(0);
    expect(at(86_000)).toBe(1_000e9);
    expect(at(50_000)).toBe(0); // 10 h back: a clock step, not a day (clamped at the origin)
    expect(at(10)).toBe((86_400 + 10 - 85_000) * 1e9); // 23:53:20 → 00:00:10 the next day
    expect(at(20)).toBe((86_400 + 20 - 85_000) * 1e9);
    expect(at(86_000)).toBe(87_400e9); // 23:53:20 of the second day
    expect(c.originNs()).toBe('85000000000000');
  });

  it('rebases wall stamps on the first one and carries syslog times over midnight', () => {
    const c = new LogClock();
    expect(c.time(stamp({ wallKind: 2, wallSec: 86_390, wallFracNs: 500 }))).toBe(500);
    expect(c.time(stamp({ wallKind: 2, wallSec: 5, wallFracNs: 0 }))).toBe(15e9);
    expect(c.wallKind).toBe(2);
    expect(c.originNs()).toBe('86390000000000');
    // A line without a stamp has the time of the last one.
    expect(c.time(stamp({}))).toBe(15e9);
  });

  it('prefers printk boot times; once seen, wall stamps are ignored', () => {
    const c = new LogClock();
    expect(c.time(stamp({}))).toBeUndefined();
    expect(c.time(stamp({ bootNs: 1_000 }))).toBe(1_000);
    expect(c.time(stamp({ wallKind: 1, wallSec: 1_700_000_000, wallFracNs: 0 }))).toBe(1_000);
    expect(c.sawBoot).toBe(true);
    expect(c.wallKind).toBe(0);
  });

  it('never makes a time before the origin negative', () => {
    const c = new LogClock();
    c.time(stamp({ wallKind: 1, wallSec: 1_700_000_100, wallFracNs: 0 }));
    expect(c.time(stamp({ wallKind: 1, wallSec: 1_700_000_000, wallFracNs: 0 }))).toBe(0);
  });
});

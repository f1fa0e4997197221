/**
 * The time of each log line: printk's seconds since boot when the line has them, else a
 * wall-clock stamp (an ISO date, or a time of day from syslog or `dmesg -T`) rebased on the
 * first one, else the time of the last timed line. Days on a time-of-day clock and the rebasing
 * are the model's (`DayCounter`, `EpochRebase`).
 */
import { DayCounter, EpochRebase } from '../../model/clock.js';
import type { LinePrefix } from './line-prefix.js';

export class LogClock {
  /** Some line had a printk time: the clock is boot time, wall stamps are ignored. */
  sawBoot = false;
  /** The first wall stamp's kind (see `LinePrefix.wallKind`); it sets the origin. */
  wallKind: 0 | 1 | 2 = 0;
  private readonly rebase = new EpochRebase();
  private readonly days = new DayCounter();
  private lastTs: number | undefined;

  /** The origin of wall-clock times as decimal ns (`TraceInfo.clockOriginNs`). */
  originNs(): string {
    return this.rebase.originNs();
  }

  /** ns time of the line whose prefix `p` holds. */
  time(p: LinePrefix): number | undefined {
    if (p.bootNs >= 0) {
      this.sawBoot = true;
      this.lastTs = p.bootNs;
      return p.bootNs;
    }
    if (p.wallKind !== 0 && !this.sawBoot) {
      if (this.wallKind === 0) this.wallKind = p.wallKind;
      // A time of day carries no date: one more than half a day before the last is the next day.
      const sec = p.wallKind === 2 ? this.days.seconds(p.wallSec) : p.wallSec;
      const ts = Math.max(0, this.rebase.ns(sec, p.wallFracNs));
      this.lastTs = ts;
      return ts;
    }
    return this.lastTs;
  }
}

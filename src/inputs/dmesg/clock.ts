/**
 * The time of each log line: printk's seconds since boot when the line has them, else a
 * wall-clock stamp (an ISO date, or a time of day from syslog or `dmesg -T`) rebased on the
 * first one, else the time of the last timed line.
 */
import type { LinePrefix } from './prefix.js';

const DAY_SEC = 86400;
const HALF_DAY_SEC = DAY_SEC / 2;

/**
 * Time-of-day stamps carry no date: a stamp more than half a day earlier than the last one is
 * the next day. Returns the seconds to add to `sec` (`offset` is what was added so far, `last`
 * the last stamp with its offset, or -1 before the first).
 */
export function dayOffset(sec: number, offset: number, last: number): number {
  return last >= 0 && sec + offset < last - HALF_DAY_SEC ? offset + DAY_SEC : offset;
}

export class LogClock {
  /** Some line had a printk time: the clock is boot time, wall stamps are ignored. */
  sawBoot = false;
  /** The first wall stamp's kind (see `LinePrefix.wallKind`) and seconds: the origin. */
  wallKind: 0 | 1 | 2 = 0;
  wallOrigin = 0;
  private lastTs: number | undefined;
  private wallDay = 0;
  private lastWallSec = -1;

  /** ns time of the line whose prefix `p` holds. */
  time(p: LinePrefix): number | undefined {
    if (p.bootNs >= 0) {
      this.sawBoot = true;
      this.lastTs = p.bootNs;
      return p.bootNs;
    }
    if (p.wallKind !== 0 && !this.sawBoot) {
      if (this.wallKind === 0) {
        this.wallKind = p.wallKind;
        this.wallOrigin = p.wallSec;
      }
      let sec = p.wallSec;
      if (p.wallKind === 2) {
        this.wallDay = dayOffset(sec, this.wallDay, this.lastWallSec);
        sec += this.wallDay;
        this.lastWallSec = sec;
      }
      const ts = Math.max(0, (sec - this.wallOrigin) * 1e9 + p.wallFracNs);
      this.lastTs = ts;
      return ts;
    }
    return this.lastTs;
  }
}

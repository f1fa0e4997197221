/**
 * Record times → the trace's timeline (ns). Times of day count days from the first line
 * (midnight rollover); epoch-like clocks are rebased to the first record's whole second; a text
 * whose time form changes midway (outputs of several babeltrace runs pasted together) goes on
 * from the last time. Records without a time keep the last one.
 */
import { DayCounter, EpochRebase } from '../../model/clock.js';
import type { Report } from '../../model/diagnostics.js';
import type { SliceBuilder } from '../../model/slices.js';
import type { LttngRecord, TsKind } from './record.js';

const NOTES: Record<TsKind, string> = {
  tod: 'time of day (HH:MM:SS) as babeltrace printed it; days are counted from the first line',
  date: 'date and time as babeltrace printed them (local time, or UTC with --clock-gmt)',
  seconds: 'seconds since the Unix epoch (--clock-seconds)',
  cycles: 'clock cycles (--clock-cycles), taken as nanoseconds (LTTng clocks run at 1 GHz)',
  none: 'none printed: events keep their order only',
};

export class Timeline {
  /** The time form of the records so far, undefined before the first timed one. */
  kind: TsKind | undefined;
  lastTs = 0;
  /** The true last time of the trace (times may go back on the way). */
  maxTs = 0;
  firstTs = NaN;
  private readonly days = new DayCounter();
  private readonly epoch = new EpochRebase();

  constructor(
    private readonly report: Report,
    private readonly b: SliceBuilder,
  ) {}

  /** The record's time on the timeline. */
  time(r: LttngRecord): number {
    if (r.tsKind === 'none') {
      if (Number.isNaN(this.firstTs)) this.firstTs = 0;
      return this.lastTs;
    }
    let sec = r.sec;
    if (this.kind === undefined) this.kind = r.tsKind;
    else if (r.tsKind !== this.kind) {
      // Outputs of different babeltrace options pasted together: continue from the last time.
      this.report('lttng-text.clock-change', r.line, `timestamps change from ${this.kind} to ${r.tsKind}: the new ones continue from the last time`);
      this.kind = r.tsKind;
      this.epoch.continueAt(sec, this.lastTs);
      this.days.reset();
    }
    if (r.tsKind === 'tod') {
      sec = this.days.seconds(sec);
      if (this.days.rolled) this.report('lttng-text.day-rollover', r.line, 'the time of day went back by more than 12 hours: midnight passed, a day was added');
    }
    const ts = this.epoch.ns(sec, r.nsec);
    this.lastTs = ts;
    if (ts > this.maxTs && ts <= Number.MAX_SAFE_INTEGER) this.maxTs = ts;
    if (Number.isNaN(this.firstTs)) {
      this.firstTs = ts;
      this.b.observe(ts);
    }
    return ts;
  }

  /** What the `timestamps` note of the info event says. */
  note(): string {
    return NOTES[this.kind ?? 'none'];
  }

  /** `TraceInfo.clockOriginNs`, undefined when no record had a time. */
  originNs(): string | undefined {
    return this.kind === undefined || this.kind === 'none' ? undefined : this.epoch.originNs();
  }
}

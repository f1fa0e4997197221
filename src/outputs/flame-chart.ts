/**
 * A flame chart of profiler samples per thread: consecutive samples of a thread with the same
 * stack make one slice per frame, and consecutive samples sharing a root path share those
 * frames' slices (the time-ordered view of speedscope's "Time Order" or Perfetto's slices).
 *
 * A run of a frame ends at the first sample of its thread without that frame. When a thread
 * goes unsampled for longer than two sampling intervals (it slept), its slices end one interval
 * after its last sample; clock events (`cpu-clock`, `task-clock`) have their interval in the
 * period (ns). Outputs call `sample` in input order and `finish` at the end.
 */
import type { StackSample } from '../model/events.js';

export interface FlameChartOps {
  begin(track: number, ts: number, name: string): void;
  end(track: number, ts: number): void;
}

interface Open {
  names: string[];
  last: number;
  step: number;
}

/** Length of a sampling interval in ns when the event says it (clock events), else 0. */
function interval(e: StackSample): number {
  const ev = e.profile?.event ?? '';
  const c = ev.indexOf(':');
  const base = c < 0 ? ev : ev.slice(0, c);
  return base === 'cpu-clock' || base === 'task-clock' ? e.profile!.period : 0;
}

export class FlameChart {
  private readonly open = new Map<number, Open>();
  private lastProfile: StackSample['profile'] | null = null;
  private lastStep = 0;

  constructor(private readonly ops: FlameChartOps) {}

  private close(track: number, o: Open, keep: number, ts: number) {
    while (o.names.length > keep) {
      o.names.pop();
      this.ops.end(track, ts);
    }
  }

  sample(e: StackSample) {
    let o = this.open.get(e.track);
    if (!o) this.open.set(e.track, (o = { names: [], last: e.ts, step: 0 }));
    if (o.step > 0 && e.ts - o.last > 2 * o.step) this.close(e.track, o, 0, o.last + o.step);
    let same = 0;
    const n = Math.min(o.names.length, e.frames.length);
    while (same < n && o.names[same] === e.frames[same]!.name) same++;
    this.close(e.track, o, same, e.ts);
    for (let d = same; d < e.frames.length; d++) {
      const name = e.frames[d]!.name;
      o.names.push(name);
      this.ops.begin(e.track, e.ts, name);
    }
    o.last = e.ts;
    // Consecutive samples share their profile object: its interval is worked out once.
    if (e.profile !== this.lastProfile) {
      this.lastProfile = e.profile;
      this.lastStep = interval(e);
    }
    o.step = this.lastStep;
  }

  finish() {
    for (const [track, o] of this.open) this.close(track, o, 0, o.last + (o.step > 0 ? o.step : 1000));
    this.open.clear();
  }
}

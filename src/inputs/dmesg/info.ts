/** The `info` event of a dmesg input: its variant, clock and what was read. */
import type { TraceEvent } from '../../model/events.js';
import type { LogClock } from './clock.js';
import { histogramNotes } from './histogram.js';
import type { DmesgState } from './state.js';

export function infoEvent(c: DmesgState, clock: LogClock): TraceEvent {
  const s = c.summary;
  const h = c.hist;
  const notes: Record<string, string> = {
    reports: String(s.samples - h.entries),
    stacks_total_weight: String(s.totalWeight),
  };
  histogramNotes(c, notes);
  const timed = s.timedSamples > 0;
  let kind: 'boot' | 'absolute' | 'none' = 'none';
  let origin: string | undefined;
  if (timed && clock.sawBoot) kind = 'boot';
  else if (timed && clock.wallKind !== 0) {
    kind = 'absolute';
    origin = clock.originNs();
    if (clock.wallKind === 2) notes.wall_clock = 'time of day from syslog or `dmesg -T` dates (the date is not kept)';
  }
  if (kind === 'none' && s.samples > 0) {
    notes.timeline = h.entries > 0 ? 'stack histogram: entries are one microsecond apart in file order' : 'no timestamps: reports are one microsecond apart in file order';
  }
  if (s.sawCaller) notes.caller_ids = 'yes';
  if (s.sawNumbers) notes.line_numbers = 'removed';
  const variant = h.bpfEntries > 0 ? 'bpftrace' : h.entries > 0 ? 'stack histogram' : s.sawSyslog ? 'syslog/journal' : 'kernel log';
  const info: TraceEvent = { kind: 'info', format: 'dmesg', variant, clock: kind, notes };
  if (origin !== undefined) info.clockOriginNs = origin;
  return info;
}

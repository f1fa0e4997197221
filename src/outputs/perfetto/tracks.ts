/**
 * Tracks: one TrackDescriptor per thread (child of its process's) or lane, and one packet
 * sequence per track, opened at its first event as an SDK thread writer opens its own: CLEARED,
 * `trace_packet_defaults` (the track's uuid, and the sequence-scoped incremental clock) and a
 * ClockSnapshot tying that clock to BOOTTIME at the first event's time.
 */
import type { TrackInfo } from '../../model/events.js';
import { CLOCK_BOOTTIME, CLOCK_INCREMENTAL, FIELDS, FIRST_TRACK_SEQ, PK, SEQ_CLEARED } from './fields.js';
import { newSequence, type Sequence, type Uuids } from './interning.js';
import type { ProtoWriter } from './proto-writer.js';

const TD = FIELDS.TrackDescriptor;
const PD = FIELDS.ProcessDescriptor;
const THD = FIELDS.ThreadDescriptor;
const CLOCK = FIELDS['ClockSnapshot.Clock'];
const DEFAULTS = FIELDS.TracePacketDefaults;
const PACKET = FIELDS.Trace.packet;

export class Tracks {
  private readonly info_ = new Map<number, TrackInfo>();
  private readonly processes = new Map<number, string>();
  private readonly seqs = new Map<number, Sequence>();
  private readonly uuidOf = new Map<number, number>();

  constructor(
    private readonly w: ProtoWriter,
    private readonly uuids: Uuids,
  ) {}

  /** What a track was last declared as. */
  info(track: number): TrackInfo | undefined {
    return this.info_.get(track);
  }

  /** The uuid of a track: its thread's (by tid) or its lane's. */
  uuid(track: number): number {
    let u = this.uuidOf.get(track);
    if (u === undefined) {
      const t = this.info_.get(track);
      u = t?.kind === 'thread' ? this.uuids.get(`t:${t.tid}`) : this.uuids.get(`l:${track}`);
      this.uuidOf.set(track, u);
    }
    return u;
  }

  describe(t: TrackInfo): void {
    this.info_.set(t.id, t);
    this.uuidOf.delete(t.id);
    const w = this.w;
    if (t.kind === 'thread') {
      const proc = this.uuids.get(`p:${t.pid}`);
      if (this.processes.get(t.pid) !== t.processName) {
        this.processes.set(t.pid, t.processName);
        w.open(PACKET);
        w.open(PK.trackDescriptor);
        w.u64(TD.uuid, proc);
        w.open(TD.process);
        w.i32(PD.pid, t.pid);
        w.string(PD.processName, t.processName);
        w.close();
        w.close();
        w.close();
      }
      const uuid = this.uuid(t.id);
      w.open(PACKET);
      w.open(PK.trackDescriptor);
      w.u64(TD.uuid, uuid);
      w.open(TD.thread);
      w.i32(THD.pid, t.pid);
      w.i64(THD.tid, t.tid);
      w.string(THD.threadName, t.name);
      w.close();
      w.u64(TD.parentUuid, proc);
      w.close();
      w.close();
    } else {
      const uuid = this.uuid(t.id);
      w.open(PACKET);
      w.open(PK.trackDescriptor);
      w.u64(TD.uuid, uuid);
      w.string(TD.name, t.name);
      w.close();
      w.close();
    }
  }

  /** The sequence of a track, opened (CLEARED, defaults, clock snapshot) at its first event. */
  sequence(track: number, ts: number): Sequence {
    let s = this.seqs.get(track);
    if (!s) {
      s = newSequence(FIRST_TRACK_SEQ + track, ts);
      this.seqs.set(track, s);
      const w = this.w;
      w.open(PACKET);
      w.open(PK.clockSnapshot);
      w.open(FIELDS.ClockSnapshot.clocks);
      w.u32(CLOCK.clockId, CLOCK_INCREMENTAL);
      w.u64(CLOCK.timestamp, ts);
      w.bool(CLOCK.isIncremental, true);
      w.close();
      w.open(FIELDS.ClockSnapshot.clocks);
      w.u32(CLOCK.clockId, CLOCK_BOOTTIME);
      w.u64(CLOCK.timestamp, ts);
      w.close();
      w.close();
      w.u64(PK.timestamp, ts);
      w.u32(PK.trustedPacketSequenceId, s.id);
      w.u32(PK.sequenceFlags, SEQ_CLEARED);
      w.u32(PK.timestampClockId, CLOCK_BOOTTIME);
      w.open(PK.tracePacketDefaults);
      w.open(DEFAULTS.trackEventDefaults);
      w.u64(FIELDS.TrackEventDefaults.trackUuid, this.uuid(track));
      w.close();
      w.u32(DEFAULTS.timestampClockId, CLOCK_INCREMENTAL);
      w.close();
      w.close();
    }
    return s;
  }
}

/**
 * TrackEvent packets. On a track's own sequence a TrackEvent carries a timestamp delta (or, for
 * an event earlier than the sequence's clock, an absolute BOOTTIME time), its type and interned
 * name and category iids (SEQ_NEEDS_INCREMENTAL_STATE on packets using iids). On sequence 1
 * (stack reports, metadata) times are absolute and the track is named by uuid.
 *
 * Each packet is encoded as it is made, fields in number order: nothing stays per event.
 */
import type { Args } from '../../model/events.js';
import { CLOCK_BOOTTIME, FIELDS, PK, SEQ, SEQ_NEEDS, TE, TYPE_COUNTER, TYPE_SLICE_END } from './fields.js';
import { NewNames, newSequence, type Sequence } from './interning.js';
import type { ProtoWriter } from './proto-writer.js';

/** A stack's inline callstack field, encoded the first time it is written (its bytes never change). */
export interface StackMemo {
  bytes?: Buffer;
}
import type { Tracks } from './tracks.js';

const DA = FIELDS.DebugAnnotation;
const PACKET = FIELDS.Trace.packet;
const INLINE = FIELDS['TrackEvent.InlineCallstack'];
const INLINE_FRAME = FIELDS['TrackEvent.InlineCallstack.Frame'];

/** Debug annotations (TrackEvent field 4): booleans, integers, other numbers, strings. */
export function writeAnnotations(w: ProtoWriter, args: Args | undefined): void {
  if (!args) return;
  for (const k in args) {
    if (!Object.prototype.hasOwnProperty.call(args, k)) continue;
    const v = args[k];
    w.open(TE.debugAnnotations);
    if (typeof v === 'boolean') w.bool(DA.boolValue, v);
    else if (typeof v === 'number') {
      if (Number.isSafeInteger(v)) w.i64(DA.intValue, v);
      else w.double(DA.doubleValue, v);
    } else if (v !== undefined && v !== null) w.string(DA.stringValue, String(v));
    w.string(DA.name, k);
    w.close();
  }
}

export class TrackEvents {
  /** Sequence 1: samples and metadata, absolute timestamps. */
  readonly main: Sequence = newSequence(SEQ, 0);
  private readonly fresh = new NewNames();

  constructor(
    private readonly w: ProtoWriter,
    private readonly tracks: Tracks,
  ) {}

  /** Opens a packet on a track's sequence: its time as a delta when time moved forward. */
  private openOnTrack(s: Sequence, ts: number): boolean {
    const w = this.w;
    w.open(PACKET);
    const forward = ts >= s.clock;
    if (forward) {
      w.u64(PK.timestamp, ts - s.clock);
      s.clock = ts;
    } else w.u64(PK.timestamp, ts);
    w.u32(PK.trustedPacketSequenceId, s.id);
    return forward;
  }

  private closeOnTrack(forward: boolean, needs: boolean): void {
    const w = this.w;
    this.fresh.write(w);
    if (needs) w.u32(PK.sequenceFlags, SEQ_NEEDS);
    if (!forward) w.u32(PK.timestampClockId, CLOCK_BOOTTIME);
    w.close();
  }

  /** A slice begin or an instant on its track's sequence, with optional flow arrows. */
  named(type: number, ts: number, track: number, name: string, cat: string, args: Args | undefined, flowIds?: number[], terminatingFlowIds?: number[]): void {
    const s = this.tracks.sequence(track, ts);
    const catIid = this.fresh.cat(s, cat);
    const nameIid = this.fresh.name(s, name);
    const w = this.w;
    const forward = this.openOnTrack(s, ts);
    w.open(PK.trackEvent);
    w.u64(TE.categoryIids, catIid);
    writeAnnotations(w, args);
    w.i32(TE.type, type);
    w.u64(TE.nameIid, nameIid);
    if (flowIds) for (const id of flowIds) w.fixed64(TE.flowIds, id);
    if (terminatingFlowIds) for (const id of terminatingFlowIds) w.fixed64(TE.terminatingFlowIds, id);
    w.close();
    this.closeOnTrack(forward, true);
  }

  /** A slice end (no name: it closes the innermost open slice). */
  end(ts: number, track: number, args: Args | undefined): void {
    const s = this.tracks.sequence(track, ts);
    const w = this.w;
    const forward = this.openOnTrack(s, ts);
    w.open(PK.trackEvent);
    writeAnnotations(w, args);
    w.i32(TE.type, TYPE_SLICE_END);
    w.close();
    this.closeOnTrack(forward, false);
  }

  /** A counter value on a counter track (`uuid`) whose parent is the event's track. */
  counter(ts: number, track: number, uuid: number, value: number): void {
    const s = this.tracks.sequence(track, ts);
    const w = this.w;
    const forward = this.openOnTrack(s, ts);
    w.open(PK.trackEvent);
    w.i32(TE.type, TYPE_COUNTER);
    w.u64(TE.trackUuid, uuid);
    w.double(TE.doubleCounterValue, value);
    w.close();
    this.closeOnTrack(forward, false);
  }

  /**
   * An instant on sequence 1 at an absolute time, on the track `uuid`, optionally with a call
   * stack inline (frame labels, root first).
   */
  mainInstant(type: number, ts: number, uuid: number, name: string, cat: string, args: Args | undefined, frames?: string[], memo?: StackMemo): void {
    const catIid = this.fresh.cat(this.main, cat);
    const nameIid = this.fresh.name(this.main, name);
    const w = this.w;
    w.open(PACKET);
    w.u64(PK.timestamp, ts);
    w.u32(PK.trustedPacketSequenceId, SEQ);
    w.open(PK.trackEvent);
    w.u64(TE.categoryIids, catIid);
    writeAnnotations(w, args);
    w.i32(TE.type, type);
    w.u64(TE.nameIid, nameIid);
    w.u64(TE.trackUuid, uuid);
    if (memo?.bytes) w.bytes(memo.bytes);
    else if (frames) {
      const from = w.pos - w.start;
      w.open(TE.callstack);
      for (const f of frames) {
        w.open(INLINE.frames);
        w.string(INLINE_FRAME.functionName, f);
        w.close();
      }
      w.close();
      if (memo) memo.bytes = w.copyFrom(w.start + from);
    }
    w.close();
    this.fresh.write(w);
    w.u32(PK.sequenceFlags, SEQ_NEEDS);
    w.close();
  }
}

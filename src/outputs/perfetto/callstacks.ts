/**
 * Stack samples on sequence 1: function names, frames (no mapping: "dummy" frames) and
 * callstacks interned once each, an instant carrying the report's stack inline, and one
 * PerfSample per observation, so flame graph totals equal counts. A stack seen N times is the
 * same PerfSample packet N times: it is encoded once and its bytes repeated.
 */
import type { Args, Frame, StackSample } from '../../model/events.js';
import { MAX_SAMPLES_PER_STACK, MAX_SAMPLES_TOTAL } from '../../model/limits.js';
import { frameLabel } from '../common.js';
import { FIELDS, MODE_KERNEL, PK, SEQ, SEQ_NEEDS, TYPE_INSTANT } from './fields.js';
import type { StackMemo, TrackEvents } from './packets.js';
import type { ProtoWriter } from './proto-writer.js';
import type { Tracks } from './tracks.js';

const ID = FIELDS.InternedData;
const IS = FIELDS.InternedString;
const FR = FIELDS.Frame;
const CS = FIELDS.Callstack;
const PS = FIELDS.PerfSample;
const PACKET = FIELDS.Trace.packet;

export class Callstacks {
  private readonly fnNames = new Map<string, number>();
  private readonly frames = new Map<number, number>();
  private readonly callstacks = new Map<string, number>();
  /** PerfSamples the rest of the trace may still write. */
  private budget = MAX_SAMPLES_TOTAL;
  /** What the current sample interns first: [iid, label] pairs, [iid, fnId] pairs, one callstack. */
  private readonly newFns: (number | string)[] = [];
  private readonly newFrames: number[] = [];
  private newStack: number[] | undefined;
  private newStackIid = 0;

  constructor(
    private readonly w: ProtoWriter,
    private readonly tracks: Tracks,
    private readonly events: TrackEvents,
  ) {}

  /**
   * What a frames array came to, by the array: inputs share one array among the samples of one
   * stack (and never change it), so a repeated stack is interned and its inline stack encoded once.
   */
  private readonly known = new WeakMap<readonly Frame[], { labels: string[]; cs: number; memo: StackMemo }>();

  sample(e: StackSample): void {
    if (e.frames.length === 0) return;
    let k = this.known.get(e.frames);
    if (k === undefined) this.known.set(e.frames, (k = this.intern(e.frames)));
    const { labels, cs, memo } = k;
    // The report on the timeline, with its stack inline.
    const args: Args = { ...(e.args ?? {}), count: e.weight };
    // Samples written: the count, within the limits (the count argument keeps the truth).
    const reps = Math.max(0, Math.min(e.weight, MAX_SAMPLES_PER_STACK, this.budget));
    this.budget -= reps;
    if (reps !== e.weight) args.samples_written = reps;
    if (e.reason) args.reason = e.reason;
    if (e.comm !== undefined) args.comm = e.comm;
    if (e.profile) args.period = e.profile.period;
    this.events.mainInstant(TYPE_INSTANT, e.ts, this.tracks.uuid(e.track), e.title ?? e.reason ?? 'stack', 'stack', args, labels, memo);

    const w = this.w;
    const hasNew = this.newFns.length > 0 || this.newFrames.length > 0 || this.newStack !== undefined;
    if (reps >= 1) {
      w.open(PACKET);
      w.u64(PK.timestamp, e.ts);
      w.u32(PK.trustedPacketSequenceId, SEQ);
      if (hasNew) this.writeInterned();
      w.u32(PK.sequenceFlags, SEQ_NEEDS);
      this.perfSample(e, cs);
      w.close();
    } else if (hasNew) {
      // A stack seen zero times still defines its frames for later samples of the same stack.
      w.open(PACKET);
      w.u64(PK.timestamp, e.ts);
      w.u32(PK.trustedPacketSequenceId, SEQ);
      this.writeInterned();
      w.u32(PK.sequenceFlags, SEQ_NEEDS);
      w.close();
    }
    if (reps > 1) {
      // The other observations are the same packet: encoded once, its bytes repeated.
      const from = w.pos - w.start;
      w.open(PACKET);
      w.u64(PK.timestamp, e.ts);
      w.u32(PK.trustedPacketSequenceId, SEQ);
      w.u32(PK.sequenceFlags, SEQ_NEEDS);
      this.perfSample(e, cs);
      w.close();
      const one = w.copyFrom(w.start + from);
      for (let k = 2; k < reps; k++) w.bytes(one);
    }
  }

  /** Interns a stack's names, frames and callstack (queued to be written with the next packet). */
  private intern(frames: readonly Frame[]): { labels: string[]; cs: number; memo: StackMemo } {
    const labels: string[] = new Array(frames.length);
    const frameIds: number[] = new Array(frames.length);
    for (let i = 0; i < frames.length; i++) {
      const label = frameLabel(frames[i]!);
      labels[i] = label;
      let fnId = this.fnNames.get(label);
      if (fnId === undefined) {
        fnId = this.fnNames.size + 1;
        this.fnNames.set(label, fnId);
        this.newFns.push(fnId, label);
      }
      let frameId = this.frames.get(fnId);
      if (frameId === undefined) {
        frameId = this.frames.size + 1;
        this.frames.set(fnId, frameId);
        this.newFrames.push(frameId, fnId);
      }
      frameIds[i] = frameId;
    }
    const key = frameIds.join(',');
    let cs = this.callstacks.get(key);
    if (cs === undefined) {
      cs = this.callstacks.size + 1;
      this.callstacks.set(key, cs);
      this.newStack = frameIds;
      this.newStackIid = cs;
    }
    return { labels, cs, memo: {} };
  }

  private perfSample(e: StackSample, cs: number): void {
    const w = this.w;
    w.open(PK.perfSample);
    w.u32(PS.cpu, e.cpu ?? 0);
    w.u32(PS.pid, e.pid ?? 0);
    w.u32(PS.tid, e.tid ?? 0);
    w.u64(PS.callstackIid, cs);
    w.i32(PS.cpuMode, MODE_KERNEL);
    w.close();
  }

  /** InternedData of the sample's packet: function names, frames, the callstack, in that order. */
  private writeInterned(): void {
    const w = this.w;
    w.open(PK.internedData);
    const fns = this.newFns;
    for (let i = 0; i < fns.length; i += 2) {
      w.open(ID.functionNames);
      w.u64(IS.iid, fns[i] as number);
      w.string(IS.str, fns[i + 1] as string);
      w.close();
    }
    const frs = this.newFrames;
    for (let i = 0; i < frs.length; i += 2) {
      w.open(ID.frames);
      w.u64(FR.iid, frs[i]!);
      w.u64(FR.functionNameId, frs[i + 1]!);
      w.close();
    }
    if (this.newStack) {
      w.open(ID.callstacks);
      w.u64(CS.iid, this.newStackIid);
      for (const id of this.newStack) w.u64(CS.frameIds, id);
      w.close();
    }
    w.close();
    fns.length = 0;
    frs.length = 0;
    this.newStack = undefined;
  }
}

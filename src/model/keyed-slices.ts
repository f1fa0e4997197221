/**
 * Slices keyed by what opened them, on top of the SliceBuilder: a syscall, a timer, a vector or
 * a block request is closed by the exit that names it, and exits lost in between are closed
 * with it (reported). An exit with nothing open began before the trace: the builder synthesises
 * its enclosing slice. Block requests get one lane per request in flight on their device
 * (`block 254,0`, `block 254,0 #2`, ...), at most `MAX_INFLIGHT` per device.
 */
import type { DiagnosticCode, Report } from './diagnostics.js';
import type { Args } from './events.js';
import { CAT } from './events.js';
import type { SliceBuilder } from './slices.js';

export interface OpenSlice {
  key: string;
  cat: string;
  name: string;
}

export interface KeyedSliceCodes {
  /** An exit whose entry is not open while others are (kept as an instant). */
  unmatchedExit: DiagnosticCode;
  /** Entries closed because the exit of a call around them came first. */
  lostExit: DiagnosticCode;
}

/** Block requests in flight per device (a lane each); beyond, completions were lost. */
export const MAX_INFLIGHT = 256;

interface Inflight {
  track: number;
  dev: string;
  slot: number;
}

export class KeyedSlices {
  private readonly stacks = new Map<number, OpenSlice[]>();
  private readonly inflight = new Map<string, Inflight>();
  private readonly slots = new Map<string, boolean[]>();

  constructor(
    private readonly b: SliceBuilder,
    private readonly report: Report,
    private readonly codes: KeyedSliceCodes,
    /** The first time of the input (NaN before it): a call with no entry ran since before it. */
    private readonly firstTs: () => number,
  ) {}

  open(track: number, ts: number, name: string, key: string, cat: string, line: number, args?: Args): void {
    let st = this.stacks.get(track);
    if (!st) this.stacks.set(track, (st = []));
    st.push({ key, cat, name });
    this.b.begin(track, ts, name, cat, line, args);
  }

  /** Whether a slice of `cat` with `key` is open on `track`. */
  isOpen(track: number, cat: string, key: string): boolean {
    return this.stacks.get(track)?.some((o) => o.cat === cat && o.key === key) ?? false;
  }

  top(track: number): OpenSlice | undefined {
    const st = this.stacks.get(track);
    return st && st.length ? st[st.length - 1] : undefined;
  }

  /**
   * Ends the innermost open slice of `cat` with `key` (any key when undefined). Slices opened
   * after it lost their exits: they are closed too. Nothing open at all: the trace began inside
   * the call, the builder synthesises an enclosing slice.
   */
  close(track: number, ts: number, key: string | undefined, cat: string, name: string, line: number, args?: Args): void {
    const st = this.stacks.get(track);
    if (!st || st.length === 0) {
      const first = this.firstTs();
      this.b.end(track, ts, line, name, Number.isNaN(first) ? undefined : ts - first, args, cat);
      return;
    }
    let k = st.length - 1;
    while (k >= 0 && !(st[k]!.cat === cat && (key === undefined || st[k]!.key === key))) k--;
    if (k < 0) {
      this.report(this.codes.unmatchedExit, line, `exit of ${name} without its entry while other calls are open: kept as an instant`);
      this.b.instant(track, ts, `${name} (exit)`, cat, line, args);
      return;
    }
    while (st.length - 1 > k) {
      const lost = st.pop()!;
      this.report(this.codes.lostExit, line, `${lost.name} has no exit before the exit of ${name}: closed there`);
      this.b.end(track, ts, line, undefined, undefined, { truncated: true });
    }
    st.pop();
    this.b.end(track, ts, line, undefined, undefined, args);
  }

  /**
   * A block request issued: `dev` keys the device, `label` names its lanes (`254,0`). A request
   * of the same sector still in flight is closed as reissued; past `MAX_INFLIGHT` requests on
   * the device, its oldest gives its lane up.
   */
  blockIssue(dev: string, label: string, sector: string, ts: number, name: string, line: number, args?: Args): void {
    const key = `${dev}:${sector}`;
    if (this.inflight.has(key)) this.blockDone(key, ts, line, { reissued: true });
    let slots = this.slots.get(dev);
    if (!slots) this.slots.set(dev, (slots = []));
    let slot = slots.indexOf(false);
    if (slot === -1 && slots.length >= MAX_INFLIGHT) {
      for (const [k, f] of this.inflight) {
        if (f.dev !== dev) continue;
        this.report(this.codes.lostExit, line, `more than ${MAX_INFLIGHT} requests in flight on one device: the oldest is closed here`);
        this.blockDone(k, ts, line, { truncated: true });
        slot = f.slot;
        break;
      }
    }
    if (slot === -1) slot = slots.length;
    slots[slot] = true;
    const track = this.b.global(`block ${label}${slot ? ` #${slot + 1}` : ''}`);
    this.inflight.set(key, { track, dev, slot });
    this.open(track, ts, name, key, CAT.io, line, args);
  }

  /** A block request completed; false when no request of that sector is in flight. */
  blockComplete(dev: string, sector: string, ts: number, line: number, args?: Args): boolean {
    const key = `${dev}:${sector}`;
    if (!this.inflight.has(key)) return false;
    this.blockDone(key, ts, line, args);
    return true;
  }

  private blockDone(key: string, ts: number, line: number, args?: Args): void {
    const f = this.inflight.get(key)!;
    this.inflight.delete(key);
    this.slots.get(f.dev)![f.slot] = false;
    this.close(f.track, ts, key, CAT.io, 'I/O', line, args);
  }
}

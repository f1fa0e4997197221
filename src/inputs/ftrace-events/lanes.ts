/**
 * Slices keyed by what opened them, on top of the SliceBuilder: a syscall, a timer, a work item
 * or a block request is closed by the exit that names it, and exits lost in between are closed
 * with it (reported). Block requests get one lane per request in flight on their device
 * (`block 254,0`, `block 254,0 #2`, ...), as the LTTng input draws them.
 */
import type { Report } from '../../model/diagnostics.js';
import type { Args } from '../../model/events.js';
import { CAT } from '../../model/events.js';
import type { SliceBuilder } from '../../model/slices.js';

interface Open {
  key: string;
  cat: string;
  name: string;
}

/** Block requests in flight per device (a lane each); beyond, completions were lost. */
export const MAX_INFLIGHT = 256;

export class KeyedSlices {
  private readonly stacks = new Map<number, Open[]>();
  private readonly inflight = new Map<string, { track: number; dev: string; slot: number }>();
  private readonly slots = new Map<string, boolean[]>();
  /** Time of the first event: an exit without entry began before it. */
  firstTs = NaN;

  constructor(
    private readonly b: SliceBuilder,
    private readonly report: Report,
  ) {}

  open(track: number, ts: number, name: string, key: string, cat: string, line: number, args?: Args): void {
    let st = this.stacks.get(track);
    if (!st) this.stacks.set(track, (st = []));
    st.push({ key, cat, name });
    this.b.begin(track, ts, name, cat, line, args);
  }

  top(track: number): Open | undefined {
    const st = this.stacks.get(track);
    return st && st.length ? st[st.length - 1] : undefined;
  }

  /** Whether a slice of `cat` with `key` is open on `track`. */
  isOpen(track: number, cat: string, key: string): boolean {
    return this.stacks.get(track)?.some((o) => o.cat === cat && o.key === key) ?? false;
  }

  /** Ends the innermost open slice of `cat` with `key` (any key when undefined). */
  close(track: number, ts: number, key: string | undefined, cat: string, name: string, line: number, args?: Args): void {
    const st = this.stacks.get(track);
    if (!st || st.length === 0) {
      this.b.end(track, ts, line, name, Number.isNaN(this.firstTs) ? undefined : ts - this.firstTs, args, cat);
      return;
    }
    let k = st.length - 1;
    while (k >= 0 && !(st[k]!.cat === cat && (key === undefined || st[k]!.key === key))) k--;
    if (k < 0) {
      this.report('ftrace-events.unmatched-exit', line, `exit of ${name} without its entry while other calls are open: kept as an instant`);
      this.b.instant(track, ts, `${name} (exit)`, cat, line, args);
      return;
    }
    while (st.length - 1 > k) {
      const lost = st.pop()!;
      this.report('ftrace-events.lost-exit', line, `${lost.name} has no exit before the exit of ${name}: closed there`);
      this.b.end(track, ts, line, undefined, undefined, { truncated: true });
    }
    st.pop();
    this.b.end(track, ts, line, undefined, undefined, args);
  }

  blockIssue(dev: string, sector: string, ts: number, name: string, line: number, args: Args): void {
    const key = `${dev}:${sector}`;
    const old = this.inflight.get(key);
    if (old) this.blockDone(key, ts, line, { reissued: true });
    let slots = this.slots.get(dev);
    if (!slots) this.slots.set(dev, (slots = []));
    let slot = slots.indexOf(false);
    if (slot === -1 && slots.length >= MAX_INFLIGHT) {
      for (const [k, f] of this.inflight) {
        if (f.dev !== dev) continue;
        this.report('ftrace-events.lost-exit', line, `more than ${MAX_INFLIGHT} requests in flight on one device: the oldest is closed here`);
        this.blockDone(k, ts, line, { truncated: true });
        slot = f.slot;
        break;
      }
    }
    if (slot === -1) slot = slots.length;
    slots[slot] = true;
    const track = this.b.global(`block ${dev}${slot ? ` #${slot + 1}` : ''}`);
    this.inflight.set(key, { track, dev, slot });
    this.open(track, ts, name, key, CAT.io, line, args);
  }

  /** False when no request of that sector was issued. */
  blockComplete(dev: string, sector: string, ts: number, line: number, args: Args): boolean {
    const key = `${dev}:${sector}`;
    if (!this.inflight.has(key)) return false;
    this.blockDone(key, ts, line, args);
    return true;
  }

  private blockDone(key: string, ts: number, line: number, args?: Args) {
    const f = this.inflight.get(key)!;
    this.inflight.delete(key);
    this.slots.get(f.dev)![f.slot] = false;
    this.close(f.track, ts, key, CAT.io, 'I/O', line, args);
  }
}

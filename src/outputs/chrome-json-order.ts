/**
 * Keeps each thread's Chrome JSON events in time order although a synthesised enclosing slice
 * (an exit whose entry is not in the trace) is only known after the calls it encloses.
 *
 * A thread's latest outermost calls are held back, each as a run of finished event bytes in
 * the thread's own buffer, until `HELD_CALLS` newer ones have begun or the thread holds more
 * than `HELD_BYTES`; an enclosing slice's `B` is then written before the held calls that began
 * at or after its start. Only an enclosing slice that starts before calls already written (more
 * than `HELD_CALLS` of them, or a very large one) lands after them in the file; viewers that
 * sort by time still nest it right.
 *
 * Sizes are counted in UTF-16 units of the event texts (what a JavaScript string of them
 * measures), separators left out.
 */
import { ByteOut } from './byte-out.js';

const HELD_CALLS = 256;
const HELD_BYTES = 4 << 20;
/** All threads together: past this everything held is written. */
const HELD_TOTAL = 32 << 20;
/** Bytes of the separator that starts every held event. */
export const SEP = 2;

interface Held {
  buf: ByteOut;
  /** Per run: start of its outermost call, offset of its first byte in `buf`, its size. */
  first: number[];
  at: number[];
  size: number[];
  /** Index of the oldest run still held. */
  head: number;
  bytes: number;
}

export class ThreadOrder {
  private readonly held = new Map<number, Held>();
  /** Buffers of threads that held nothing since the last `finish`, reused. */
  private readonly spare = new Map<number, Held>();
  private total = 0;
  private cur: Held | undefined;
  private mark = 0;
  private excess = 0;
  private outermost: { ts: number; enclosing: boolean } | undefined;

  /** `write` receives event bytes (each event after a separator, `SEP` bytes) in file order. */
  constructor(private readonly write: (bytes: Uint8Array) => void) {}

  /**
   * Where the next event of thread track `track` is to be written (after a separator), to be
   * followed by `added()`. `outermost` is set for the `B` of a call at depth 0: its start, and
   * whether it is a synthesised enclosing slice. Null: straight to the output.
   */
  target(track: number, outermost?: { ts: number; enclosing: boolean }): ByteOut | null {
    let h = this.held.get(track);
    if (!outermost && (!h || h.first.length === h.head)) return null;
    if (!h) {
      h = this.spare.get(track) ?? { buf: new ByteOut(64 << 10), first: [], at: [], size: [], head: 0, bytes: 0 };
      this.spare.delete(track);
      this.held.set(track, h);
    }
    this.cur = h;
    this.outermost = outermost;
    this.mark = h.buf.pos;
    this.excess = h.buf.utf16Excess;
    return h.buf;
  }

  /** Ends the event written into the target. */
  added(): void {
    const h = this.cur!;
    this.cur = undefined;
    const len = h.buf.pos - this.mark - SEP - (h.buf.utf16Excess - this.excess);
    const o = this.outermost;
    if (!o) h.size[h.size.length - 1]! += len;
    else if (!o.enclosing) {
      h.first.push(o.ts);
      h.at.push(this.mark);
      h.size.push(len);
    } else this.enclose(h, o.ts, len);
    h.bytes += len;
    this.total += len;
    while (h.first.length - h.head > HELD_CALLS || (h.bytes > HELD_BYTES && h.first.length > h.head)) this.flushOldest(h);
    if (this.total > HELD_TOTAL) this.finish();
  }

  /** The enclosing `B` just written moves before the held runs that began at or after its start, which join its run. */
  private enclose(h: Held, ts: number, len: number): void {
    let from = h.first.length;
    while (from > h.head && h.first[from - 1]! >= ts) from--;
    if (from === h.first.length) {
      h.first.push(ts);
      h.at.push(this.mark);
      h.size.push(len);
      return;
    }
    const b = h.buf.buf;
    const start = h.at[from]!;
    const begin = Buffer.from(b.subarray(this.mark, h.buf.pos));
    b.copyWithin(start + begin.length, start, this.mark);
    b.set(begin, start);
    let size = len;
    for (let i = from; i < h.size.length; i++) size += h.size[i]!;
    h.first.length = h.at.length = h.size.length = from;
    h.first.push(ts);
    h.at.push(start);
    h.size.push(size);
  }

  private flushOldest(h: Held): void {
    const i = h.head++;
    const end = i + 1 < h.at.length ? h.at[i + 1]! : h.buf.pos;
    this.write(h.buf.buf.subarray(h.at[i]!, end));
    h.bytes -= h.size[i]!;
    this.total -= h.size[i]!;
    if (h.head === h.first.length) {
      h.first.length = h.at.length = h.size.length = h.head = 0;
      h.buf.pos = h.buf.start = 0;
    } else if (h.at[h.head]! > 65536 && 2 * h.at[h.head]! > h.buf.pos) {
      // What was written out is dropped once it outweighs what is held.
      const base = h.at[h.head]!;
      h.buf.buf.copyWithin(0, base, h.buf.pos);
      h.buf.pos -= base;
      h.first.splice(0, h.head);
      h.at.splice(0, h.head);
      h.size.splice(0, h.head);
      for (let k = 0; k < h.at.length; k++) h.at[k]! -= base;
      h.head = 0;
    }
  }

  /** Writes everything held, thread by thread. */
  finish(): void {
    for (const _ of this.finishing());
  }

  /** `finish()` a run at a time: a turn after each, so the caller may hand out what was written. */
  *finishing(): Generator<void> {
    for (const [track, h] of this.held) {
      while (h.first.length > h.head) {
        this.flushOldest(h);
        yield;
      }
      this.spare.set(track, h);
    }
    this.held.clear();
    this.total = 0;
  }
}

/**
 * Keeps each thread's Chrome JSON events in time order although a synthesised enclosing slice
 * (an exit whose entry is not in the trace) is only known after the calls it encloses.
 *
 * A thread's latest outermost calls are held back, each as a run of finished event texts,
 * until `HELD_CALLS` newer ones have begun or the thread holds more than `HELD_BYTES`; an
 * enclosing slice's `B` is then written before the held calls that began at or after its start.
 * Only an enclosing slice that starts before calls already written (more than `HELD_CALLS` of
 * them, or a very large one) lands after them in the file; viewers that sort by time still nest
 * it right.
 */

const HELD_CALLS = 256;
const HELD_BYTES = 4 << 20;
/** All threads together: past this everything held is written. */
const HELD_TOTAL = 32 << 20;

interface Run {
  /** Start of the outermost call that opens the run. */
  first: number;
  events: string[];
  bytes: number;
}

interface Held {
  runs: Run[];
  bytes: number;
}

export class ThreadOrder {
  private readonly held = new Map<number, Held>();
  private total = 0;

  /** `write` receives event texts in file order. */
  constructor(private readonly write: (s: string) => void) {}

  private flushOldest(h: Held): void {
    const r = h.runs.shift()!;
    h.bytes -= r.bytes;
    this.total -= r.bytes;
    for (const s of r.events) this.write(s);
  }

  /**
   * An event of thread track `track`. `outermost` is set for the `B` of a call at depth 0:
   * its start, and whether it is a synthesised enclosing slice.
   */
  add(track: number, s: string, outermost?: { ts: number; enclosing: boolean }): void {
    let h = this.held.get(track);
    if (!outermost) {
      const last = h?.runs[h.runs.length - 1];
      if (!last) return this.write(s);
      last.events.push(s);
      last.bytes += s.length;
      h!.bytes += s.length;
      this.total += s.length;
    } else {
      if (!h) this.held.set(track, (h = { runs: [], bytes: 0 }));
      const run: Run = { first: outermost.ts, events: [s], bytes: s.length };
      if (outermost.enclosing) {
        let from = h.runs.length;
        while (from > 0 && h.runs[from - 1]!.first >= outermost.ts) from--;
        for (const r of h.runs.splice(from)) {
          for (const x of r.events) run.events.push(x);
          run.bytes += r.bytes;
          h.bytes -= r.bytes;
        }
      }
      h.runs.push(run);
      h.bytes += run.bytes;
      this.total += s.length;
    }
    while (h!.runs.length > HELD_CALLS || (h!.bytes > HELD_BYTES && h!.runs.length > 0)) this.flushOldest(h!);
    if (this.total > HELD_TOTAL) this.finish();
  }

  /** Writes everything held, thread by thread. */
  finish(): void {
    for (const h of this.held.values()) while (h.runs.length) this.flushOldest(h);
    this.held.clear();
    this.total = 0;
  }
}

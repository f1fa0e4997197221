import { ByteOut, CHUNK_BYTES } from './byte-out.js';

/**
 * Bytes of waiting rows past which the oldest are written out of turn (as past `HELD_ROWS`
 * rows): rows of long stacks reach this bound first.
 */
export const HELD_BYTES = 8 << 20;

/**
 * The waiting rows: their bytes one after another in one buffer, in arrival order, and their
 * sort keys in typed arrays (arrival order breaks ties, so it needs no key of its own).
 */
export class HeldRows {
  /** Grown once to what the bound needs, not step by step (each step a copy left as garbage). */
  readonly buf = new ByteOut(CHUNK_BYTES, HELD_BYTES + CHUNK_BYTES);
  n = 0;
  ts = new Float64Array(1024);
  rank = new Int32Array(1024);
  track = new Int32Array(1024);
  /** Where each row begins in `buf` (it ends where the next begins). */
  at = new Uint32Array(1024);

  add(ts: number, rank: number, track: number, at: number) {
    if (this.n === this.ts.length) this.grow();
    const i = this.n++;
    this.ts[i] = ts;
    this.rank[i] = rank;
    this.track[i] = track;
    this.at[i] = at;
  }

  private grow() {
    const m = Math.ceil(this.ts.length * 1.5);
    const grown = <T extends Float64Array | Int32Array | Uint32Array>(a: T, b: T): T => {
      b.set(a);
      return b;
    };
    this.ts = grown(this.ts, new Float64Array(m));
    this.rank = grown(this.rank, new Int32Array(m));
    this.track = grown(this.track, new Int32Array(m));
    this.at = grown(this.at, new Uint32Array(m));
  }

  end(i: number): number {
    return i + 1 < this.n ? this.at[i + 1]! : this.buf.pos;
  }

  /** Row indices in time order (then depth, lane, arrival). */
  sorted(): Uint32Array {
    const idx = new Uint32Array(this.n);
    for (let i = 0; i < this.n; i++) idx[i] = i;
    const { ts, rank, track } = this;
    // Rows mostly come in order (samples, events of one CPU): then there is nothing to sort (a
    // sort with a compare function copies the keys into arrays on the heap, which are garbage).
    let ordered = true;
    for (let i = 1; i < this.n && ordered; i++) {
      ordered = ts[i - 1]! < ts[i]! || (ts[i - 1] === ts[i] && (rank[i - 1]! < rank[i]! || (rank[i - 1] === rank[i] && track[i - 1]! <= track[i]!)));
    }
    if (ordered) return idx;
    return idx.sort((a, b) => ts[a]! - ts[b]! || rank[a]! - rank[b]! || track[a]! - track[b]! || a - b);
  }

  /**
   * Copies rows `idx[0..n)` (in that order) into `o`, handing out what was copied every `piece`
   * bytes, then drops them. The rows stay as they are until the last piece is taken.
   */
  *release(idx: Uint32Array, n: number, o: ByteOut, piece: number): Generator<Uint8Array> {
    const src = this.buf.buf;
    const gone = new Uint8Array(this.n);
    // Rows that lie one after another in the held buffer go in one copy (each copy of a range
    // makes a view object: one per row would be garbage by the hundred thousand).
    for (let k = 0; k < n; ) {
      const i = idx[k]!;
      let j = i;
      gone[i] = 1;
      k++;
      while (k < n && idx[k] === j + 1) {
        j++;
        gone[j] = 1;
        k++;
      }
      let from = this.at[i]!;
      const to = this.end(j);
      while (from < to) {
        const m = Math.min(to - from, piece - (o.pos - o.start));
        o.copyRange(src, from, from + m);
        from += m;
        if (o.pos - o.start >= piece) yield o.take()!;
      }
    }
    this.compact(gone);
  }

  /** Drops the rows marked in `gone`; the others move to the front, still in arrival order. */
  compact(gone: Uint8Array) {
    const b = this.buf.buf;
    let j = 0;
    let to = 0;
    for (let i = 0; i < this.n; ) {
      if (gone[i]) {
        i++;
        continue;
      }
      // A run of kept rows moves in one copy.
      const from = this.at[i]!;
      const shift = from - to;
      do {
        this.ts[j] = this.ts[i]!;
        this.rank[j] = this.rank[i]!;
        this.track[j] = this.track[i]!;
        this.at[j] = this.at[i]! - shift;
        j++;
        i++;
      } while (i < this.n && !gone[i]);
      const end = this.end(i - 1);
      if (shift !== 0) b.copyWithin(to, from, end);
      to += end - from;
    }
    this.n = j;
    this.buf.pos = to;
  }
}


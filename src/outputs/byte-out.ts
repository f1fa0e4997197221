/**
 * Output bytes written in place: text and numbers go straight into one large buffer (1 MiB
 * chunks), with no string or object per event. `take()` hands out what was written since the
 * last call as a view of that buffer and never writes over it again (later bytes go after it,
 * or into another chunk), so the pipeline may keep the view as long as it likes.
 *
 * Chunks are used again when the pipeline says, through `written()`, that every view of one
 * has been written out: a fresh 1 MiB per MiB of output would otherwise wait outside the heap
 * until a full collection. Until the first `written()` (an output kept in memory never calls
 * it) no view is tracked and every chunk is new.
 */

export const CHUNK_BYTES = 1 << 20;
/** Chunks whose views are followed at most. */
const TRACKED = 4;

const POW10 = [1, 10, 100, 1000, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

export class ByteOut {
  buf: Buffer;
  /** Next byte to write. */
  pos = 0;
  /** First byte not handed out yet. */
  start = 0;
  /** UTF-8 bytes written beyond the UTF-16 length of the text they encode (non-ASCII text). */
  utf16Excess = 0;
  /** Views handed out and not yet written, per chunk (once the pipeline reports writes). */
  private out: Map<ArrayBufferLike, { chunk: Buffer; views: number }> | undefined;
  private readonly spare: Buffer[] = [];

  /** The least size a buffer grows to: the size of a chunk, the one size used again. */
  private readonly least: number;

  /**
   * `size`: the first buffer's; `growTo`: the least size a buffer grows to, for a writer that
   * knows how far it will grow (else the first size: many small buffers stay small).
   */
  constructor(size = CHUNK_BYTES, growTo = 0) {
    this.buf = Buffer.allocUnsafe(size);
    this.least = Math.max(size, growTo);
  }

  /** Room for `n` more bytes; what is not handed out moves into a new buffer when needed. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const used = this.pos - this.start;
    const size = Math.max(this.least, used + n + (used >> 1));
    const nb = size === this.least && this.spare.length ? this.spare.pop()! : Buffer.allocUnsafe(size);
    this.buf.copy(nb, 0, this.start, this.pos);
    this.moved(this.start);
    this.retire(this.buf);
    this.buf = nb;
    this.pos = used;
    this.start = 0;
  }

  /** Called when the unhanded bytes moved `by` bytes down (subclasses keep positions inside them). */
  protected moved(_by: number): void {}

  /** Bytes written since the last call (null if none). */
  take(): Buffer | null {
    if (this.pos === this.start) return null;
    const out = this.buf.subarray(this.start, this.pos);
    this.start = this.pos;
    if (this.out) {
      const e = this.out.get(this.buf.buffer);
      if (e) e.views++;
      else {
        this.out.set(this.buf.buffer, { chunk: this.buf, views: 1 });
        // A view copied rather than written (a writer joining pieces) is never reported: the
        // oldest chunks are forgotten, left to the collector, so none is held for good.
        if (this.out.size > TRACKED) this.out.delete(this.out.keys().next().value!);
      }
    }
    if (this.buf.length - this.pos < CHUNK_BYTES >> 4) {
      this.retire(this.buf);
      this.buf = this.spare.pop() ?? Buffer.allocUnsafe(this.least);
      this.pos = this.start = 0;
    }
    return out;
  }

  /**
   * The pipeline wrote `view` (something `take()` returned, or anything else: then nothing
   * happens); a chunk all of whose views are written, and that is full, is used again.
   */
  written(view: Uint8Array): void {
    if (!this.out) {
      this.out = new Map();
      return;
    }
    const e = this.out.get(view.buffer);
    if (!e || --e.views > 0) return;
    // The chunk being written into stays followed (no view out) until it is replaced.
    if (e.chunk !== this.buf) this.reuse(e.chunk);
  }

  /** The chunk being written into is replaced: used again if every view of it is written. */
  private retire(chunk: Buffer): void {
    const e = this.out?.get(chunk.buffer);
    if (e && e.views === 0) this.reuse(chunk);
  }

  private reuse(chunk: Buffer): void {
    this.out!.delete(chunk.buffer);
    if (chunk.length === this.least && this.spare.length < 2) this.spare.push(chunk);
  }

  /** Bytes written since `from` (a position taken before), as a copy. */
  copyFrom(from: number): Buffer {
    return Buffer.from(this.buf.subarray(from, this.pos));
  }

  bytes(b: Uint8Array): void {
    const n = b.length;
    this.ensure(n);
    if (n <= 32) {
      const buf = this.buf;
      let p = this.pos;
      for (let i = 0; i < n; i++) buf[p++] = b[i]!;
      this.pos = p;
      return;
    }
    this.buf.set(b, this.pos);
    this.pos += n;
  }

  /** Bytes `from`..`to` of `src`, with no view made of them. */
  copyRange(src: Buffer, from: number, to: number): void {
    const n = to - from;
    this.ensure(n);
    if (n > 256) {
      this.pos += src.copy(this.buf, this.pos, from, to);
      return;
    }
    // A short range byte by byte: a native copy of part of a buffer makes a view object first,
    // garbage that outlives young collections when copies come by the hundred thousand.
    const buf = this.buf;
    let p = this.pos;
    for (let i = from; i < to; i++) buf[p++] = src[i]!;
    this.pos = p;
  }

  /** A string known to be ASCII (templates, digits). */
  ascii(s: string): void {
    const n = s.length;
    this.ensure(n);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) buf[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  /** Any string as UTF-8 (invalid UTF-16 becomes U+FFFD, as Buffer.from does). */
  utf8(s: string): void {
    const n = s.length;
    this.ensure(n);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        this.pos = p;
        this.utf8Slow(s, i);
        return;
      }
      buf[p++] = c;
    }
    this.pos = p;
  }

  private utf8Slow(s: string, from: number): void {
    const rest = from === 0 ? s : s.slice(from);
    this.ensure(Buffer.byteLength(rest, 'utf8'));
    const n = this.buf.write(rest, this.pos, 'utf8');
    this.pos += n;
    this.utf16Excess += n - rest.length;
  }

  /** A safe integer in decimal, as String(n) prints it. */
  int(n: number): void {
    if (!Number.isSafeInteger(n)) {
      this.ascii(String(n));
      return;
    }
    if (n < 0) {
      this.ensure(1);
      this.buf[this.pos++] = 45;
      n = -n;
    }
    if (n < 10) {
      this.ensure(1);
      this.buf[this.pos++] = 48 + n;
      return;
    }
    let d = 1;
    while (d < 16 && n >= POW10[d]!) d++;
    this.ensure(d);
    const buf = this.buf;
    let p = this.pos + d;
    this.pos = p;
    while (n >= 1e9) {
      const q = Math.floor(n / 10);
      buf[--p] = 48 + (n - q * 10);
      n = q;
    }
    let m = n | 0;
    while (m >= 10) {
      const q = (m / 10) | 0;
      buf[--p] = 48 + (m - q * 10);
      m = q;
    }
    buf[--p] = 48 + m;
  }
}

import { isAscii } from 'node:buffer';
import type { Report } from '../model/diagnostics.js';
import type { ByteLines } from '../inputs/types.js';

export type { ByteLines };

/** Longest line kept; the rest of a longer line is skipped (and reported), memory stays bounded. */
export const MAX_LINE = 1 << 20;
/** Least size of the buffer a cut line and the next read are joined in (a read piece and more). */
const JOINED_BYTES = 128 << 10;

const asBuffer = (u: Uint8Array): Buffer => (Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength));

/** Line k of a batch as text. */
export function lineText(b: ByteLines, k: number): string {
  if (b.texts) return b.texts[k]!;
  return asBuffer(b.buf).toString('latin1', b.starts[k]!, b.ends[k]!);
}

/** Every line of a batch as text. */
export function batchTexts(b: ByteLines): string[] {
  if (b.texts) return b.texts;
  const out: string[] = new Array<string>(b.count);
  const buf = asBuffer(b.buf);
  // One string per line (ASCII: latin1 is exact), never slices of one string for the batch: a
  // piece a parser keeps (a frame name, a comm, a cached line) would pin the whole read with it,
  // so every read would live as long as the longest-kept piece and be promoted to the old
  // generation, where it piles up as garbage until a full collection.
  for (let k = 0; k < b.count; k++) out[k] = buf.toString('latin1', b.starts[k]!, b.ends[k]!);
  return out;
}

/**
 * Splits bytes into numbered lines: `\n` or `\r\n` terminated, UTF-8 decoded (invalid bytes
 * replaced, and reported), over-long lines cut, lines holding NUL bytes (binary garbage)
 * reported and replaced by empty lines so numbering stays true. Lines are found by byte
 * (`\n` is never part of a multi-byte character); text is made only when asked for, and a read
 * whose bytes are all ASCII needs no check at all.
 */
export class LineSplitter {
  /** Bytes of a line begun in an earlier read (a copy: sources may reuse their buffers). */
  private carry: Buffer | null = null;
  /** Where a carried line and the next read are joined. */
  private joined: Buffer | null = null;
  /** Skipping the rest of an over-long line until its newline. */
  private skipping = false;
  /** Number of the next line to be returned. */
  next = 1;
  bytes = 0;
  private starts: Int32Array = new Int32Array(4096);
  private ends: Int32Array = new Int32Array(4096);

  constructor(private readonly report: Report) {}

  /** Returns complete lines as text; `firstLine` of the batch is `this.next` before the call. */
  push(chunk: Uint8Array): string[] {
    const b = this.pushBytes(chunk);
    return b ? batchTexts(b) : [];
  }

  end(): string[] {
    const b = this.endBytes();
    return b ? batchTexts(b) : [];
  }

  /** The complete lines of this read, or null when it completes none. */
  pushBytes(chunk: Uint8Array): ByteLines | null {
    this.bytes += chunk.length;
    let buf = asBuffer(chunk);
    let pos = 0;
    if (this.skipping) {
      const nl = buf.indexOf(10);
      if (nl === -1) return null;
      this.skipping = false;
      pos = nl + 1;
    }
    if (this.carry) {
      // The cut line and the read after it, joined in one buffer used again for every read: a
      // batch is parsed before the next read comes (what is kept longer is copied).
      const need = this.carry.length + buf.length - pos;
      if (!this.joined || this.joined.length < need) this.joined = Buffer.allocUnsafeSlow(Math.max(need, JOINED_BYTES));
      this.carry.copy(this.joined, 0);
      buf.copy(this.joined, this.carry.length, pos);
      buf = this.joined.subarray(0, need);
      pos = 0;
      this.carry = null;
    }
    let count = 0;
    let clean = true;
    const regionStart = pos;
    for (;;) {
      const nl = buf.indexOf(10, pos);
      if (nl === -1) break;
      if (count === this.starts.length) this.grow();
      this.starts[count] = pos;
      this.ends[count] = nl > pos && buf[nl - 1] === 13 ? nl - 1 : nl;
      if (nl - pos > MAX_LINE) clean = false;
      count++;
      pos = nl + 1;
    }
    if (clean && count > 0 && (!isAscii(buf.subarray(regionStart, pos)) || buf.subarray(regionStart, pos).indexOf(0) !== -1)) clean = false;
    const first = this.next;
    let texts: string[] | null = null;
    if (!clean) texts = this.checkedTexts(buf, regionStart, pos, count);
    else this.next += count;
    const rest = buf.length - pos;
    if (rest > MAX_LINE) {
      // Keep the head of the line, drop the rest until its newline.
      const head = longHead(buf, pos);
      if (head !== null) {
        texts ??= count ? this.plainTexts(buf, count) : [];
        this.report('input.long-line', this.next, `line longer than ${MAX_LINE} characters cut`);
        texts.push(this.check(head));
        this.starts = ensure(this.starts, count + 1);
        this.ends = ensure(this.ends, count + 1);
        this.starts[count] = this.ends[count] = pos;
        count++;
        this.skipping = true;
        return this.batch(buf, count, first, texts);
      }
    }
    if (rest > 0) this.carry = Buffer.from(buf.subarray(pos));
    return count ? this.batch(buf, count, first, texts) : null;
  }

  endBytes(): ByteLines | null {
    this.skipping = false;
    const c = this.carry;
    this.carry = null;
    if (!c || c.length === 0) return null;
    const first = this.next;
    let text = c.toString('utf8');
    if (text.length > MAX_LINE) {
      this.report('input.long-line', this.next, `line longer than ${MAX_LINE} characters cut`);
      text = text.slice(0, MAX_LINE);
    }
    const starts = new Int32Array([0]);
    const ends = new Int32Array([c.length]);
    return { buf: c, starts, ends, count: 1, first, texts: [this.check(text)] };
  }

  private batch(buf: Buffer, count: number, first: number, texts: string[] | null): ByteLines {
    return { buf, starts: this.starts.slice(0, count), ends: this.ends.slice(0, count), count, first, texts };
  }

  private grow() {
    this.starts = ensure(this.starts, this.starts.length * 2);
    this.ends = ensure(this.ends, this.ends.length * 2);
  }

  /** Lines of an ASCII read without repairs, as text (numbers already counted). */
  private plainTexts(buf: Buffer, count: number): string[] {
    const out: string[] = [];
    for (let k = 0; k < count; k++) out.push(buf.toString('latin1', this.starts[k]!, this.ends[k]!));
    return out;
  }

  /** Decodes, cuts and checks every line of the read, reporting as it goes. */
  private checkedTexts(buf: Buffer, from: number, to: number, count: number): string[] {
    const text = buf.toString('utf8', from, to);
    const out: string[] = [];
    let p = 0;
    for (let k = 0; k < count; k++) {
      const nl = text.indexOf('\n', p);
      let line = text.slice(p, nl);
      p = nl + 1;
      if (line.length > MAX_LINE) {
        this.report('input.long-line', this.next, `line of ${line.length} characters cut to ${MAX_LINE}`);
        line = line.slice(0, MAX_LINE);
      }
      out.push(this.check(line));
    }
    return out;
  }

  private check(line: string): string {
    const n = this.next++;
    if (line.length && line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    if (line.indexOf('\ufffd') !== -1) this.report('input.invalid-utf8', n);
    if (line.indexOf('\u0000') !== -1) {
      this.report('input.binary', n);
      return '';
    }
    return line;
  }
}

/**
 * The first MAX_LINE characters of an unfinished line of more than MAX_LINE characters, or
 * null when its bytes decode to fewer (multi-byte characters): then it waits for more.
 */
function longHead(buf: Buffer, pos: number): string | null {
  // A character cut at the end of the read is not decoded yet (it may complete in the next).
  let end = buf.length;
  let back = end - 1;
  while (back > pos && back > end - 4 && (buf[back]! & 0xc0) === 0x80) back--;
  if (buf[back]! >= 0xc0) {
    const need = buf[back]! >= 0xf0 ? 4 : buf[back]! >= 0xe0 ? 3 : 2;
    if (end - back < need) end = back;
  }
  const text = buf.toString('utf8', pos, end);
  return text.length > MAX_LINE ? text.slice(0, MAX_LINE) : null;
}

function ensure(a: Int32Array, size: number): Int32Array {
  if (a.length >= size) return a;
  const b = new Int32Array(Math.max(size, a.length * 2));
  b.set(a);
  return b;
}

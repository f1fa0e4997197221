/**
 * Whole callchains by their bytes: a profile samples the same hot stacks again and again, and
 * in `perf script` text the same stack is the same block of callchain lines, byte for byte
 * (32,583 records of the md5sum capture hold 4,738 distinct blocks; python's 3,263 hold 902).
 *
 * The byte reader meets a callchain at its first line; when the block (up to the record's empty
 * line) lies in the read at hand, it is hashed and looked up here. A hit moves the reader to the
 * trie node the block led to last time, with one native compare of the bytes and no work per
 * line. A miss reads the lines one by one, and the block is kept only when that reading was
 * plain: every line a known frame that moved the stack one line on, no diagnostic, no source
 * lines pending. Then the reading of those bytes from that node is the same every time (what a
 * line means depends only on its text and on whether the process is java, both in the key),
 * so a hit gives exactly what the line-by-line reading would.
 *
 * Memory is bounded: the table starts over past 65,536 blocks or 16 MB of them.
 */
import { hashBytes } from './line-cache.js';

const SLOTS = 1 << 17;
const MAX_BLOCKS = SLOTS >> 1;
const MAX_BYTES = 16 << 20;

/** What a records reader offers the block cache. */
export interface ChainReader {
  /**
   * At a callchain's first line (or, with `after`, at the end of a plain one): the java flag as a
   * key (0 or 1); −1 when no block is read here.
   */
  chainKey(after?: boolean): number;
  /** Frame lines that moved the stack on, so far. */
  steps: number;
  /** The stack now, and before its last line. */
  at(): number;
  before(): number;
  /** Moves the stack to `node` (with `prev` the node before its last line). */
  jump(node: number, prev: number): void;
  lineBytes(buf: Buffer, view: DataView, start: number, end: number, no: number): void;
}

interface Block {
  key: number;
  /** The block's bytes: where they are in the arena, how many. */
  at: number;
  length: number;
  node: number;
  prev: number;
}

export class BlockCache {
  private readonly slots = new Int32Array(SLOTS);
  private readonly hashes = new Int32Array(MAX_BLOCKS);
  private blocks: Block[] = [];
  /** The bytes of the blocks, end to end. */
  private arena = Buffer.alloc(1 << 16);
  private used = 0;
  /** Lines before this number (of the input) were found to hold no block: none is looked for there. */
  private declinedUntil = 0;
  hits = 0;

  /** `reported()`: how many diagnostics the input has reported so far. */
  constructor(private readonly reported: () => number) {}

  /**
   * Reads the callchain that starts at line `i` of the read if it can be read as a block, and
   * returns how many lines it took (0: the caller reads line `i` itself).
   */
  read(r: ChainReader, buf: Buffer, view: DataView, starts: Int32Array, ends: Int32Array, i: number, count: number, first: number): number {
    const key = r.chainKey();
    if (key < 0 || first + i < this.declinedUntil) return 0;
    // The block: indented lines up to the record's empty line, which must be in this read.
    let j = i;
    while (j < count) {
      const s = starts[j]!;
      const e = ends[j]!;
      if (e === s) break;
      const c = buf[s]!;
      if (c !== 32 && c !== 9) break;
      j++;
    }
    if (j === count || j === i || ends[j] !== starts[j]) {
      // Each line is scanned for a block once at most.
      this.declinedUntil = first + j;
      return 0;
    }
    const start = starts[i]!;
    const end = ends[j - 1]!;
    // The hash covers the block's length and its first line (its leaf, where stacks differ most);
    // the compare covers every byte.
    const h = hashBytes(view, start, Math.min(ends[i]!, start + 64), key ^ (end - start));
    for (let k = h & (SLOTS - 1); ; k = (k + 1) & (SLOTS - 1)) {
      const v = this.slots[k]!;
      if (v === 0) break;
      const b = this.blocks[v - 1]!;
      if (this.hashes[v - 1] === h && b.key === key && b.length === end - start && buf.compare(this.arena, b.at, b.at + b.length, start, end) === 0) {
        r.jump(b.node, b.prev);
        this.hits++;
        return j - i;
      }
    }
    const steps = r.steps;
    const reports = this.reported();
    for (let m = i; m < j; m++) r.lineBytes(buf, view, starts[m]!, ends[m]!, first + m);
    if (r.steps - steps === j - i && this.reported() === reports && r.chainKey(true) >= 0) this.store(h, key, buf, start, end, r.at(), r.before());
    return j - i;
  }

  private store(h: number, key: number, buf: Buffer, start: number, end: number, node: number, prev: number) {
    const n = end - start;
    if (this.blocks.length >= MAX_BLOCKS || this.used + n > MAX_BYTES) {
      this.slots.fill(0);
      this.blocks = [];
      this.used = 0;
      if (n > MAX_BYTES) return;
    }
    if (this.used + n > this.arena.length) {
      let size = this.arena.length * 2;
      while (size < this.used + n) size *= 2;
      const a = Buffer.alloc(Math.min(size, MAX_BYTES));
      this.arena.copy(a, 0, 0, this.used);
      this.arena = a;
    }
    buf.copy(this.arena, this.used, start, end);
    this.blocks.push({ key, at: this.used, length: n, node, prev });
    this.used += n;
    this.hashes[this.blocks.length - 1] = h;
    let k = h & (SLOTS - 1);
    while (this.slots[k] !== 0) k = (k + 1) & (SLOTS - 1);
    this.slots[k] = this.blocks.length;
  }
}

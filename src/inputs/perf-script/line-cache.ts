/**
 * What a callchain line means, cached by the whole line: a capture repeats the same frame lines
 * (same address, symbol and dso) in most of its samples.
 *
 * The line that follows a given stack prefix is nearly always one seen there before (a caller's
 * return address), so each trie node remembers its last two edges (the line read after it, its
 * meaning, the node it led to): a hit costs a comparison (a length check and a memory compare),
 * no hashing and no trie lookup. A miss goes to a table keyed by the line: by its text (a Map)
 * for lines read as text, by its bytes (open addressing on a hash of them) for lines read as
 * bytes, so the byte reader makes no string for a line seen before anywhere. Stored lines are
 * flat copies (texts) and copies in one arena (bytes), so a cached line never keeps its read
 * chunk alive; the tables start over past 131,072 lines or 16 MB of them (edges made before
 * then no longer match by bytes), and the edges follow the trie, so memory stays bounded by
 * the distinct stacks.
 */
const LIMIT = 1 << 17;
const MAX_BYTES = 1 << 24;
/** Slots of the byte table: at most half full. */
const SLOTS = LIMIT * 2;

export interface Edge<T> {
  line: string;
  value: T;
  /** The trie node the line leads to from the node it was read after; −1 until the caller sets it. */
  child: number;
  /**
   * Where the line's bytes are in the arena, once it has been read as bytes (`getBytes`
   * compares them); −1 until then, or when they are of an earlier arena (`epoch`).
   */
  at: number;
  epoch: number;
}

interface Entry<T> {
  line: string;
  value: T;
  at: number;
}

export class LineCache<T> {
  private readonly map = new Map<string, Entry<T>>();
  private chars = 0;
  /** The bytes of lines read as bytes, end to end; `epoch` counts the times it started over. */
  private arena = new Uint8Array(1 << 16);
  private arenaView = new DataView(this.arena.buffer);
  private used = 0;
  private epoch = 0;
  /** The byte table: slot → index in `entries` + 1 (0 free), with each entry's hash. */
  private readonly slots = new Int32Array(SLOTS);
  private readonly entries: Entry<T>[] = [];
  private readonly hashes: number[] = [];
  /** Per trie node: the two latest edges (most recent first). */
  private first: (Edge<T> | undefined)[] = [];
  private second: (Edge<T> | undefined)[] = [];
  /** The edge the latest `get` or `set` gave (a byte reader attaches the line's bytes to it). */
  last: Edge<T> | undefined;
  /** The hash of the line the latest `getBytes` missed. */
  private missHash = 0;

  /** `limit` lines and `maxBytes` of them before the tables start over (smaller in tests). */
  constructor(
    private readonly limit = LIMIT, // at most LIMIT: the byte table has room for that many
    private readonly maxBytes = MAX_BYTES,
  ) {}

  /** The edge for `line` read after trie node `node`, if the line is known. */
  get(node: number, line: string): Edge<T> | undefined {
    const a = this.first[node];
    if (a !== undefined) {
      if (a.line === line) return (this.last = a);
      const b = this.second[node];
      if (b !== undefined && b.line === line) {
        this.second[node] = a;
        this.first[node] = b;
        return (this.last = b);
      }
    }
    const c = this.map.get(line);
    return (this.last = c === undefined ? undefined : this.remember(node, c));
  }

  /**
   * The edge for the line at `buf[start, end)` read after `node`, when that line was read as
   * bytes before (here or after another node); undefined sends the caller to the text reading,
   * after which `attach` gives the line's bytes to the edge it found or made.
   */
  getBytes(node: number, buf: DataView, start: number, end: number): Edge<T> | undefined {
    const a = this.first[node];
    const arena = this.arenaView;
    const epoch = this.epoch;
    if (a !== undefined) {
      if (a.at >= 0 && a.epoch === epoch && same(arena, a.at, a.line.length, buf, start, end)) return a;
      const b = this.second[node];
      if (b !== undefined && b.at >= 0 && b.epoch === epoch && same(arena, b.at, b.line.length, buf, start, end)) {
        this.second[node] = a;
        this.first[node] = b;
        return b;
      }
    }
    const h = hashBytes(buf, start, end, 0);
    for (let k = h & (SLOTS - 1); ; k = (k + 1) & (SLOTS - 1)) {
      const v = this.slots[k]!;
      if (v === 0) break;
      const c = this.entries[v - 1]!;
      if (this.hashes[v - 1] === h && same(arena, c.at, c.line.length, buf, start, end)) return this.remember(node, c);
    }
    this.missHash = h;
    this.last = undefined;
    return undefined;
  }

  /**
   * After a `getBytes` miss and the text reading of that line (`line`, the text of
   * `buf[start, end)`): the edge the reading found or made gets the bytes, and so does the table.
   */
  attach(line: string, buf: DataView, start: number, end: number) {
    const e = this.last;
    this.last = undefined;
    if (e === undefined || e.line !== line) return;
    const c = this.map.get(line);
    if (c === undefined) return;
    const n = end - start;
    if (c.at < 0) {
      if (this.used + n > this.maxBytes) return this.clear();
      if (this.used + n > this.arena.length) this.growArena(this.used + n);
      this.arena.set(new Uint8Array(buf.buffer, buf.byteOffset + start, n), this.used);
      c.at = this.used;
      this.used += n;
      const h = this.missHash;
      let k = h & (SLOTS - 1);
      while (this.slots[k] !== 0) k = (k + 1) & (SLOTS - 1);
      this.entries.push(c);
      this.hashes.push(h);
      this.slots[k] = this.entries.length;
    }
    e.at = c.at;
    e.epoch = this.epoch;
  }

  private growArena(need: number) {
    let size = this.arena.length * 2;
    while (size < need) size *= 2;
    const a = new Uint8Array(Math.min(size, this.maxBytes));
    a.set(this.arena.subarray(0, this.used));
    this.arena = a;
    this.arenaView = new DataView(a.buffer);
  }

  set(node: number, line: string, value: T): Edge<T> {
    if (this.map.size >= this.limit || this.chars + line.length > this.maxBytes) this.clear();
    const c: Entry<T> = { line: flat(line), value, at: -1 };
    this.map.set(c.line, c);
    this.chars += line.length;
    return (this.last = this.remember(node, c));
  }

  private clear() {
    this.map.clear();
    this.chars = 0;
    this.slots.fill(0);
    this.entries.length = 0;
    this.hashes.length = 0;
    this.used = 0;
    this.epoch++;
  }

  private remember(node: number, c: Entry<T>): Edge<T> {
    while (this.first.length <= node) {
      this.first.push(undefined);
      this.second.push(undefined);
    }
    const e: Edge<T> = { line: c.line, value: c.value, child: -1, at: c.at, epoch: this.epoch };
    this.second[node] = this.first[node];
    this.first[node] = e;
    return e;
  }
}

/**
 * A hash of the bytes `v[start, end)` and `seed`, four bytes at a time (32 bits; a
 * multiply-rotate mix per word). The block cache uses it too.
 */
export function hashBytes(v: DataView, start: number, end: number, seed: number): number {
  let h = Math.imul(seed ^ (end - start), 0x9e3779b1);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    h = Math.imul(h ^ v.getInt32(i, true), 0x9e3779b1);
    h = (h << 13) | (h >>> 19);
  }
  for (; i < end; i++) h = Math.imul(h ^ v.getUint8(i), 0x01000193);
  h ^= h >>> 16;
  return Math.imul(h, 0x85ebca6b) ^ (h >>> 13);
}

/**
 * Do the bytes `v[start, end)` equal the `n` bytes of `a` at `at`? Four bytes at a time
 * (DataView reads need no alignment).
 */
function same(a: DataView, at: number, n: number, v: DataView, start: number, end: number): boolean {
  if (end - start !== n) return false;
  let i = 0;
  for (; i + 4 <= n; i += 4) if (a.getInt32(at + i, true) !== v.getInt32(start + i, true)) return false;
  for (; i < n; i++) if (a.getUint8(at + i) !== v.getUint8(start + i)) return false;
  return true;
}

/** A copy of a string that holds no reference to the text it was cut from. */
function flat(s: string): string {
  return (' ' + s).slice(1);
}

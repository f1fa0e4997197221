/**
 * The per-caller-id states (`[ T1234]`, `[ C1]`), a bounded number, least recently used first:
 * a hash table for lookups and a linked list for the order, so a line costs O(1) whatever the
 * number of ids a log goes through (a Map kept in order by delete and set leaves holes that its
 * iterator walks over). The table is fixed arrays, open addressing with deletion by backward
 * shift: a log of thousands of ids pushes one out per line, and a Map's delete and set would
 * rebuild its tables again and again, garbage that lives long enough to be promoted.
 */

/** Entries by key in fixed arrays: linear probing, no tombstones. */
export class Slots<E extends { key: string }> {
  private readonly mask: number;
  private readonly bits: number;
  private readonly home: Int32Array;
  private readonly entry: (E | undefined)[];

  constructor(capacity: number) {
    let bits = 4;
    while (1 << bits < capacity * 4) bits++;
    this.bits = bits;
    this.mask = (1 << bits) - 1;
    this.home = new Int32Array(1 << bits);
    this.entry = new Array<E | undefined>(1 << bits).fill(undefined);
  }

  /** The slot a key's probe starts at. */
  hash(key: string): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
    return Math.imul(h, 0x9e3779b1) >>> (32 - this.bits);
  }

  get(key: string): E | undefined {
    for (let i = this.hash(key); ; i = (i + 1) & this.mask) {
      const e = this.entry[i];
      if (e === undefined || e.key === key) return e;
    }
  }

  /** Adds `e` under `e.key` (not present). */
  add(e: E): void {
    let i = this.hash(e.key);
    const h = i;
    while (this.entry[i] !== undefined) i = (i + 1) & this.mask;
    this.entry[i] = e;
    this.home[i] = h;
  }

  delete(key: string): void {
    let i = this.hash(key);
    for (; ; i = (i + 1) & this.mask) {
      const e = this.entry[i];
      if (e === undefined) return;
      if (e.key === key) break;
    }
    // Backward shift: later entries of the run move into the hole unless their home lies
    // (cyclically) after the hole and at or before where they sit.
    for (let j = (i + 1) & this.mask; this.entry[j] !== undefined; j = (j + 1) & this.mask) {
      const h = this.home[j]!;
      const stays = i <= j ? i < h && h <= j : i < h || h <= j;
      if (stays) continue;
      this.entry[i] = this.entry[j];
      this.home[i] = h;
      i = j;
    }
    this.entry[i] = undefined;
  }

  clear(): void {
    this.entry.fill(undefined);
  }
}

interface Entry<T> {
  key: string;
  state: T;
  prev: Entry<T> | undefined;
  next: Entry<T> | undefined;
}

export class CallerStates<T> {
  private readonly map: Slots<Entry<T>>;
  private size = 0;
  private head: Entry<T> | undefined;
  private tail: Entry<T> | undefined;

  /**
   * `reset`: makes a finished state new again, so the least recently used one is taken over by
   * the next new id: a log of thousands of task ids would otherwise make a state per line, each
   * living long enough to be promoted and then garbage in the old generation.
   */
  constructor(
    private readonly limit: number,
    private readonly create: () => T,
    private readonly reset?: (state: T) => void,
  ) {
    this.map = new Slots(limit);
  }

  /** The state of `key`, now the most recently used; a new one may push out the least recently used (`evicted`). */
  get(key: string, evicted: (state: T) => void): T {
    const e = this.map.get(key);
    if (e) {
      if (e !== this.tail) {
        this.unlink(e);
        this.append(e);
      }
      return e.state;
    }
    if (this.size >= this.limit) {
      const old = this.head!;
      evicted(old.state);
      this.unlink(old);
      this.map.delete(old.key);
      this.size--;
      if (this.reset) {
        this.reset(old.state);
        old.key = key;
        this.map.add(old);
        this.size++;
        this.append(old);
        return old.state;
      }
    }
    const n: Entry<T> = { key, state: this.create(), prev: undefined, next: undefined };
    this.map.add(n);
    this.size++;
    this.append(n);
    return n.state;
  }

  /** Every state, least recently used first; none are kept. */
  drain(): T[] {
    const out: T[] = [];
    for (let e = this.head; e; e = e.next) out.push(e.state);
    this.map.clear();
    this.size = 0;
    this.head = this.tail = undefined;
    return out;
  }

  private unlink(e: Entry<T>): void {
    if (e.prev) e.prev.next = e.next;
    else this.head = e.next;
    if (e.next) e.next.prev = e.prev;
    else this.tail = e.prev;
    e.prev = e.next = undefined;
  }

  private append(e: Entry<T>): void {
    e.prev = this.tail;
    if (this.tail) this.tail.next = e;
    else this.head = e;
    this.tail = e;
  }
}

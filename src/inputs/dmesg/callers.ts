/**
 * The per-caller-id states (`[ T1234]`, `[ C1]`), a bounded number, least recently used first:
 * a map for lookups and a linked list for the order, so a line costs O(1) whatever the number
 * of ids a log goes through (a Map kept in order by delete and set leaves holes that its
 * iterator walks over).
 */

interface Entry<T> {
  key: string;
  state: T;
  prev: Entry<T> | undefined;
  next: Entry<T> | undefined;
}

export class CallerStates<T> {
  private readonly map = new Map<string, Entry<T>>();
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
  ) {}

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
    if (this.map.size >= this.limit) {
      const old = this.head!;
      evicted(old.state);
      this.unlink(old);
      this.map.delete(old.key);
      if (this.reset) {
        this.reset(old.state);
        old.key = key;
        this.map.set(key, old);
        this.append(old);
        return old.state;
      }
    }
    const n: Entry<T> = { key, state: this.create(), prev: undefined, next: undefined };
    this.map.set(key, n);
    this.append(n);
    return n.state;
  }

  /** Every state, least recently used first; none are kept. */
  drain(): T[] {
    const out: T[] = [];
    for (let e = this.head; e; e = e.next) out.push(e.state);
    this.map.clear();
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

/**
 * Items held per key until something about the key is known: a kernel trace's records of a CPU
 * wait for the first record that names the task running there. What is held over all keys
 * together is bounded by a count and by an estimated size in bytes, so a CPU whose task is
 * never named cannot hold the whole input.
 *
 * `push` holds the item and says whether the bounds still hold; when they do not, the caller
 * gives up waiting (takes what is held and goes on without knowing), and decides whether to hold
 * again. Items of one key come back in the order they were held.
 */

export interface HoldLimits {
  /** Items held at most over all keys. */
  count: number;
  /** Estimated bytes held at most over all keys. */
  bytes: number;
}

/** The default byte bound: a few times a large read chunk. */
export const HOLD_BYTES = 16 << 20;

interface Held<T> {
  items: T[];
  bytes: number;
}

export class HoldQueue<K, T> {
  /** Items held now, over all keys. */
  count = 0;
  /** Estimated bytes held now, over all keys. */
  bytes = 0;
  private readonly held = new Map<K, Held<T>>();

  constructor(readonly limits: HoldLimits) {}

  /** Whether items are held for a key (an empty hold counts: it was started). */
  has(key: K): boolean {
    return this.held.size !== 0 && this.held.has(key);
  }

  /** Keys holding now, in the order they started. */
  keys(): K[] {
    return [...this.held.keys()];
  }

  /** Starts holding for a key without an item yet (later items of the key wait too). */
  start(key: K): void {
    if (!this.held.has(key)) this.held.set(key, { items: [], bytes: 0 });
  }

  /**
   * Holds an item for a key (starting the hold when needed). Returns false when this item took
   * the held count or bytes past their bound; the item is held all the same.
   */
  push(key: K, item: T, bytes: number): boolean {
    let h = this.held.get(key);
    if (!h) this.held.set(key, (h = { items: [], bytes: 0 }));
    h.items.push(item);
    h.bytes += bytes;
    this.count++;
    this.bytes += bytes;
    return this.count <= this.limits.count && this.bytes <= this.limits.bytes;
  }

  /** Ends the hold of a key: its items in order, or undefined when it held nothing. */
  take(key: K): T[] | undefined {
    const h = this.held.get(key);
    if (!h) return undefined;
    this.held.delete(key);
    this.count -= h.items.length;
    this.bytes -= h.bytes;
    return h.items;
  }

  /** Ends every hold: each key with its items, in the order the holds started. */
  takeAll(): [K, T[]][] {
    const out: [K, T[]][] = [];
    for (const [k, h] of this.held) out.push([k, h.items]);
    this.held.clear();
    this.count = 0;
    this.bytes = 0;
    return out;
  }
}

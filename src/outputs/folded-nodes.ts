/**
 * The node table under the folded output's call-path tries: nodes in typed arrays (parent, name
 * id, weight, first child, next sibling) and one open-addressing hash from (parent, name id) to
 * the child, so a node costs about 32 bytes and no object, whatever the number of paths. Names
 * are interned once (`NameTable`); a path string is only ever built at the end.
 */

/** Interned frame names: one string and one id per distinct name. Id 0 is the empty name. */
export class NameTable {
  private readonly ids = new Map<string, number>([['', 0]]);
  readonly names: string[] = [''];

  id(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.ids.set(name, id);
    }
    return id;
  }
}

const NONE = -1;

export class NodeTable {
  parent: Int32Array;
  name: Int32Array;
  weight: Float64Array;
  first: Int32Array;
  next: Int32Array;
  /** Nodes in use, including freed ones waiting in `free`. */
  size = 0;
  private readonly free: number[] = [];
  /** node + 1 per slot, 0 when empty; linear probing, at most half full. */
  private slots: Int32Array;
  private mask: number;
  private used = 0;

  constructor(capacity = 1024) {
    this.parent = new Int32Array(capacity);
    this.name = new Int32Array(capacity);
    this.weight = new Float64Array(capacity);
    this.first = new Int32Array(capacity);
    this.next = new Int32Array(capacity);
    this.slots = new Int32Array(capacity * 2);
    this.mask = capacity * 2 - 1;
  }

  /** Nodes alive (not freed). */
  get live(): number {
    return this.size - this.free.length;
  }

  private grow() {
    const cap = this.parent.length * 2;
    const copy = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.parent = copy(this.parent, (n) => new Int32Array(n));
    this.name = copy(this.name, (n) => new Int32Array(n));
    this.weight = copy(this.weight, (n) => new Float64Array(n));
    this.first = copy(this.first, (n) => new Int32Array(n));
    this.next = copy(this.next, (n) => new Int32Array(n));
  }

  private rehash(size: number) {
    const old = this.slots;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    for (let i = 0; i < old.length; i++) if (old[i]! !== 0) this.place(old[i]! - 1);
  }

  private hash(parent: number, name: number): number {
    return (Math.imul(parent, 0x9e3779b1) ^ Math.imul(name + 0x632be5ab, 0x85ebca77)) & this.mask;
  }

  private place(node: number) {
    let h = this.hash(this.parent[node]!, this.name[node]!);
    while (this.slots[h]! !== 0) h = (h + 1) & this.mask;
    this.slots[h] = node + 1;
  }

  /** A new node (reusing a freed one); `indexed` nodes can be found by `find(parent, name)`. */
  add(parent: number, name: number, indexed: boolean): number {
    let id = this.free.pop();
    if (id === undefined) {
      if (this.size === this.parent.length) this.grow();
      id = this.size++;
    }
    this.parent[id] = parent;
    this.name[id] = name;
    this.weight[id] = 0;
    this.first[id] = NONE;
    this.next[id] = NONE;
    if (indexed) this.index(id);
    return id;
  }

  /** Puts a node into the hash under its (parent, name) and into its parent's child list. */
  private index(id: number) {
    if ((this.used + 1) * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    this.place(id);
    this.used++;
    const p = this.parent[id]!;
    this.next[id] = this.first[p]!;
    this.first[p] = id;
  }

  /** Removes a node from the hash (backward-shift deletion); its parent's list is the caller's. */
  private unindex(id: number) {
    const mask = this.mask;
    const s = this.slots;
    let h = this.hash(this.parent[id]!, this.name[id]!);
    while (s[h]! !== id + 1) h = (h + 1) & mask;
    let gap = h;
    for (let j = (gap + 1) & mask; s[j]! !== 0; j = (j + 1) & mask) {
      const n = s[j]! - 1;
      const home = this.hash(this.parent[n]!, this.name[n]!);
      // Moves n into the gap when its home slot is not in (gap, j].
      if (gap <= j ? home <= gap || home > j : home <= gap && home > j) {
        s[gap] = s[j]!;
        gap = j;
      }
    }
    s[gap] = 0;
    this.used--;
  }

  find(parent: number, name: number): number {
    const mask = this.mask;
    const s = this.slots;
    for (let h = this.hash(parent, name); ; h = (h + 1) & mask) {
      const v = s[h]!;
      if (v === 0) return NONE;
      if (this.parent[v - 1] === parent && this.name[v - 1] === name) return v - 1;
    }
  }

  child(parent: number, name: number): number {
    const c = this.find(parent, name);
    return c !== NONE ? c : this.add(parent, name, true);
  }

  release(id: number) {
    this.free.push(id);
  }

  /**
   * Moves every child of `from` under `to`, adding weights where a path exists in both; frees
   * `from` (unless it is `to`) and every node merged into another. An explicit work list: nothing
   * recurses over the depth of the input.
   */
  mergeChildren(to: number, from: number): void {
    const work: number[] = [to, from];
    while (work.length) {
      const src = work.pop()!;
      const dst = work.pop()!;
      let c = this.first[src]!;
      this.first[src] = NONE;
      while (c !== NONE) {
        const after = this.next[c]!;
        this.unindex(c);
        const d = this.find(dst, this.name[c]!);
        if (d === NONE) {
          this.parent[c] = dst;
          this.index(c);
        } else {
          this.weight[d]! += this.weight[c]!;
          this.weight[c] = 0;
          work.push(d, c);
        }
        c = after;
      }
      if (src !== to) this.release(src);
    }
  }
}

/**
 * Stacks as small integers. A frame line's names (one group: `a->b` inlining and `(inlined)`
 * lines can give several frames) get a group id by their text, so lines that differ only by
 * address or offset share one id and one set of Frame objects. A record's callchain, read leaf
 * first, is a walk down a trie of (parent node, group id) → node kept in typed arrays; the
 * root-first frame array of a node is built once, the first time a sample ends there, and
 * every later sample of that stack carries the same array.
 *
 * Memory grows with the distinct stacks (and their distinct frame names), not with samples.
 */
import type { Frame } from '../../model/events.js';

function slot(node: number, group: number): number {
  let x = (Math.imul(node, 0x9e3779b1) + group) | 0;
  x ^= x >>> 15;
  x = Math.imul(x, 0x85ebca6b);
  return x ^ (x >>> 13);
}

export class StackTrie {
  /** Group id → its frames (root→leaf within the group). */
  private readonly groups: Frame[][] = [];
  private readonly groupIds = new Map<string, number>();
  /** Node → parent node (leaf side), group id; node 0 is the empty stack. */
  private parent = new Int32Array(1 << 12);
  private group = new Int32Array(1 << 12);
  private nodes = 1;
  private readonly frames: (Frame[] | undefined)[] = [[]];
  /** Open addressing on (parent, group) → node + 1; 0 is free. */
  private table = new Int32Array(1 << 14);
  private mask = (1 << 14) - 1;

  /** The id of a group of frames, by their names. */
  groupId(frames: Frame[]): number {
    // Names hold no newline (they come from one line), so a key with one never meets a single name.
    let key = frames.length === 1 ? frames[0]!.name : `${frames.length}`;
    if (frames.length !== 1) for (let k = 0; k < frames.length; k++) key += '\n' + frames[k]!.name;
    let id = this.groupIds.get(key);
    if (id === undefined) {
      id = this.groups.length;
      this.groups.push(frames);
      this.groupIds.set(key, id);
    }
    return id;
  }

  groupFrames(id: number): Frame[] {
    return this.groups[id]!;
  }

  /** The group a node added (its rootmost line). */
  groupOf(node: number): number {
    return this.group[node]!;
  }

  /** The node one frame line further from the leaf. */
  child(node: number, group: number): number {
    let h = slot(node, group) & this.mask;
    for (;;) {
      const v = this.table[h]!;
      if (v === 0) break;
      const c = v - 1;
      if (this.parent[c] === node && this.group[c] === group) return c;
      h = (h + 1) & this.mask;
    }
    const c = this.nodes++;
    if (c >= this.parent.length) {
      const p = new Int32Array(this.parent.length * 2);
      p.set(this.parent);
      this.parent = p;
      const g = new Int32Array(this.group.length * 2);
      g.set(this.group);
      this.group = g;
    }
    this.parent[c] = node;
    this.group[c] = group;
    this.frames.push(undefined);
    this.table[h] = c + 1;
    if (this.nodes * 2 > this.table.length) this.grow();
    return c;
  }

  private grow() {
    const size = this.table.length * 2;
    this.table = new Int32Array(size);
    this.mask = size - 1;
    for (let c = 1; c < this.nodes; c++) {
      let h = slot(this.parent[c]!, this.group[c]!) & this.mask;
      while (this.table[h] !== 0) h = (h + 1) & this.mask;
      this.table[h] = c + 1;
    }
  }

  /** Root-first frames of a node's stack (shared: callers must not change the array). */
  stack(node: number): Frame[] {
    const have = this.frames[node];
    if (have) return have;
    const out: Frame[] = [];
    // The node's group is the rootmost line; its parent chain goes toward the leaf.
    for (let c = node; c > 0; c = this.parent[c]!) {
      const g = this.groups[this.group[c]!]!;
      for (let k = 0; k < g.length; k++) out.push(g[k]!);
    }
    this.frames[node] = out;
    return out;
  }
}

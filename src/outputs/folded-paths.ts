/**
 * Call paths of timed slices, for the folded output: a trie with one node per distinct path and
 * a weight per node (typed arrays, `folded-nodes.ts`), so a call costs one hash probe at its
 * entry and one array update at its exit; path strings are built once, at the end, in sorted
 * order.
 *
 * A synthesised enclosing slice (an exit whose entry is not in the trace) arrives after the calls
 * it encloses, which were folded as outermost calls. The timelines draw those calls under it, so
 * the folded paths must too. Each track therefore keeps its latest outermost calls apart, each
 * under an anchor of its own (a node with no name), until `RECENT` newer ones have begun; then it
 * is merged into the track's settled calls. An enclosing slice takes the recent calls that began
 * at or after its start, or every call of the track since the last such slice when it began
 * before all of them. Only an enclosing slice that starts among more than `RECENT` calls and
 * after the track's first leaves the older ones where they are.
 *
 * Memory: nodes freed by merges are reused, so it grows with the distinct paths of each track
 * (plus the recent calls' own nodes), never with the number of calls. Nothing recurses over
 * the depth of the input.
 */
import { NameTable, NodeTable } from './folded-nodes.js';

/** Outermost calls per track kept apart, so an enclosing slice can still take them. */
const RECENT = 256;

interface Segment {
  anchor: number;
  /** Start of its first outermost call. */
  first: number;
}

interface TrackRoots {
  settled: number;
  settledFirst: number;
  recent: Segment[];
}

export class TimedPaths {
  readonly names = new NameTable();
  private nodes = new NodeTable();
  private readonly tracks = new Map<number, TrackRoots>();
  /** The merged paths, once asked for (the per-track table is dropped then: the input has ended). */
  private done: MergedPaths | undefined;

  constructor() {
    this.nodes.add(-1, 0, false);
  }

  /** Adds to a node's weight (ns for self/total, or a count). */
  addWeight(node: number, w: number): void {
    this.nodes.weight[node]! += w;
  }

  /** The child of `node` named by the interned name `name` (`names.id`). */
  child(node: number, name: number): number {
    return this.nodes.child(node, name);
  }

  private anchor(): number {
    return this.nodes.add(0, 0, false);
  }

  private roots(track: number): TrackRoots {
    let t = this.tracks.get(track);
    if (!t) this.tracks.set(track, (t = { settled: this.anchor(), settledFirst: Infinity, recent: [] }));
    return t;
  }

  /** The node of an outermost call of `track` named `name` beginning at `ts`. */
  outermost(track: number, name: number, ts: number): number {
    const t = this.roots(track);
    const seg = { anchor: this.anchor(), first: ts };
    t.recent.push(seg);
    if (t.recent.length > RECENT) {
      const old = t.recent.shift()!;
      t.settledFirst = Math.min(t.settledFirst, old.first);
      this.nodes.mergeChildren(t.settled, old.anchor);
    }
    return this.child(seg.anchor, name);
  }

  /**
   * The node of a synthesised enclosing slice of `track` beginning at `start`: the outermost
   * calls that began at or after it become its children.
   */
  enclosing(track: number, name: number, start: number): number {
    const t = this.roots(track);
    const seg = { anchor: this.anchor(), first: start };
    const node = this.child(seg.anchor, name);
    let from = t.recent.length;
    if (start <= t.settledFirst && (t.recent.length === 0 || start <= t.recent[0]!.first)) {
      this.nodes.mergeChildren(node, t.settled);
      t.settled = this.anchor();
      t.settledFirst = Infinity;
      from = 0;
    } else {
      while (from > 0 && t.recent[from - 1]!.first >= start) from--;
    }
    for (let i = from; i < t.recent.length; i++) this.nodes.mergeChildren(node, t.recent[i]!.anchor);
    t.recent.length = from;
    t.recent.push(seg);
    return node;
  }

  /**
   * Every path of every track merged into one trie (anchors and tracks dropped, weights summed
   * per path), ready to be walked in sorted order.
   */
  merged(): MergedPaths {
    if (this.done) return this.done;
    const src = this.nodes;
    let cap = 1024;
    while (cap <= src.live) cap *= 2;
    const m = new MergedPaths(this.names, cap);
    const work: number[] = [];
    for (const t of this.tracks.values()) {
      work.push(t.settled, 0);
      for (const s of t.recent) work.push(s.anchor, 0);
    }
    while (work.length) {
      const into = work.pop()!;
      const n = work.pop()!;
      for (let c = src.first[n]!; c !== -1; c = src.next[c]!) {
        const d = m.nodes.child(into, src.name[c]!);
        m.nodes.weight[d]! += src.weight[c]!;
        work.push(c, d);
      }
    }
    this.done = m;
    this.nodes = new NodeTable(1);
    this.tracks.clear();
    return m;
  }
}

/** Paths merged over tracks: walked depth first with siblings in the order of the path text. */
export class MergedPaths {
  readonly nodes: NodeTable;

  constructor(
    private readonly names: NameTable,
    capacity: number,
  ) {
    this.nodes = new NodeTable(capacity);
    this.nodes.add(-1, 0, false);
  }

  /**
   * Every path with a non-zero weight and its weight, in JavaScript string order of the path text
   * (`a;b` sorted as `sort()` sorts the joined strings). A node's own path is the prefix of its
   * children's, so it comes first; a sibling whose name extends this one's with a character
   * below `;` sorts between the node's own path and its children's, so each node is two items,
   * its own path (key `name`) and its children (key `name;`), sorted together.
   */
  *entries(): Generator<[string, number]> {
    const { first, next, name, weight } = this.nodes;
    const names = this.names.names;
    // Work items: node id, whether it stands for the node's own path (0) or its children (1),
    // and the node's path text (built once per node, shared by its children's texts).
    const nodes: number[] = [0];
    const whats: number[] = [1];
    const texts: string[] = [''];
    const items: { key: string; node: number; what: number }[] = [];
    while (nodes.length) {
      const n = nodes.pop()!;
      const what = whats.pop()!;
      const text = texts.pop()!;
      if (what === 0) {
        yield [text, weight[n]!];
        continue;
      }
      items.length = 0;
      for (let c = first[n]!; c !== -1; c = next[c]!) {
        const nm = names[name[c]!]!;
        if (weight[c]! !== 0) items.push({ key: nm, node: c, what: 0 });
        if (first[c]! !== -1) items.push({ key: `${nm};`, node: c, what: 1 });
      }
      // Pushed last first, so they are taken in ascending order.
      items.sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0));
      for (const it of items) {
        const nm = names[name[it.node]!]!;
        nodes.push(it.node);
        whats.push(it.what);
        texts.push(n === 0 ? nm : `${text};${nm}`);
      }
    }
  }
}

/** A plain trie of call paths (one node per distinct path), for outputs that rank whole paths. */
export class PathTrie {
  private readonly table = new NameTable();
  private readonly nodes = new NodeTable();

  constructor() {
    this.nodes.add(-1, 0, false);
  }

  child(node: number, name: string): number {
    return this.nodes.child(node, this.table.id(name));
  }

  /** Frame names root first. */
  names(node: number): string[] {
    const parts: string[] = [];
    for (let n = node; n > 0; n = this.nodes.parent[n]!) parts.push(this.table.names[this.nodes.name[n]!]!);
    return parts.reverse();
  }

  path(node: number): string {
    return this.names(node).join(';');
  }
}

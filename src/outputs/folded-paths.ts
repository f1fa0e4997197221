/**
 * Call paths of timed slices, for the folded output: a trie with one node per distinct path and
 * a weight per node (typed arrays, `folded-nodes.ts`), so a call costs one hash probe at its
 * entry and one array update at its exit; path strings are built once, at the end, in sorted
 * order.
 *
 * A synthesised enclosing slice (an exit whose entry is not in the trace) arrives after the calls
 * it encloses, which were folded as outermost calls. The timelines draw those calls under it, so
 * the folded paths must too. Every outermost call goes straight under its track's root, and each
 * track keeps a log of the weights added for its latest `RECENT` outermost calls (node, weight),
 * at most `LOG_MAX` of them. An enclosing slice takes the recent calls that began at or after its
 * start: their logged weights are taken off their nodes and put on the same paths under it. When
 * it began before all of the track's calls, it takes the whole track (the root's children move
 * under it). Only an enclosing slice that starts among calls older than the log and after the
 * track's first leaves those older calls where they are.
 *
 * Memory: the trie grows with the distinct paths of each track, never with the number of calls;
 * the logs are bounded. Nothing recurses over the depth of the input.
 */
import { NameTable, NodeTable } from './folded-nodes.js';

/** Outermost calls per track an enclosing slice can still take. */
const RECENT = 256;
/** Weights logged per track for them (a call past it cannot be taken). */
const LOG_MAX = 1 << 18;

/** One track's root and the log of its recent outermost calls. */
export class TrackPaths {
  /** Start of the first call that left the log (can no longer be taken alone). */
  settledFirst = Infinity;
  /** Recent outermost calls, oldest first from `head`: start and first log entry. */
  readonly firsts: number[] = [];
  readonly ats: number[] = [];
  head = 0;
  logNode = new Int32Array(256);
  logWeight = new Float64Array(256);
  logLen = 0;
  /** False while the current outermost call outgrew the log. */
  logging = true;

  constructor(public root: number) {}

  get recent(): number {
    return this.firsts.length - this.head;
  }

  /** Drops the oldest recent call (it stays where it is, under the root). */
  settleOldest(): void {
    this.settledFirst = Math.min(this.settledFirst, this.firsts[this.head]!);
    this.head++;
    // The settled calls' entries and the list's dead front go, now and then, in one move.
    if (this.head >= RECENT) this.compact();
  }

  /** Every recent call settled and the log emptied (the current call is no longer logged). */
  settleAll(): void {
    for (let i = this.head; i < this.firsts.length; i++) this.settledFirst = Math.min(this.settledFirst, this.firsts[i]!);
    this.firsts.length = this.ats.length = this.head = 0;
    this.logLen = 0;
  }

  log(node: number, w: number): void {
    if (!this.logging || this.recent === 0) return;
    if (this.logLen === this.logNode.length) {
      if (this.logLen >= LOG_MAX) {
        // The log is full: the older calls settle; if the current one alone fills it, it too.
        if (this.recent > 1) {
          while (this.recent > 1) this.settleOldest();
          this.compact();
        }
        if (this.logLen >= LOG_MAX) {
          this.settleAll();
          this.logging = false;
          return;
        }
      } else {
        const n = new Int32Array(this.logLen * 2);
        n.set(this.logNode);
        this.logNode = n;
        const w2 = new Float64Array(this.logLen * 2);
        w2.set(this.logWeight);
        this.logWeight = w2;
      }
    }
    this.logNode[this.logLen] = node;
    this.logWeight[this.logLen++] = w;
  }

  /** Moves the log's live part (from the oldest recent call) to its front. */
  private compact(): void {
    const from = this.recent > 0 ? this.ats[this.head]! : this.logLen;
    this.logNode.copyWithin(0, from, this.logLen);
    this.logWeight.copyWithin(0, from, this.logLen);
    this.logLen -= from;
    this.firsts.splice(0, this.head);
    this.ats.splice(0, this.head);
    for (let i = 0; i < this.ats.length; i++) this.ats[i]! -= from;
    this.head = 0;
  }
}

export class TimedPaths {
  readonly names = new NameTable();
  private nodes = new NodeTable();
  private readonly tracks = new Map<number, TrackPaths>();
  /** The merged paths, once asked for (the per-track table is dropped then: the input has ended). */
  private done: MergedPaths | undefined;

  constructor(private readonly recentMax = RECENT) {
    this.nodes.add(-1, 0, false);
  }

  /** Adds to a node's weight (ns for self/total, or a count), logged for the track's recent calls. */
  addWeight(t: TrackPaths, node: number, w: number): void {
    this.nodes.weight[node]! += w;
    t.log(node, w);
  }

  /** The child of `node` named by the interned name `name` (`names.id`). */
  child(node: number, name: number): number {
    return this.nodes.child(node, name);
  }

  private anchor(): number {
    return this.nodes.add(0, 0, false);
  }

  /** The paths of one track (made on first use). */
  track(track: number): TrackPaths {
    let t = this.tracks.get(track);
    if (!t) this.tracks.set(track, (t = new TrackPaths(this.anchor())));
    return t;
  }

  /** The node of an outermost call of track `t` named `name` beginning at `ts`. */
  outermost(t: TrackPaths, name: number, ts: number): number {
    this.recentCall(t, ts);
    return this.child(t.root, name);
  }

  private recentCall(t: TrackPaths, ts: number) {
    if (t.recent >= this.recentMax) t.settleOldest();
    t.firsts.push(ts);
    t.ats.push(t.logLen);
    t.logging = true;
  }

  /**
   * The node of a synthesised enclosing slice of track `t` beginning at `start`: the outermost
   * calls that began at or after it become its children.
   */
  enclosing(t: TrackPaths, name: number, start: number): number {
    const nodes = this.nodes;
    if (start <= t.settledFirst && (t.recent === 0 || start <= t.firsts[t.head]!)) {
      // Before every call of the track: all of them move under it (ids kept: it has no children yet).
      const root = this.anchor();
      const node = this.child(root, name);
      nodes.mergeChildren(node, t.root);
      t.root = root;
      t.settleAll();
      t.settledFirst = Infinity;
      this.recentCall(t, start);
      return node;
    }
    let from = t.firsts.length;
    while (from > t.head && t.firsts[from - 1]! >= start) from--;
    const at = from < t.firsts.length ? t.ats[from]! : t.logLen;
    const n = t.logLen - at;
    // The taken calls' weights, with their paths below the root (names, outermost first).
    const moved: { names: number[]; w: number }[] = [];
    for (let i = at; i < at + n; i++) {
      const names: number[] = [];
      for (let k = t.logNode[i]!; k !== t.root; k = nodes.parent[k]!) names.push(nodes.name[k]!);
      moved.push({ names: names.reverse(), w: t.logWeight[i]! });
      nodes.weight[t.logNode[i]!]! -= t.logWeight[i]!;
    }
    t.firsts.length = t.ats.length = from;
    t.logLen = at;
    this.recentCall(t, start);
    const node = this.child(t.root, name);
    for (const m of moved) {
      let k = node;
      for (const nm of m.names) k = this.child(k, nm);
      this.addWeight(t, k, m.w);
    }
    return node;
  }

  /**
   * Every path of every track merged into one trie (tracks dropped, weights summed per path),
   * ready to be walked in sorted order.
   */
  merged(): MergedPaths {
    if (this.done) return this.done;
    const src = this.nodes;
    let cap = 1024;
    while (cap <= src.live) cap *= 2;
    const m = new MergedPaths(this.names, cap);
    const work: number[] = [];
    for (const t of this.tracks.values()) work.push(t.root, 0);
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

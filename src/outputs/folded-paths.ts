/**
 * Call paths of timed slices, for the folded output: a trie with one node per distinct path and
 * a weight per node, so a call costs one small map lookup at its entry and one array update at
 * its exit; path strings are built at the end.
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
  private readonly parent: number[] = [-1];
  private readonly name: string[] = [''];
  private readonly children: Map<string, number>[] = [new Map()];
  /** node → ns (self/total) or count. */
  readonly weight: number[] = [0];
  private readonly free: number[] = [];
  private readonly tracks = new Map<number, TrackRoots>();

  private add(parent: number, name: string): number {
    const id = this.free.pop();
    if (id !== undefined) {
      this.parent[id] = parent;
      this.name[id] = name;
      this.children[id]!.clear();
      this.weight[id] = 0;
      return id;
    }
    const c = this.parent.length;
    this.parent.push(parent);
    this.name.push(name);
    this.children.push(new Map());
    this.weight.push(0);
    return c;
  }

  child(node: number, name: string): number {
    const m = this.children[node]!;
    let c = m.get(name);
    if (c === undefined) m.set(name, (c = this.add(node, name)));
    return c;
  }

  /** Moves every child of `from` under `to`, adding weights where a path exists in both; frees `from`. */
  private mergeChildren(to: number, from: number): void {
    const work: [number, number][] = [[to, from]];
    while (work.length) {
      const [dst, src] = work.pop()!;
      const into = this.children[dst]!;
      for (const [n, c] of this.children[src]!) {
        const d = into.get(n);
        if (d === undefined) {
          this.parent[c] = dst;
          into.set(n, c);
        } else {
          this.weight[d]! += this.weight[c]!;
          this.weight[c] = 0;
          work.push([d, c]);
        }
      }
      this.children[src]!.clear();
      if (src !== to) this.free.push(src);
    }
  }

  private roots(track: number): TrackRoots {
    let t = this.tracks.get(track);
    if (!t) this.tracks.set(track, (t = { settled: this.add(0, ''), settledFirst: Infinity, recent: [] }));
    return t;
  }

  /** The node of an outermost call of `track` named `name` beginning at `ts`. */
  outermost(track: number, name: string, ts: number): number {
    const t = this.roots(track);
    const seg = { anchor: this.add(0, ''), first: ts };
    t.recent.push(seg);
    if (t.recent.length > RECENT) {
      const old = t.recent.shift()!;
      t.settledFirst = Math.min(t.settledFirst, old.first);
      this.mergeChildren(t.settled, old.anchor);
    }
    return this.child(seg.anchor, name);
  }

  /**
   * The node of a synthesised enclosing slice of `track` beginning at `start`: the outermost
   * calls that began at or after it become its children.
   */
  enclosing(track: number, name: string, start: number): number {
    const t = this.roots(track);
    const seg = { anchor: this.add(0, ''), first: start };
    const node = this.child(seg.anchor, name);
    let from = t.recent.length;
    if (start <= t.settledFirst && (t.recent.length === 0 || start <= t.recent[0]!.first)) {
      this.mergeChildren(node, t.settled);
      t.settled = this.add(0, '');
      t.settledFirst = Infinity;
      from = 0;
    } else {
      while (from > 0 && t.recent[from - 1]!.first >= start) from--;
    }
    for (let i = from; i < t.recent.length; i++) this.mergeChildren(node, t.recent[i]!.anchor);
    t.recent.length = from;
    t.recent.push(seg);
    return node;
  }

  /** The folded path of a node (`a;b;c`). */
  path(node: number): string {
    const parts: string[] = [];
    for (let n = node; n > 0; n = this.parent[n]!) if (this.name[n] !== '') parts.push(this.name[n]!);
    return parts.reverse().join(';');
  }
}

/** A plain trie of call paths (one node per distinct path), for outputs that rank whole paths. */
export class PathTrie {
  private readonly parent: number[] = [-1];
  private readonly name: string[] = [''];
  private readonly children: Map<string, number>[] = [new Map()];

  child(node: number, name: string): number {
    const m = this.children[node]!;
    let c = m.get(name);
    if (c === undefined) {
      c = this.parent.length;
      this.parent.push(node);
      this.name.push(name);
      this.children.push(new Map());
      m.set(name, c);
    }
    return c;
  }

  /** Frame names root first. */
  names(node: number): string[] {
    const parts: string[] = [];
    for (let n = node; n > 0; n = this.parent[n]!) parts.push(this.name[n]!);
    return parts.reverse();
  }

  path(node: number): string {
    return this.names(node).join(';');
  }
}

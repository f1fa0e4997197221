/**
 * Folded paths → the frames of a flame graph: one frame per distinct call path prefix, sized by
 * the weight under it, siblings in name order (as FlameGraph draws sorted folded input), and
 * frames narrower than the minimum width merged with their narrow neighbours (`--minwidth`).
 */
import type { FrameKind } from '../folded.js';

export type DrawnKind = FrameKind | 'merged' | 'root';

export interface FlameFrame {
  name: string;
  kind: DrawnKind;
  depth: number;
  /** Start and width in weight units (the root spans [0, total)). */
  x: number;
  w: number;
  /** Weight of the path itself (not of its children). */
  self: number;
  /** Differential graphs: weight change of this path (second profile minus first). */
  delta?: number;
  /** A merged frame: how many frames it stands for. */
  merged?: number;
}

interface Node {
  name: string;
  self: number;
  value: number;
  delta: number;
  children: Map<string, Node>;
}

export interface TreeOptions {
  /**
   * Weights are inclusive (`--weight total`): a path's weight already holds its children's, so
   * a frame is as wide as its own weight, or its children's sum when that is larger.
   */
  inclusive?: boolean;
  /** Frames narrower than this share of the root are merged (FlameGraph's 0.1 px of 1200). */
  minShare?: number;
  kinds?: ReadonlyMap<string, FrameKind>;
  /** Differential: path → weight in the first profile. */
  before?: ReadonlyMap<string, number>;
}

export interface FlameTree {
  frames: FlameFrame[];
  total: number;
  maxDepth: number;
  /** Frames folded into merged frames or left out for being too narrow. */
  mergedFrames: number;
}

function node(name: string): Node {
  return { name, self: 0, value: 0, delta: 0, children: new Map() };
}

function sum(n: Node, inclusive: boolean): number {
  let c = 0;
  for (const ch of n.children.values()) c += sum(ch, inclusive);
  n.value = inclusive ? Math.max(n.self, c) : n.self + c;
  if (inclusive) n.self = n.value - c;
  return n.value;
}

export function buildFlameTree(lines: ReadonlyMap<string, number>, opts: TreeOptions = {}): FlameTree {
  const root = node('all');
  const insert = (path: string, w: number, d: number) => {
    let n = root;
    for (const part of path.split(';')) {
      let c = n.children.get(part);
      if (!c) n.children.set(part, (c = node(part)));
      n = c;
    }
    n.self += w;
    n.delta += d;
  };
  const paths = new Set(lines.keys());
  if (opts.before) for (const p of opts.before.keys()) paths.add(p);
  for (const p of [...paths].sort()) {
    const w = lines.get(p) ?? 0;
    insert(p, w, opts.before ? w - (opts.before.get(p) ?? 0) : 0);
  }
  const total = sum(root, opts.inclusive === true);
  const min = total * (opts.minShare ?? 0);
  const frames: FlameFrame[] = [];
  let maxDepth = 0;
  let mergedFrames = 0;
  const count = (n: Node): number => {
    let k = 1;
    for (const c of n.children.values()) k += count(c);
    return k;
  };
  // Iterative walk: call paths can be 512 frames deep and there may be millions of them.
  const todo: { n: Node; depth: number; x: number }[] = [{ n: root, depth: 0, x: 0 }];
  while (todo.length) {
    const { n, depth, x } = todo.pop()!;
    const kind: DrawnKind = depth === 0 ? 'root' : (opts.kinds?.get(n.name) ?? 'kernel');
    const f: FlameFrame = { name: n.name, kind, depth, x, w: n.value, self: n.self };
    if (opts.before) f.delta = n.delta;
    frames.push(f);
    if (depth > maxDepth) maxDepth = depth;
    const kids = [...n.children.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    let cx = x;
    const next: { n: Node; depth: number; x: number }[] = [];
    for (let i = 0; i < kids.length; ) {
      const c = kids[i]!;
      if (c.value === 0) {
        i++;
        continue;
      }
      if (c.value >= min) {
        next.push({ n: c, depth: depth + 1, x: cx });
        cx += c.value;
        i++;
        continue;
      }
      // A run of narrow siblings: one merged frame when together they are wide enough.
      let w = 0;
      let k = 0;
      let hidden = 0;
      const x0 = cx;
      while (i < kids.length && kids[i]!.value < min) {
        w += kids[i]!.value;
        hidden += count(kids[i]!);
        k++;
        i++;
      }
      cx += w;
      mergedFrames += hidden;
      if (w >= min && w > 0) {
        frames.push({ name: `${k} frames`, kind: 'merged', depth: depth + 1, x: x0, w, self: w, merged: hidden });
        if (depth + 1 > maxDepth) maxDepth = depth + 1;
      }
    }
    for (let i = next.length - 1; i >= 0; i--) todo.push(next[i]!);
  }
  return { frames, total, maxDepth, mergedFrames };
}

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

interface Open {
  name: string;
  depth: number;
  x: number;
  self: number;
  /** Sum of the closed children's widths. */
  children: number;
  delta: number;
  /** Its place in the output, reserved when it opens (parents come before their children). */
  slot: number;
  /** Frames under it, drawn or not. */
  under: number;
}

/** Element-wise order of frame lists: siblings by name, each subtree one contiguous run. */
function compareFrames(a: string[], b: string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return a.length - b.length;
}

/**
 * One pass over the paths in frame order, with the stack of open frames: a frame closes when
 * a path leaves it, and is then as wide as its own weight plus its children's. No node per
 * distinct prefix is kept, so a million frames cost a million small objects only while open.
 */
export function buildFlameTree(lines: ReadonlyMap<string, number>, opts: TreeOptions = {}): FlameTree {
  const inclusive = opts.inclusive === true;
  const keys = new Set(lines.keys());
  if (opts.before) for (const p of opts.before.keys()) keys.add(p);
  const paths = [...keys].map((p) => ({ p, f: p.split(';') })).sort((a, b) => compareFrames(a.f, b.f));
  // Widths are known only at the end, so the minimum is applied in a second, cheap pass over
  // the root's total: first sum every path.
  let total = 0;
  if (!inclusive) for (const p of paths) total += lines.get(p.p) ?? 0;
  const frames: FlameFrame[] = [];
  let maxDepth = 0;
  let zero = 0;
  const rootOpen = (): Open => ({ name: 'all', depth: 0, x: 0, self: 0, children: 0, delta: 0, slot: -1, under: 0 });
  const stack: Open[] = [rootOpen()];
  const HOLE = undefined as unknown as FlameFrame;
  /** Per depth: the run of narrow closed siblings waiting to be merged. */
  const runs: { x: number; w: number; k: number; under: number }[] = [];
  let min = 0;
  const flushRun = (depth: number) => {
    const r = runs[depth];
    if (!r) return;
    runs[depth] = undefined as never;
    if (r.w >= min && r.w > 0) {
      frames.push({ name: `${r.k} frames`, kind: 'merged', depth, x: r.x, w: r.w, self: r.w, merged: r.under });
      if (depth > maxDepth) maxDepth = depth;
    }
  };
  const close = () => {
    const o = stack.pop()!;
    flushRun(o.depth + 1);
    const w = inclusive ? Math.max(o.self, o.children) : o.self + o.children;
    const self = inclusive ? w - o.children : o.self;
    const parent = stack[stack.length - 1]!;
    parent.children += w;
    parent.under += o.under + 1;
    if (w === 0) {
      frames.length = o.slot;
      zero += o.under + 1;
      return;
    }
    if (w < min) {
      // Narrow: it and everything under it become part of a merged run of siblings.
      frames.length = o.slot;
      const r = runs[o.depth];
      if (r) {
        r.w += w;
        r.k++;
        r.under += o.under + 1;
      } else runs[o.depth] = { x: o.x, w, k: 1, under: o.under + 1 };
      return;
    }
    flushRun(o.depth);
    const kind: DrawnKind = opts.kinds?.get(o.name) ?? 'kernel';
    const f: FlameFrame = { name: o.name, kind, depth: o.depth, x: o.x, w, self };
    if (opts.before) f.delta = o.delta;
    frames[o.slot] = f;
    if (o.depth > maxDepth) maxDepth = o.depth;
  };
  const pass = () => {
    for (const { p, f } of paths) {
      let common = 0;
      while (common < f.length && common + 1 < stack.length && stack[common + 1]!.name === f[common]) common++;
      while (stack.length > common + 1) close();
      for (let i = common; i < f.length; i++) {
        const parent = stack[stack.length - 1]!;
        stack.push({ name: f[i]!, depth: i + 1, x: parent.x + parent.children, self: 0, children: 0, delta: 0, slot: frames.length, under: 0 });
        frames.push(HOLE);
      }
      const leaf = stack[stack.length - 1]!;
      const w = lines.get(p) ?? 0;
      leaf.self += w;
      if (opts.before) leaf.delta += w - (opts.before.get(p) ?? 0);
    }
    while (stack.length > 1) close();
    flushRun(1);
  };
  if (inclusive) {
    // Inclusive weights: the total is the root's width, known after one pass without merging.
    pass();
    const root = stack[0]!;
    total = root.children;
    frames.length = 0;
    maxDepth = 0;
    zero = 0;
    runs.length = 0;
    stack[0] = rootOpen();
  }
  min = total * (opts.minShare ?? 0);
  pass();
  const root = stack[0]!;
  const rootFrame: FlameFrame = { name: 'all', kind: 'root', depth: 0, x: 0, w: root.children, self: 0 };
  if (opts.before) rootFrame.delta = root.delta;
  let drawn = 0;
  for (const f of frames) if (f.kind !== 'merged') drawn++;
  frames.unshift(rootFrame);
  return { frames, total: root.children, maxDepth, mergedFrames: root.under - drawn - zero };
}

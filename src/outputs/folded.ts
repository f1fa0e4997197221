/**
 * Brendan Gregg's folded stacks (`root;...;leaf weight`), the input of flamegraph.pl, inferno,
 * speedscope and Perfetto's collapsed-stack importer.
 *
 * Slices (function and syscall calls) are folded by their call path on each thread; stack
 * samples (call traces, histograms) add their weight. Weights are integers:
 * - `self` (default for timed input): microseconds spent in the frame itself, i.e. a call's
 *   duration minus its direct children's, summed per path and rounded at the end;
 * - `total`: microseconds from entry to exit of every call on the path;
 * - `count`: number of calls (or stack observations).
 * Lines are sorted; memory grows with the number of distinct paths only.
 */
import type { Frame, TraceEvent, TraceInfo } from '../model/events.js';
import { isSynthesizedName } from '../model/slices.js';
import { CAT } from '../model/events.js';
import { plainInteger } from '../model/time.js';
import { frameLabel } from './common.js';
import { TimedPaths, type TrackPaths } from './folded-paths.js';
import type { FoldedWeight, OutputAdapter, OutputOptions, OutputWriter } from './types.js';

const FOLDED_CATS = new Set<string>([CAT.function, CAT.syscall]);

/** A frame printed with its module, `func [mod]`. */
const MODULE_SUFFIX = / \[[\w.-]+\]$/;

function token(name: string): string {
  // A frame needs a name: a path of empty names would leave a line with only its weight.
  if (name === '') return '[unknown]';
  // `;` separates frames and the last space separates the weight: keep both out of names.
  if (name.indexOf(';') === -1 && name.indexOf('\n') === -1 && name.indexOf('\r') === -1) return name;
  return name.replace(/;/g, ':').replace(/[\r\n]+/g, ' ');
}

/**
 * Profiler samples by path, as a trie keyed by frame object: inputs hand out the same Frame
 * object for a frame line they have seen, so a sample costs one identity lookup per frame
 * instead of building and hashing its path string. Equal names under different objects are
 * merged when the paths are written.
 */
class FrameTrie {
  private readonly roots = new Map<string, number>();
  private readonly kids: Map<Frame, number>[] = [];
  private readonly parent: number[] = [];
  private readonly label: string[] = [];
  private readonly weight: number[] = [];

  private node(parent: number, label: string): number {
    const id = this.parent.length;
    this.parent.push(parent);
    // Names as the input printed them (stackcollapse-perf's output), but a carriage return
    // (a stray one inside a line) would end the folded line for many readers.
    this.label.push(label.indexOf('\r') === -1 ? label : label.replace(/\r+/g, ' '));
    this.weight.push(0);
    this.kids.push(new Map());
    return id;
  }

  /**
   * The leaf node of the latest (root, frames) added with each frames array: inputs share one
   * array among the samples of one stack, so a repeated stack costs one lookup, not one per frame.
   */
  private readonly leaves = new WeakMap<readonly Frame[], { root: string; node: number }>();

  /** Adds `w` to the path; true when this frames array had not been seen with this root. */
  add(root: string, frames: readonly Frame[], w: number): boolean {
    const known = this.leaves.get(frames);
    if (known !== undefined && known.root === root) {
      this.weight[known.node]! += w;
      return false;
    }
    let n: number | undefined = this.roots.get(root);
    if (n === undefined) this.roots.set(root, (n = this.node(-1, root)));
    for (const f of frames) {
      const m: Map<Frame, number> = this.kids[n]!;
      let c: number | undefined = m.get(f);
      if (c === undefined) m.set(f, (c = this.node(n, f.name)));
      n = c;
    }
    this.weight[n]! += w;
    if (known !== undefined) {
      known.root = root;
      known.node = n;
    } else this.leaves.set(frames, { root, node: n });
    return true;
  }

  get size(): number {
    return this.parent.length;
  }

  each(fn: (path: string, weight: number) => void) {
    for (let n = 0; n < this.parent.length; n++) {
      if (this.weight[n] === 0) continue;
      const parts: string[] = [];
      for (let k = n; k >= 0; k = this.parent[k]!) parts.push(this.label[k]!);
      fn(parts.reverse().join(';'), this.weight[n]!);
    }
  }
}

/** What drew a frame, for viewers that colour frames by origin. Kernel frames are not listed. */
export type FrameKind = 'kernel' | 'module' | 'user' | 'synthesized' | 'unreliable';

/**
 * The folded aggregation: events in, `path → weight` out. The folded writer prints it; the
 * flame graph outputs draw it, so both show the same numbers.
 */
export class FoldedStacks {
  /** Call paths of slices, weighted in ns (self/total) or calls. */
  private readonly paths = new TimedPaths();
  /** Per track: the path node of each open frame, and the track's paths. */
  private readonly stacks = new Map<number, { open: number[]; paths: TrackPaths }>();
  /** path → weight of stack samples. */
  private readonly counted = new Map<string, number>();
  /** Summed periods of profiler samples, by path. */
  private readonly profiled = new FrameTrie();
  readonly weight: FoldedWeight;
  /** Frames that are not plain kernel functions, by their token (first kind seen wins). */
  readonly kinds = new Map<string, FrameKind>();
  /** Slices were folded (weights are times or call counts); stack samples were (counts). */
  sliced = false;
  sampled = false;
  /** The input's description, when it sent one. */
  info: TraceInfo | undefined;
  /** What a slice name folds to, worked out once per distinct name. */
  private readonly names = new Map<string, { tok: string; id: number; synthesized: boolean; module: boolean }>();

  constructor(weight: FoldedWeight | undefined) {
    this.weight = weight ?? 'self';
  }

  private kind(tok: string, k: FrameKind) {
    if (!this.kinds.has(tok)) this.kinds.set(tok, k);
  }

  push(events: TraceEvent[]): void {
    for (const e of events) {
      if (e.kind === 'begin') {
        if (!FOLDED_CATS.has(e.cat)) continue;
        let ts = this.stacks.get(e.track);
        if (!ts) this.stacks.set(e.track, (ts = { open: [], paths: this.paths.track(e.track) }));
        const st = ts.open;
        let nm = this.names.get(e.name);
        if (nm === undefined) {
          const tok = token(e.name);
          nm = { tok, id: this.paths.names.id(tok), synthesized: isSynthesizedName(e.name), module: MODULE_SUFFIX.test(tok) };
          this.names.set(e.name, nm);
        }
        // A synthesised enclosing slice arrives after its children: it is a new root, not a child.
        if (e.depth < st.length) st.length = e.depth;
        if (nm.synthesized) this.kind(nm.tok, 'synthesized');
        else if (this.info?.format === 'lttng-text' && e.cat === CAT.function) this.kind(nm.tok, 'user');
        else if (nm.module) this.kind(nm.tok, 'module');
        if (st.length > 0) st.push(this.paths.child(st[st.length - 1]!, nm.id));
        else if (nm.synthesized) st.push(this.paths.enclosing(ts.paths, nm.id, e.ts));
        else st.push(this.paths.outermost(ts.paths, nm.id, e.ts));
      } else if (e.kind === 'end') {
        if (!FOLDED_CATS.has(e.cat)) continue;
        const ts = this.stacks.get(e.track);
        if (!ts || ts.open.length === 0) continue;
        const node = ts.open.pop()!;
        const w = this.weight === 'self' ? e.selfNs : this.weight === 'total' ? e.ts - e.start : 1;
        this.paths.addWeight(ts.paths, node, w);
        this.sliced = true;
      } else if (e.kind === 'sample') {
        if (e.profile) {
          // Profiler samples (perf): the process label above the root, periods summed; names
          // are already folded-safe (the input applied FlameGraph's tidy rules).
          if (this.profiled.add(e.profile.root, e.frames, e.profile.period)) {
            for (const f of e.frames) if (f.name.endsWith('_[j]') || f.name.endsWith('_[i]')) this.kind(f.name, 'user');
          }
          this.sampled = true;
          continue;
        }
        if (e.frames.length === 0) continue;
        const path = e.frames
          .map((f) => {
            const tok = token(frameLabel(f));
            if (f.unreliable) this.kind(tok, 'unreliable');
            else if (f.module) this.kind(tok, 'module');
            else if (f.context === 'user') this.kind(tok, 'user');
            return tok;
          })
          .join(';');
        this.counted.set(path, (this.counted.get(path) ?? 0) + e.weight);
        this.sampled = true;
      } else if (e.kind === 'info') this.info = e;
    }
  }

  /** Every path with a positive weight, in folded units (us, calls or samples). */
  lines(): Map<string, number> {
    const lines = new Map<string, number>();
    const toUnit = this.weight === 'count' ? (v: number) => v : (v: number) => Math.round(v / 1000);
    // Summed per path before rounding: a path has a node on every track it was seen on.
    for (const [p, v] of this.paths.merged().entries()) {
      const w = toUnit(v);
      if (w > 0) lines.set(p, w);
    }
    for (const [p, v] of this.counted) lines.set(p, (lines.get(p) ?? 0) + v);
    this.profiled.each((p, v) => lines.set(p, (lines.get(p) ?? 0) + v));
    return lines;
  }

  /** Only slices were folded: the paths can be streamed from the trie in sorted order. */
  onlySliced(): boolean {
    return this.counted.size === 0 && this.profiled.size === 0;
  }

  /** Slice paths with their summed raw weights (ns or calls), in sorted order, one at a time. */
  slicePaths(): Generator<[string, number]> {
    return this.paths.merged().entries();
  }

  /** Paths in the folded file's order: byte order of the UTF-8 text, as `sort` and Perl's `cmp`. */
  sortedPaths(lines: Map<string, number>): string[] {
    const keys = [...lines.keys()];
    // UTF-16 order differs from byte order only for characters beyond U+FFFF.
    if (this.profiled.size > 0 && keys.some((k) => /[\ud800-\udfff]/.test(k))) keys.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    else keys.sort();
    return keys;
  }

  /** What a weight counts: `us` (self or total time), `calls`, or `samples`. */
  unit(): string {
    if (!this.sliced) return 'samples';
    return this.weight === 'count' ? (this.sampled ? 'calls and samples' : 'calls') : 'us';
  }
}

class FoldedWriter implements OutputWriter {
  private readonly stacks: FoldedStacks;

  constructor(opts: OutputOptions) {
    this.stacks = new FoldedStacks(opts.weight);
  }

  push(events: TraceEvent[]): null {
    this.stacks.push(events);
    return null;
  }

  end(): string {
    let out = '';
    for (const part of this.endChunks()) out += part;
    return out;
  }

  /** The folded text in pieces of about 1 MiB, paths in sorted order, built one by one. */
  *endChunks(): Generator<string> {
    if (!this.stacks.onlySliced()) {
      const lines = this.stacks.lines();
      let out = '';
      // Weights are always plain integers: folded readers take `\d+` only.
      for (const k of this.stacks.sortedPaths(lines)) {
        out += `${k} ${plainInteger(lines.get(k)!)}\n`;
        if (out.length >= CHUNK) {
          yield out;
          out = '';
        }
      }
      if (out) yield out;
      return;
    }
    const parts: string[] = [];
    let size = 0;
    const toUnit = this.stacks.weight === 'count' ? (v: number) => v : (v: number) => Math.round(v / 1000);
    for (const [p, v] of this.stacks.slicePaths()) {
      const w = toUnit(v);
      if (w <= 0) continue;
      const line = `${p} ${plainInteger(w)}\n`;
      parts.push(line);
      size += line.length;
      if (size >= CHUNK) {
        yield parts.join('');
        parts.length = 0;
        size = 0;
      }
    }
    if (parts.length) yield parts.join('');
  }
}

/** Characters per piece of streamed folded text. */
const CHUNK = 1 << 20;

export const folded: OutputAdapter = {
  name: 'folded',
  description: 'folded stacks for flame graphs (speedscope, Perfetto UI)',
  extensions: ['.folded', '.collapsed'],
  binary: false,
  createWriter: (o) => new FoldedWriter(o),
};

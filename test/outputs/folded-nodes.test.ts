import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NodeTable } from '../../src/outputs/folded-nodes.js';
import { TimedPaths } from '../../src/outputs/folded-paths.js';

/** The paths of a table below `root`: path of names → summed weight (a model to compare with). */
function pathsOf(t: NodeTable, roots: number[]): Map<string, number> {
  const out = new Map<string, number>();
  const work: [number, string][] = roots.map((r) => [r, '']);
  while (work.length) {
    const [n, p] = work.pop()!;
    for (let c = t.first[n]!; c !== -1; c = t.next[c]!) {
      const path = `${p}/${t.name[c]}`;
      // Every child is found again by its (parent, name): the hash and the lists agree.
      expect(t.find(n, t.name[c]!)).toBe(c);
      expect(t.parent[c]).toBe(n);
      if (t.weight[c] !== 0) out.set(path, (out.get(path) ?? 0) + t.weight[c]!);
      work.push([c, path]);
    }
  }
  return out;
}

describe('NodeTable', () => {
  it('keeps paths and weights through random inserts and merges (against a map model)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ op: fc.constant('add' as const), root: fc.nat(3), path: fc.array(fc.nat(5), { minLength: 1, maxLength: 6 }), w: fc.integer({ min: 1, max: 9 }) }),
            fc.record({ op: fc.constant('merge' as const), to: fc.nat(3), from: fc.nat(3) }),
          ),
          { maxLength: 120 },
        ),
        (ops) => {
          const t = new NodeTable(4);
          t.add(-1, 0, false);
          const roots = [0, 1, 2, 3].map(() => t.add(0, 0, false));
          const model = roots.map(() => new Map<string, number>());
          for (const o of ops) {
            if (o.op === 'add') {
              let n = roots[o.root]!;
              let p = '';
              for (const name of o.path) {
                n = t.child(n, name + 1);
                p += `/${name + 1}`;
              }
              t.weight[n]! += o.w;
              model[o.root]!.set(p, (model[o.root]!.get(p) ?? 0) + o.w);
            } else if (o.to !== o.from) {
              t.mergeChildren(roots[o.to]!, roots[o.from]!);
              // `from` is freed: a fresh root takes its place, empty.
              roots[o.from] = t.add(0, 0, false);
              for (const [p, w] of model[o.from]!) model[o.to]!.set(p, (model[o.to]!.get(p) ?? 0) + w);
              model[o.from] = new Map();
            }
          }
          roots.forEach((r, k) => expect(pathsOf(t, [r])).toEqual(model[k]));
          // Merged-away nodes are freed: exactly one live node per distinct prefix (and the 5 roots).
          const prefixes = new Set<string>();
          for (const m of model) for (const p of m.keys()) for (let i = p.indexOf('/', 1); ; i = p.indexOf('/', i + 1)) {
            prefixes.add(`${model.indexOf(m)}${i === -1 ? p : p.slice(0, i)}`);
            if (i === -1) break;
          }
          expect(t.live).toBe(prefixes.size + 5);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('TimedPaths', () => {
  it('walks merged paths in the order sort() gives their texts, names with characters below `;` included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(2), fc.array(fc.constantFrom('a', 'a.b', 'ab', 'a b', 'a0', 'b', 'A', 'é', '\u{1F600}x'), { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 5 })), { maxLength: 60 }),
        (calls) => {
          const tp = new TimedPaths();
          const want = new Map<string, number>();
          for (const [track, names, w] of calls) {
            let n = tp.outermost(tp.track(track), tp.names.id(names[0]!), 0);
            for (const nm of names.slice(1)) n = tp.child(n, tp.names.id(nm));
            tp.addWeight(tp.track(track), n, w);
            const p = names.join(';');
            want.set(p, (want.get(p) ?? 0) + w);
          }
          const got = [...tp.merged().entries()];
          expect(got.map(([p]) => p)).toEqual([...want.keys()].sort());
          expect(new Map(got)).toEqual(want);
        },
      ),
      { numRuns: 300 },
    );
  });
});

/**
 * The rule of folded-paths.ts for synthesised enclosing slices, written plainly: per track the
 * settled paths and the recent outermost calls (each with its own paths); an enclosing slice
 * takes the recent calls that began at or after it, or the whole track when it began before all.
 */
class EnclosingModel {
  private readonly tracks = new Map<number, { settled: Map<string, number>; settledFirst: number; recent: { first: number; paths: Map<string, number> }[] }>();
  constructor(private readonly recentMax: number) {}
  private t(track: number) {
    let t = this.tracks.get(track);
    if (!t) this.tracks.set(track, (t = { settled: new Map(), settledFirst: Infinity, recent: [] }));
    return t;
  }
  private static add(into: Map<string, number>, from: Map<string, number>, prefix = '') {
    for (const [p, w] of from) into.set(prefix + p, (into.get(prefix + p) ?? 0) + w);
  }
  private push(track: number, first: number) {
    const t = this.t(track);
    if (t.recent.length >= this.recentMax) {
      const old = t.recent.shift()!;
      t.settledFirst = Math.min(t.settledFirst, old.first);
      EnclosingModel.add(t.settled, old.paths);
    }
    const c = { first, paths: new Map<string, number>() };
    t.recent.push(c);
    return c;
  }
  call(track: number, ts: number, names: string[], weights: number[]) {
    const c = this.push(track, ts);
    names.forEach((_, i) => EnclosingModel.add(c.paths, new Map([[names.slice(0, i + 1).join(';'), weights[i]!]])));
  }
  enclosing(track: number, start: number, name: string, w: number) {
    const t = this.t(track);
    const taken = new Map<string, number>();
    if (start <= t.settledFirst && (t.recent.length === 0 || start <= t.recent[0]!.first)) {
      EnclosingModel.add(taken, t.settled);
      for (const r of t.recent) EnclosingModel.add(taken, r.paths);
      t.settled = new Map();
      t.settledFirst = Infinity;
      t.recent = [];
    } else {
      let from = t.recent.length;
      while (from > 0 && t.recent[from - 1]!.first >= start) from--;
      for (const r of t.recent.splice(from)) EnclosingModel.add(taken, r.paths);
    }
    const c = this.push(track, start);
    EnclosingModel.add(c.paths, taken, `${name};`);
    EnclosingModel.add(c.paths, new Map([[name, w]]));
  }
  paths(): Map<string, number> {
    const out = new Map<string, number>();
    for (const t of this.tracks.values()) {
      EnclosingModel.add(out, t.settled);
      for (const r of t.recent) EnclosingModel.add(out, r.paths);
    }
    for (const [p, w] of out) if (w === 0) out.delete(p);
    return out;
  }
}

describe('TimedPaths and synthesised enclosing slices', () => {
  it.each([
    [80, 2000],
    // Past 256 settled calls a track's log is compacted.
    [900, 60],
  ])('moves exactly the calls the rule says under each enclosing slice (against a plain model; %i operations, %i runs)', (maxOps, runs) => {
    const name = fc.constantFrom('a', 'b', 'c');
    const op = fc.oneof(
      { weight: 4, arbitrary: fc.record({ op: fc.constant('call' as const), track: fc.nat(1), ts: fc.nat(40), names: fc.array(name, { minLength: 1, maxLength: 3 }), w: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 3, maxLength: 3 }) }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('enc' as const), track: fc.nat(1), ts: fc.nat(40), names: fc.array(name, { minLength: 1, maxLength: 1 }), w: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 1 }) }) },
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(op, { maxLength: maxOps }), (recentMax, ops) => {
        const tp = new TimedPaths(recentMax);
        const model = new EnclosingModel(recentMax);
        for (const o of ops) {
          const t = tp.track(o.track);
          if (o.op === 'call') {
            const nodes = [tp.outermost(t, tp.names.id(o.names[0]!), o.ts)];
            for (const nm of o.names.slice(1)) nodes.push(tp.child(nodes[nodes.length - 1]!, tp.names.id(nm)));
            // Ends arrive innermost first.
            for (let i = nodes.length - 1; i >= 0; i--) tp.addWeight(t, nodes[i]!, o.w[i]!);
            model.call(o.track, o.ts, o.names, o.w);
          } else {
            tp.addWeight(t, tp.enclosing(t, tp.names.id(o.names[0]!), o.ts), o.w[0]!);
            model.enclosing(o.track, o.ts, o.names[0]!, o.w[0]!);
          }
        }
        const got = new Map([...tp.merged().entries()].filter(([, w]) => w !== 0));
        expect(got).toEqual(model.paths());
      }),
      { numRuns: runs },
    );
  });
});

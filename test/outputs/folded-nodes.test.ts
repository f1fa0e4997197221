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
            let n = tp.outermost(track, tp.names.id(names[0]!), 0);
            for (const nm of names.slice(1)) n = tp.child(n, tp.names.id(nm));
            tp.addWeight(n, w);
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

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layers of `src/`, lowest first. A module may import from its own layer and lower ones,
 * never from a higher one; inputs and outputs are peers that never import each other.
 */
const LAYERS: Record<string, number> = {
  model: 0,
  'version.ts': 0,
  inputs: 1,
  outputs: 1,
  analyses: 2,
  pipeline: 3,
  fuzz: 4,
  bench: 4,
  cli: 5,
  'index.ts': 6,
};

const SRC = path.resolve('src');
const IMPORT = /(?:^|\n)\s*(?:import|export)(?:\s+type)?[^'";]*?\bfrom\s*['"](\.[^'"]+)['"]|\bimport\(\s*['"](\.[^'"]+)['"]\s*\)|(?:^|\n)\s*import\s+['"](\.[^'"]+)['"]/g;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out.sort();
}

/** Every relative import of every module (type-only ones too: a type cycle is still a cycle). */
function importGraph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const f of sourceFiles(SRC)) {
    const text = fs.readFileSync(f, 'utf8');
    const deps = new Set<string>();
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3];
      deps.add(path.resolve(path.dirname(f), spec).replace(/\.js$/, '.ts'));
    }
    g.set(f, [...deps]);
  }
  return g;
}

const layerOf = (f: string) => path.relative(SRC, f).split(path.sep)[0];
const rel = (f: string) => path.relative(SRC, f);

/** Strongly connected components of more than one module (Tarjan, iterative). */
function cycles(g: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const found: string[][] = [];
  let next = 0;
  for (const root of g.keys()) {
    if (index.has(root)) continue;
    const work: Array<[string, number]> = [[root, 0]];
    while (work.length) {
      const top = work[work.length - 1];
      const [v, i] = top;
      if (i === 0) {
        index.set(v, next);
        low.set(v, next++);
        stack.push(v);
        onStack.add(v);
      }
      const deps = (g.get(v) ?? []).filter((d) => g.has(d));
      if (i < deps.length) {
        top[1]++;
        const w = deps[i];
        if (!index.has(w)) work.push([w, 0]);
        else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const u = work[work.length - 1][0];
        low.set(u, Math.min(low.get(u)!, low.get(v)!));
      }
      if (low.get(v) === index.get(v)) {
        const c: string[] = [];
        for (;;) {
          const w = stack.pop()!;
          onStack.delete(w);
          c.push(rel(w));
          if (w === v) break;
        }
        if (c.length > 1) found.push(c.sort());
      }
    }
  }
  return found;
}

describe('the layers of src/', () => {
  const g = importGraph();

  it('reads every module and its imports', () => {
    expect(g.size).toBeGreaterThan(100);
    const model = [...g.keys()].find((f) => rel(f) === path.join('model', 'slices.ts'))!;
    expect(g.get(model)!.map(rel)).toContain(path.join('model', 'sink.ts'));
  });

  it('knows the layer of every top-level folder and file', () => {
    const unknown = [...new Set([...g.keys()].map(layerOf))].filter((l) => !(l in LAYERS));
    expect(unknown).toEqual([]);
  });

  it('has no import from a lower layer to a higher one, and no input importing an output or back', () => {
    const bad: string[] = [];
    for (const [f, deps] of g) {
      const a = layerOf(f);
      for (const d of deps) {
        if (!g.has(d)) continue;
        const b = layerOf(d);
        const peers = a !== b && (a === 'inputs' || a === 'outputs') && (b === 'inputs' || b === 'outputs');
        if (LAYERS[b] > LAYERS[a] || peers) bad.push(`${rel(f)} → ${rel(d)}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('has no import circle between modules', () => {
    expect(cycles(g)).toEqual([]);
  });

  it('finds a circle when there is one', () => {
    const a = path.join(SRC, 'x', 'a.ts');
    const b = path.join(SRC, 'x', 'b.ts');
    const c = path.join(SRC, 'x', 'c.ts');
    expect(cycles(new Map([[a, [b]], [b, [c]], [c, [a]]]))).toEqual([[rel(a), rel(b), rel(c)].sort()]);
    expect(cycles(new Map([[a, [b]], [b, [c]], [c, []]]))).toEqual([]);
  });

  it('keeps every module of src/ at most 420 lines', () => {
    const long = [...g.keys()]
      .map((f) => [rel(f), fs.readFileSync(f, 'utf8').split('\n').length] as const)
      .filter(([, n]) => n > 420);
    expect(long).toEqual([]);
  });

  it('keeps `process` out of the pure layers and of the CLI commands (only cli/io.ts and cli/main.ts)', () => {
    const uses = [...g.keys()]
      .filter((f) => /\bprocess\s*\.\s*[a-zA-Z]/.test(fs.readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')))
      .map(rel);
    const pure = uses.filter((f) => ['model', 'inputs', 'outputs', 'analyses'].includes(f.split(path.sep)[0]));
    const cli = uses.filter((f) => f.startsWith(`cli${path.sep}`) && !['io.ts', 'main.ts'].includes(path.basename(f)));
    expect({ pure, cli }).toEqual({ pure: [], cli: [] });
  });
});

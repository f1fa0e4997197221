import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { functionGraph, type FgLine, type TokenizeState } from '../../../src/inputs/function-graph/index.js';
import { ByteInterner, emptyLine, tokenizeBytes } from '../../../src/inputs/function-graph/bytes.js';
import { tokenizeGeneral } from '../../../src/inputs/function-graph/tokenize.js';
import { functionGraphText } from '../../../src/bench/gen-function-graph.js';
import { CORPUS, SAMPLES } from '../../support/convert-helpers.js';
import { parseBytes, parseText } from '../../support/parse-runs.js';

const st = (): TokenizeState => ({ lastCpu: -1, sawCpu: false });

/** A line's fields without the absent ones (the byte path's record keeps every key). */
function fields(l: FgLine): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(l)) if (v !== undefined) o[k] = v;
  return o;
}

const names = new ByteInterner();
const comms = new ByteInterner();

/** The byte path's reading of one line, or null when it leaves the line to the general path. */
function fast(line: string): FgLine | null {
  const buf = Buffer.from(line, 'latin1');
  const rec = emptyLine();
  return tokenizeBytes(buf, 0, buf.length, 7, st(), rec, names, comms) ? rec : null;
}

const viaText = (text: string) => parseText(functionGraph, text);
const viaBytes = (text: string, sizes: number[]) => parseBytes(functionGraph, text, {}, sizes);

function inputs(): [string, string][] {
  const out: [string, string][] = [];
  const dir = path.join(SAMPLES, 'function-graph');
  for (const f of fs.readdirSync(dir).sort()) out.push([`samples/${f}`, fs.readFileSync(path.join(dir, f), 'utf8')]);
  for (const sub of ['function_graph', 'function_graph_kernel']) {
    const d = path.join(CORPUS, sub);
    if (!fs.existsSync(d)) continue;
    for (const f of fs.readdirSync(d).sort()) if (f.endsWith('.txt')) out.push([`${sub}/${f}`, fs.readFileSync(path.join(d, f), 'utf8')]);
  }
  return out;
}

const generated = (() => {
  let s = '';
  for (const part of functionGraphText(400_000, 7)) s += part;
  return s;
})();

describe('function_graph byte path', () => {
  it('reads a line exactly as the general path does, whenever it reads it (every sample, corpus file, generated line)', () => {
    let read = 0;
    for (const [name, text] of [...inputs(), ['generated', generated] as [string, string]]) {
      const all = text.split('\n');
      // Big captures repeat themselves: every 4th line of them is plenty.
      const step = all.length > 20_000 ? 4 : 1;
      for (let n = 0; n < all.length; n += step) {
        const line = all[n]!;
        const l = line.endsWith('\r') ? line.slice(0, -1) : line;
        if (/[^\x00-\x7f]/.test(l)) continue; // never handed to the byte path
        const f = fast(l);
        if (!f) continue;
        read++;
        const g = tokenizeGeneral(l, 7, st());
        expect(fields(f), `${name}: ${l}`).toEqual(fields(g as FgLine));
      }
    }
    // The fast path must carry the common layouts, not just exist.
    // Without the corpus beside the project (a fresh clone alone), the samples and the generated
    // text still give thousands.
    expect(read).toBeGreaterThan(fs.existsSync(path.join(CORPUS, 'function_graph')) ? 10_000 : 5_000);
  });

  it('reads the common layouts itself: tracefs with and without task and time, trace-cmd report, modules, tails', () => {
    for (const l of [
      ' 0)   2.488 us    |      } /* _raw_spin_lock */',
      ' 1)               |  SyS_recvfrom() {',
      ' 0) + 11.173 us   |          }',
      '   48.743574 |   0)               |                  kmem_cache_free() {',
      ' 0)  kt-work-406   |   1.550 us    |          __rcu_read_lock();',
      ' 2)               |  ext4_file_read_iter [ext4]() {',
      ' 2)   0.300 us    |  } /* kmem_cache_free() */',
      '     kt-workload-4809  [001]   593.526808: funcgraph_entry:      + 28.625 us  |  mutex_unlock();',
      '       trace-cmd-4807  [000]   593.528725: funcgraph_exit:       + 23.434 us  |        }',
    ]) {
      expect(fast(l), l).not.toBeNull();
      expect(fields(fast(l)!), l).toEqual(fields(tokenizeGeneral(l, 7, st()) as FgLine));
    }
  });

  it('leaves every other layout to the general path', () => {
    for (const l of [
      '# tracer: function_graph',
      ' ------------------------------------------',
      ' 0)  kt-work-406  =>  cat-2606  ',
      ' 0)   ==========> |',
      ' 0)               |  /* a comment */',
      ' 1)   0.235 us    |      fget_light(); /* ret=0 */',
      ' 0)               |  f(a=1) {',
      '    fg-a.dat:      kworker/u8:2-1824  [000]   376.021152: funcgraph_entry:        1.000 us   |  f();',
      '  bash-1507  [001]   376.036934: funcgraph_exit:       + 39.839 us  |    } /* vfs_read */ (2)',
      '  bash-1507  [001]   376.036934: sched_switch: prev_comm=bash',
      ' 0)   1.5. us    |  f();',
    ])
      expect(fast(l), l).toBeNull();
  });

  it('agrees with the general path on mutated fast-path lines', () => {
    const base = [
      ' 0)   2.488 us    |      } /* _raw_spin_lock */',
      '   48.743574 |   0)  kt-work-406   |   1.550 us    |          __rcu_read_lock();',
      '     kt-workload-4809  [001] d..2.  593.526808: funcgraph_entry:      + 28.625 us  |  mutex_unlock [mod]() {',
      '       trace-cmd-4807  [000]   593.528725: funcgraph_exit:       + 23.434 us  |        } /* foo() */',
      ' 2)   0.300 us    |  } /* kmem_cache_free [ab-c 1f]() */',
      ' 11) ! 158.568 us  |    aa_file_perm.isra.0();',
    ];
    const alphabet = [' ', '|', ')', '(', '{', '}', ';', '-', '.', ':', '[', ']', '/', '*', '0', '9', 'a', 'us', '+', '#', '\t', '=', '>'];
    fc.assert(
      fc.property(
        fc.constantFrom(...base),
        fc.array(fc.tuple(fc.nat(), fc.nat(2), fc.constantFrom(...alphabet)), { maxLength: 4 }),
        (line, edits) => {
          let s = line;
          for (const [at, op, ch] of edits) {
            const i = at % (s.length + 1);
            s = op === 0 ? s.slice(0, i) + ch + s.slice(i) : op === 1 ? s.slice(0, i) + s.slice(i + 1) : s.slice(0, i) + ch + s.slice(i + 1);
          }
          const f = fast(s);
          if (f) expect(fields(f), s).toEqual(fields(tokenizeGeneral(s, 7, st()) as FgLine));
        },
      ),
      { numRuns: 50_000 },
    );
  });

  it('gives the text path events and diagnostics on every sample and corpus file, whatever the read sizes', () => {
    const r = fc.sample(fc.array(fc.integer({ min: 1, max: 70_000 }), { minLength: 1, maxLength: 5 }), { numRuns: 40, seed: 12 });
    let k = 0;
    for (const [name, text] of [...inputs(), ['generated', generated] as [string, string]]) {
      const want = viaText(text);
      for (const sizes of [[65_536], [1], [7], r[k++ % r.length]!]) {
        // Tiny reads of megabytes are slow, and the small files show every boundary.
        if (sizes[0]! < 10 && text.length > 200_000) continue;
        const got = viaBytes(text, sizes);
        expect(got.events, `${name} in reads of ${sizes.join(',')}`).toEqual(want.events);
        expect(got.diags, `${name} in reads of ${sizes.join(',')}`).toEqual(want.diags);
      }
    }
  });
});

describe.skipIf(!fs.existsSync(path.join(CORPUS, 'function_graph_kernel')))('function_graph byte path on the kernel captures', () => {
  it('reads most lines of real captures itself', () => {
    for (const f of ['debian-6.1__fg-default.txt', 'debian-6.1__tracecmd-report-fg.txt', 'debian-6.1__fg-proc.txt', 'debian-6.1__fg-abstime.txt']) {
      const lines = fs.readFileSync(path.join(CORPUS, 'function_graph_kernel', f), 'latin1').split('\n');
      const read = lines.filter((l) => fast(l) !== null).length;
      expect(read / lines.length, f).toBeGreaterThan(0.9);
    }
  });
});

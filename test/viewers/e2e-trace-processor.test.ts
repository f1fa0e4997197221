/**
 * End-to-end: Chrome JSON and Perfetto outputs of every function_graph sample, and the Perfetto
 * output of every real kernel capture in the corpus, loaded into Google's Perfetto trace
 * processor and checked with SQL against the input.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS, HAVE_CORPUS, SAMPLES, run, samplesOf } from '../support/convert-helpers.js';
import { chromeMaxDepth, countCalls } from '../support/fg-oracle.js';
import { queryTrace } from '../support/trace-processor.js';

const Q_COUNT = `select count(*) as n from slice where category = 'function'`;
const Q_DEPTH = `select max(depth) as d from slice where category = 'function'`;
const Q_TOTALS = `select name, sum(dur) as total from slice where category = 'function' group by name order by name`;

/** Per-function total duration from our own CSV output. */
function csvTotals(csv: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of csv.split('\r\n').slice(1)) {
    if (!line.startsWith('slice,')) continue;
    const cells = line.split(',');
    if (cells[9] !== 'function') continue;
    const name = cells[8]!;
    out[name] = (out[name] ?? 0) + Number(cells[2]);
  }
  return out;
}

describe('function_graph samples in the Perfetto trace processor', () => {
  for (const sample of samplesOf('function-graph')) {
    it.concurrent(sample, async () => {
      const file = path.join(SAMPLES, 'function-graph', sample);
      const text = fs.readFileSync(file, 'utf8');
      const json = await run(file, 'chrome-json');
      const pb = await run(file, 'perfetto');
      const csv = await run(file, 'csv');
      const synthesized = json.result.diagnostics['function-graph.unmatched-exit'] ?? 0;
      const calls = countCalls(text);
      expect(calls).toBeGreaterThan(0);
      const totals = csvTotals(csv.text);
      const depth = chromeMaxDepth(json.text);
      for (const [kind, bytes] of [
        ['chrome-json', json.out],
        ['perfetto', pb.out],
      ] as const) {
        const r = await queryTrace(bytes, [Q_COUNT, Q_DEPTH, Q_TOTALS]);
        expect(r.ok, `${kind}: ${r.error}`).toBe(true);
        expect(r.importErrors, kind).toEqual([]);
        expect(r.rows[0]![0]!.n, `${kind}: slices = calls + synthesised`).toBe(calls + synthesized);
        expect(r.rows[1]![0]!.d, `${kind}: max depth`).toBe(depth);
        const tp = Object.fromEntries(r.rows[2]!.map((row) => [row.name, row.total]));
        expect(tp, `${kind}: total duration per function`).toEqual(totals);
        if (kind === 'perfetto') expect(r.infoDrops, kind).toEqual([]);
      }
    });
  }
});

const KERNEL = path.join(CORPUS, 'function_graph_kernel');
const kernelFiles = HAVE_CORPUS ? fs.readdirSync(KERNEL).filter((f) => f.endsWith('.txt')).sort() : [];

describe.skipIf(!HAVE_CORPUS)('real kernel captures (corpus) in the Perfetto trace processor', () => {
  for (const f of kernelFiles) {
    it(f, async () => {
      const file = path.join(KERNEL, f);
      const text = fs.readFileSync(file, 'utf8');
      const pb = await run(file, 'perfetto');
      const synthesized = pb.result.diagnostics['function-graph.unmatched-exit'] ?? 0;
      const r = await queryTrace(pb.out, [Q_COUNT]);
      expect(r.ok, r.error).toBe(true);
      expect(r.importErrors).toEqual([]);
      expect(r.infoDrops).toEqual([]);
      expect(r.rows[0]![0]!.n).toBe(countCalls(text) + synthesized);
    });
  }
});

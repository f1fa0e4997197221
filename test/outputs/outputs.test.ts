import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvText } from '../../src/outputs/csv.js';
import { perfettoSchema } from '../../src/outputs/perfetto/index.js';
import { convert } from '../../src/pipeline/convert.js';
import { functionGraphText } from '../../src/bench/gen-function-graph.js';
import { CORPUS, HAVE_CORPUS, SAMPLES, lines, run, samplesOf } from '../support/convert-helpers.js';

/** A small RFC 4180 reader, for checking what we write. */
function parseCsv(s: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  let quoted = false;
  while (i < s.length) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else cell += c;
      i++;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && s[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
    i++;
  }
  return rows;
}

describe('csv', () => {
  it('property: any text survives quoting, and formula starts are defused', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
        const parsed = parseCsv(`${csvText(s)},x\r\n`);
        expect(parsed).toHaveLength(1);
        const back = parsed[0]![0]!;
        if (/^[=+\-@\t\r\n＝＋－＠]/.test(s)) expect(back).toBe(`'${s}`);
        else expect(back).toBe(s);
      }),
      { numRuns: 500 },
    );
  });
  it('has the documented header and one row per call, with names containing commas and quotes intact', async () => {
    const { text } = await run(
      lines(`
 0)               |  a() {
 0)               |    /* say "hi", then =SUM(A1) */
 0)   1.000 us    |    b();
 0)   2.000 us    |  }
`),
      'csv',
    );
    const rows = parseCsv(text);
    expect(rows[0]).toEqual(['kind', 'ts_ns', 'dur_ns', 'cpu', 'pid', 'tid', 'comm', 'depth', 'name', 'category', 'value', 'stack', 'args']);
    expect(rows.slice(1).map((r) => [r[0], r[2], r[7], r[8], r[9]])).toEqual([
      // Time order, the parent first at equal times, then what is not a slice.
      ['slice', '2000', '0', 'a', 'function'],
      ['slice', '1000', '1', 'b', 'function'],
      ['instant', '', '', 'say "hi", then =SUM(A1)', 'marker'],
    ]);
  });
});

describe('perfetto', () => {
  it('decodes with the schema and re-encodes to the same bytes', async () => {
    const { out } = await run(path.join(SAMPLES, 'function-graph', 'proc-column-idle.txt'), 'perfetto');
    const Trace = perfettoSchema().lookupType('perfetto.protos.Trace');
    const msg = Trace.decode(out);
    expect(Buffer.compare(Buffer.from(Trace.encode(msg).finish()), Buffer.from(out))).toBe(0);
  });
  it('is smaller than the Chrome JSON for every sample, and at most a quarter of it for a trace of realistic size', async () => {
    for (const sample of samplesOf('function-graph')) {
      const file = path.join(SAMPLES, 'function-graph', sample);
      const pb = await run(file, 'perfetto');
      const js = await run(file, 'chrome-json');
      // Small pastes carry fixed costs (descriptors, one interned name per distinct function).
      expect(pb.out.length * 1.4, sample).toBeLessThanOrEqual(js.out.length);
    }
  });
  it('is at most a quarter of the Chrome JSON for a generated trace of 2 MB', async () => {
    const text = [...functionGraphText(2_000_000, 7)].join('');
    const pb = await run(Buffer.from(text), 'perfetto');
    const js = await run(Buffer.from(text), 'chrome-json');
    expect(pb.out.length * 4).toBeLessThanOrEqual(js.out.length);
  });
  it.skipIf(!HAVE_CORPUS)('is at most a quarter of the Chrome JSON for a real capture', async () => {
    const file = path.join(CORPUS, 'function_graph_kernel', 'debian-6.1__fg-proc.txt');
    const pb = await run(file, 'perfetto');
    const js = await run(file, 'chrome-json');
    expect(pb.out.length * 4).toBeLessThanOrEqual(js.out.length);
  });
});

describe('atomic output', () => {
  it('leaves no file behind when the conversion fails', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-atomic-'));
    const target = path.join(dir, 'out.json');
    const bad = (async function* () {
      yield new TextEncoder().encode(' 0)   1.000 us    |  a();\n');
      throw new Error('disk went away');
    })();
    await expect(convert({ input: bad, output: target })).rejects.toThrow(/disk went away/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
  it('replaces an existing output only when the new one is complete', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-atomic-'));
    const target = path.join(dir, 'out.folded');
    fs.writeFileSync(target, 'old 1\n');
    await convert({ input: lines(' 0)   1.000 us    |  a();\n'), output: target });
    expect(fs.readFileSync(target, 'utf8')).toBe('a 1\n');
    expect(fs.readdirSync(dir)).toEqual(['out.folded']);
  });
});

describe('bad input never kills a run', () => {
  it('binary garbage, a huge line, invalid UTF-8 and a cut-off file give diagnostics and valid output', async () => {
    const good = ' 0)               |  a() {\n 0)   1.000 us    |    b();\n';
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    const huge = 'x'.repeat(3 * 1024 * 1024);
    const input = Buffer.concat([
      Buffer.from('# tracer: function_graph\n' + good),
      garbage,
      Buffer.from(`\n${huge}\n`),
      Buffer.from([0xc3, 0x28, 0x0a, 0xff, 0xfe, 0x0a]),
      Buffer.from(' 0)   2.0'),
    ]);
    for (const to of ['chrome-json', 'perfetto', 'folded', 'csv']) {
      const r = await run(input, to, { from: 'function-graph' });
      const d = r.result.diagnostics;
      expect(d['input.long-line'], to).toBe(1);
      expect((d['input.binary'] ?? 0) + (d['input.invalid-utf8'] ?? 0), to).toBeGreaterThan(0);
      expect(d['function-graph.unclosed-entry'], to).toBe(1);
      if (to === 'chrome-json') expect(() => JSON.parse(r.text)).not.toThrow();
      if (to === 'folded') expect(r.text).toBe('a;b 1\n');
    }
  });
  it('an input that is no trace at all is an error naming what was tried', async () => {
    await expect(convert({ input: lines('hello\nworld\n'), to: 'csv' })).rejects.toThrow(/tried .*function-graph: no/);
  });
});

const fgCorpus = HAVE_CORPUS
  ? ['function_graph', 'function_graph_kernel'].flatMap((d) =>
      fs
        .readdirSync(path.join(CORPUS, d))
        .filter((f) => f.endsWith('.txt'))
        .map((f) => path.join(d, f)),
    )
  : [];

describe.skipIf(!HAVE_CORPUS)('every function_graph file of the corpus converts to every output', () => {
  for (const rel of fgCorpus) {
    it(rel, async () => {
      const file = path.join(CORPUS, rel);
      const text = fs.readFileSync(file, 'utf8');
      const nonBlank = text.split('\n').filter((l) => l.trim() !== '').length;
      for (const to of ['chrome-json', 'perfetto', 'folded', 'csv']) {
        const r = await run(file, to, { from: 'function-graph' });
        expect(r.out.length).toBeGreaterThan(0);
        // Every diagnostic names a real line of the file.
        for (const d of r.diags) expect(d.line).toBeLessThanOrEqual(text.split('\n').length);
        const unparsed = (r.result.diagnostics['function-graph.skipped-text'] ?? 0) + (r.result.diagnostics['function-graph.malformed-line'] ?? 0);
        expect(unparsed).toBeLessThan(nonBlank);
        if (to === 'chrome-json') expect(JSON.parse(r.text).traceEvents.length).toBeGreaterThan(0);
      }
    });
  }
});

/**
 * Writers use their output chunks again once the file sink reports them written: the file must
 * hold exactly what the same conversion gives in memory (where nothing is reported or reused).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFunctionGraph } from '../../src/bench/gen-function-graph.js';
import { generateLttngText } from '../../src/bench/gen-lttng.js';
import { convert } from '../../src/pipeline/convert.js';
import { run } from '../support/convert-helpers.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracebridge-reuse-'));

describe('output written to a file through reused chunks', () => {
  const cases: [string, string, (p: string, bytes: number) => Promise<unknown>][] = [
    ['function-graph', 'fg.txt', (p, b) => writeFunctionGraph(p, b)],
    ['lttng-text', 'lttng.txt', (p, b) => generateLttngText(p, b)],
  ];
  it.each(cases)('%s: the file is the output made in memory, for every output with several MB', async (from, name, gen) => {
    const input = path.join(dir, name);
    await gen(input, 12 << 20);
    for (const to of ['csv', 'chrome-json', 'perfetto']) {
      const mem = await run(input, to, { from });
      expect(mem.out.length, to).toBeGreaterThan(3 << 20);
      const file = path.join(dir, `out.${to}`);
      await convert({ input, to, from, output: file });
      expect(fs.readFileSync(file).equals(Buffer.from(mem.out)), to).toBe(true);
    }
  }, 120_000);
});

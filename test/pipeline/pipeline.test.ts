/**
 * The pipeline under load: inputs large enough that every stage meets backpressure (output
 * several times the size of the stream buffers) must run to the end, from a file and through
 * gzip, for the outputs that write the most bytes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFunctionGraph } from '../../src/bench/gen-function-graph.js';
import { convert } from '../../src/pipeline/convert.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-pipe-'));
const big = path.join(dir, 'big.txt');

beforeAll(async () => {
  await writeFunctionGraph(big, 40 * 1024 * 1024, 3);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('large inputs run to the end', () => {
  for (const to of ['perfetto', 'chrome-json']) {
    it(`40 MB file → ${to}`, async () => {
      const out = path.join(dir, `o.${to}`);
      const r = await convert({ input: big, to, output: out });
      expect(r.bytesIn).toBe(fs.statSync(big).size);
      expect(fs.statSync(out).size).toBe(r.bytesOut);
      expect(r.events).toBeGreaterThan(1_000_000);
    });
  }
  it('40 MB gzip → perfetto gives the same bytes as the plain file', async () => {
    const gz = path.join(dir, 'big.txt.gz');
    fs.writeFileSync(gz, gzipSync(fs.readFileSync(big)));
    const a = await convert({ input: big, to: 'perfetto', inputName: 'x' });
    const b = await convert({ input: gz, to: 'perfetto', inputName: 'x' });
    expect(Buffer.compare(Buffer.from(a.output!), Buffer.from(b.output!))).toBe(0);
  });
});

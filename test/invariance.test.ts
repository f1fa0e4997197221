/**
 * The same input must give byte-identical output however it arrives: auto-detected or named,
 * read 1, 7 or 4096 bytes at a time, gzip-compressed, from a file or from standard input.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { inputs } from '../src/inputs/registry.js';
import { outputs } from '../src/outputs/registry.js';
import { ROOT, SAMPLES, run, samplesOf } from './support/convert-helpers.js';
import { dumpPerfetto } from './support/perfetto-dump.js';
import { ensureBuilt } from './cli/batch/batch-helpers.js';

const chunked = (b: Uint8Array, n: number) =>
  (async function* () {
    for (let o = 0; o < b.length; o += n) yield b.subarray(o, o + n);
  })();

for (const a of inputs) {
  describe(`invariance ${a.name}`, () => {
    for (const sample of samplesOf(a.name)) {
      const file = path.join(SAMPLES, a.name, sample);
      it(`${sample}: auto = named, chunking 1/7/4096, gzip`, async () => {
        const bytes = new Uint8Array(fs.readFileSync(file));
        for (const o of outputs) {
          const base = (await run(file, o.name, { from: a.name, inputName: 'x' })).out;
          // Folded holds call paths only: an lttng-text trace of events without calls folds to nothing.
          if (o.name !== 'folded' || a.name !== 'lttng-text') expect(base.length, `${o.name} output is empty`).toBeGreaterThan(0);
          const auto = await run(file, o.name, { inputName: 'x' });
          expect(auto.result.from).toBe(a.name);
          expect(Buffer.compare(auto.out, base), `${o.name}: auto-detection differs`).toBe(0);
          // 1-byte chunks are slow on big samples: every output still checks 7 and 4096.
          for (const n of bytes.length <= 40_000 ? [1, 7, 4096] : [7, 4096]) {
            const r = await run(chunked(bytes, n), o.name, { from: a.name, inputName: 'x' });
            expect(Buffer.compare(r.out, base), `${o.name}: ${n}-byte chunks differ`).toBe(0);
          }
          const gz = await run(gzipSync(bytes), o.name, { from: a.name, inputName: 'x' });
          expect(Buffer.compare(gz.out, base), `${o.name}: gzip differs`).toBe(0);
        }
      });
    }
  });
}

describe('file and standard input through the CLI', () => {
  const cli = path.join(ROOT, 'dist/cli/main.js');
  beforeAll(async () => {
    await ensureBuilt();
  });
  const sample = path.join(SAMPLES, 'function-graph', 'context-switch-banners.txt');
  for (const o of outputs) {
    it(`${o.name}: file = stdin, deterministic across runs`, () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-inv-'));
      const ext = o.extensions[0]!;
      const a = spawnSync('node', [cli, 'convert', sample, '-o', path.join(dir, `a${ext}`), '-q'], { encoding: 'buffer' });
      expect(a.status, a.stderr.toString()).toBe(0);
      const b = spawnSync('node', [cli, 'convert', '-', '--to', o.name, '-o', '-', '-q'], { input: fs.readFileSync(sample) });
      expect(b.status, b.stderr.toString()).toBe(0);
      const c = spawnSync('node', [cli, 'convert', sample, '-o', path.join(dir, `c${ext}`), '-q']);
      expect(c.status).toBe(0);
      // The input name is recorded in metadata: compare after naming both the same way.
      const fileOut = fs.readFileSync(path.join(dir, `a${ext}`));
      const text = (buf: Buffer) => (o.name === 'perfetto' ? dumpPerfetto(buf) : buf.toString('utf8'));
      // (svg and html write it escaped, as `&lt;stdin&gt;`.)
      const norm = (buf: Buffer) => text(buf).split(sample).join('<in>').split('<stdin>').join('<in>').split('&lt;stdin&gt;').join('<in>');
      expect(norm(b.stdout)).toBe(norm(fileOut));
      expect(Buffer.compare(fs.readFileSync(path.join(dir, `c${ext}`)), fileOut)).toBe(0);
      expect(fs.readdirSync(dir).sort()).toEqual([`a${ext}`, `c${ext}`]);
      fs.rmSync(dir, { recursive: true, force: true });
    });
  }
});

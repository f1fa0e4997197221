/** `batch` takes the same filters as `convert`: every output equals convert()'s of the same file. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DIST, ensureBuilt } from './batch-helpers.js';
import { SAMPLES, run } from '../../support/convert-helpers.js';

type BatchModule = typeof import('../../../src/pipeline/batch/index.js');

describe('batch with filters', () => {
  let batch: BatchModule;
  beforeAll(async () => {
    ensureBuilt();
    batch = (await import(path.join(DIST, 'pipeline/batch/index.js'))) as BatchModule;
  }, 300_000);

  it('filters every input the same way convert does, and rejects a bad filter before starting', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-fbatch-'));
    try {
      const inDir = path.join(tmp, 'in');
      fs.mkdirSync(inDir);
      const files = ['function-graph/trace-cmd-report.txt', 'lttng-text/handmade-kernel-midnight-block-timers-ipi.txt', 'dmesg/kasan-allocated-freed-stacks.txt'];
      for (const f of files) fs.copyFileSync(path.join(SAMPLES, f), path.join(inDir, path.basename(f)));
      const filters = { tid: [4811, 4809, 12837], time: '..600' };
      const r = await batch.runBatch({ inputs: [inDir], out: path.join(tmp, 'out'), to: ['csv', 'folded'], jobs: 1, filters });
      expect(r.manifest.summary.converted).toBe(3);
      for (const f of files) {
        const base = path.basename(f).replace(/\.txt$/, '');
        for (const [fmt, ext] of [
          ['csv', 'csv'],
          ['folded', 'folded'],
        ]) {
          const want = (await run(path.join(SAMPLES, f), fmt!, { filters })).text;
          if (fmt === 'csv') expect(want).not.toBe((await run(path.join(SAMPLES, f), fmt)).text);
          expect(fs.readFileSync(path.join(tmp, 'out', `${base}.${ext}`), 'utf8'), `${f} ${fmt}`).toBe(want);
        }
      }
      await expect(batch.runBatch({ inputs: [inDir], out: path.join(tmp, 'out2'), filters: { time: 'soon' } })).rejects.toThrow(/bad --time/);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }, 300_000);
});

/**
 * Every lttng-text sample and corpus file gives Chrome JSON whose B/E pairs balance on every
 * thread (each E after its B, nothing left open), checked by the fuzzer's validator.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateChromeJson } from '../../../src/fuzz/validate.js';
import { CORPUS, run, SAMPLES } from '../../support/convert-helpers.js';

const list = (d: string) => (fs.existsSync(d) ? fs.readdirSync(d).filter((f) => f.endsWith('.txt')).sort().map((f) => path.join(d, f)) : []);
const samples = list(path.join(SAMPLES, 'lttng-text'));
const corpus = [...list(path.join(CORPUS, 'lttng_text')), ...list(path.join(CORPUS, 'lttng_text_generated'))];

describe('lttng-text Chrome JSON is balanced', () => {
  it.each(samples.map((p) => [path.basename(p), p]))('sample %s', async (_n, p) => {
    const r = await run(p, 'chrome-json', { from: 'lttng-text' });
    expect(validateChromeJson(r.out)).toBeNull();
  });
  describe.skipIf(corpus.length === 0)('corpus', () => {
    it.each(corpus.map((p) => [path.basename(p), p]))('%s', async (_n, p) => {
      const r = await run(p, 'chrome-json', { from: 'lttng-text' });
      expect(validateChromeJson(r.out)).toBeNull();
    });
  });
});

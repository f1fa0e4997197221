/**
 * Every sample × every output against its checked-in golden file. Goldens are written only with
 * UPDATE_GOLDEN=1 and are meant to be read: Perfetto output is compared as a text dump of the
 * decoded packets. A format without samples fails here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inputs } from '../src/inputs/registry.js';
import { outputs } from '../src/outputs/registry.js';
import { GOLDEN, SAMPLES, run, samplesOf } from './support/convert-helpers.js';
import { dumpPerfetto } from './support/perfetto-dump.js';
import { FLAME_SCRIPT } from '../src/outputs/flamegraph/script.js';

const UPDATE = process.env.UPDATE_GOLDEN === '1';

function goldenExt(name: string): string {
  if (name === 'perfetto') return 'pftrace.txt';
  const o = outputs.find((x) => x.name === name)!;
  return o.extensions[0]!.slice(1);
}

describe('every input format has samples', () => {
  for (const a of inputs) {
    it(a.name, () => {
      expect(samplesOf(a.name).length, `samples/${a.name}/ must hold at least one sample`).toBeGreaterThan(0);
    });
  }
});

for (const a of inputs) {
  describe(`golden ${a.name}`, () => {
    for (const sample of samplesOf(a.name)) {
      for (const o of outputs) {
        it(`${sample} → ${o.name}`, async () => {
          const { out, text } = await run(path.join(SAMPLES, a.name, sample), o.name, {
            from: a.name,
            inputName: `samples/${a.name}/${sample}`,
          });
          // The flame graph script is the same in every graph (and tested in Chromium): goldens keep the drawing.
          const actual = o.name === 'perfetto' ? dumpPerfetto(out) : o.name === 'svg' || o.name === 'html' ? text.replace(FLAME_SCRIPT, '/* src/outputs/flamegraph/script.ts */') : text;
          const file = path.join(GOLDEN, a.name, `${sample}.${goldenExt(o.name)}`);
          if (UPDATE) {
            fs.mkdirSync(path.dirname(file), { recursive: true });
            fs.writeFileSync(file, actual);
          }
          expect(fs.existsSync(file), `missing golden ${path.relative(process.cwd(), file)} (UPDATE_GOLDEN=1 writes it)`).toBe(true);
          expect(actual).toBe(fs.readFileSync(file, 'utf8'));
        });
      }
    }
  });
}

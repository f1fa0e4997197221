/**
 * The headline check: with `--compat stackcollapse`, folded output is byte-identical to the
 * output of FlameGraph's stackcollapse-perf.pl stored beside each real capture of
 * ../shared/corpus/perf_script (`<capture>.<options>.folded`, options as in its README).
 *
 * `inline`: the Perl asks addr2line about each user-space frame. The references were made where
 * addr2line added nothing (the workload binary gone, libc without debug information), and an
 * adapter runs no programs, so the compat `--inline` output is the frames as printed; it is
 * compared like the others, and the test checks that the reference equals the `default` one,
 * which is the condition under which that comparison means something.
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS, run } from '../../support/convert-helpers.js';
import { stackcollapseOptions as optionsFor } from '../../support/stackcollapse-options.js';

const dir = path.join(CORPUS, 'perf_script');

function cases(): { capture: string; opt: string; expected: string }[] {
  if (!fs.existsSync(dir)) return [];
  const out: { capture: string; opt: string; expected: string }[] = [];
  for (const f of fs.readdirSync(dir).sort()) {
    const m = /^(.+?)\.([^.]+)\.folded(\.gz)?$/.exec(f);
    if (!m) continue;
    const base = m[1]!;
    const capture = [`${base}.perf.txt`, `${base}.perf.txt.gz`].map((c) => path.join(dir, c)).find((c) => fs.existsSync(c));
    if (!capture) throw new Error(`no capture for ${f}`);
    out.push({ capture, opt: m[2]!, expected: path.join(dir, f) });
  }
  return out;
}

function readMaybeGz(p: string): Buffer {
  const b = fs.readFileSync(p);
  return p.endsWith('.gz') ? zlib.gunzipSync(b) : b;
}

describe.skipIf(!fs.existsSync(dir))('perf_script corpus: --compat stackcollapse equals stackcollapse-perf.pl', () => {
  const all = cases();
  it('walks every reference', () => {
    expect(all.length).toBeGreaterThanOrEqual(90);
  });
  for (const c of all) {
    it(`${path.basename(c.expected)}`, async () => {
      const { out } = await run(c.capture, 'folded', { from: 'perf-script', inputOptions: optionsFor(c.opt) });
      const expected = readMaybeGz(c.expected);
      const got = Buffer.from(out);
      if (!got.equals(expected)) {
        // A readable first difference before the byte comparison fails.
        const a = got.toString('utf8').split('\n');
        const b = expected.toString('utf8').split('\n');
        const i = a.findIndex((l, k) => l !== b[k]);
        expect(a[i], `first differing line ${i + 1}`).toBe(b[i]);
      }
      expect(got.equals(expected)).toBe(true);
      if (c.opt === 'inline') expect(expected.equals(readMaybeGz(c.expected.replace('.inline.', '.default.')))).toBe(true);
    });
  }
});

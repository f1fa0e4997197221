/**
 * The byte path of the perf-script input (callchain lines followed by their bytes, no string)
 * must give exactly the events and diagnostics of the text path, for both readings and every
 * option that changes what a frame line means, whatever the read sizes.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { perfScript } from '../../../src/inputs/perf-script/index.js';
import type { InputOptions } from '../../../src/inputs/types.js';
import type { TraceEvent } from '../../../src/model/events.js';
import { CORPUS, SAMPLES } from '../../support/convert-helpers.js';
import { parseBytes, parseText, type ParseRun } from '../../support/parse-runs.js';

type Run = ParseRun;
const viaText = (text: string, options: InputOptions) => parseText(perfScript, text, options);
const viaBytes = (text: string, options: InputOptions, sizes: number[]) => parseBytes(perfScript, text, options, sizes);

/** Samples as plain data (frames by name: the two runs share no Frame objects). */
function plain(r: Run): unknown {
  return {
    events: r.events.map((e) => (e.kind === 'sample' ? { ...e, frames: e.frames.map((f) => f.name) } : e)),
    diags: r.diags.map((d) => `${d.line} ${d.code} ${d.message ?? ''}`),
  };
}

function inputs(): [string, string][] {
  const out: [string, string][] = [];
  const dir = path.join(SAMPLES, 'perf-script');
  for (const f of fs.readdirSync(dir).sort()) out.push([`samples/${f}`, fs.readFileSync(path.join(dir, f), 'utf8')]);
  const corpus = path.join(CORPUS, 'perf_script');
  if (fs.existsSync(corpus)) {
    for (const f of fs.readdirSync(corpus).sort()) {
      if (!/\.perf\.txt(\.gz)?$/.test(f)) continue;
      const b = fs.readFileSync(path.join(corpus, f));
      const t = (f.endsWith('.gz') ? zlib.gunzipSync(b) : b).toString('utf8');
      // The big captures repeat themselves: their first 400 KB hold every kind of line they have.
      out.push([`corpus/${f}`, t.length > 400_000 ? t.slice(0, t.indexOf('\n\n', 400_000) + 2) : t]);
    }
  }
  return out;
}

const optionSets: [string, InputOptions][] = [
  ['default', {}],
  ['compat', { compat: 'stackcollapse' }],
  ['compat --annotate all --addrs --with-tid', { compat: 'stackcollapse', annotate: 'all', addrs: true, withTid: true }],
  ['compat --srcline --inline', { compat: 'stackcollapse', srcline: true, inline: true }],
  ['--srcline --inline --annotate jit --with-pid', { srcline: true, inline: true, annotate: 'jit', withPid: true }],
];

describe('perf-script byte path', () => {
  const all = inputs();
  for (const [label, options] of optionSets) {
    it(`gives the text path's events and diagnostics (${label}; every sample and capture; reads of 1, 7, 64 and 4093 bytes)`, () => {
      let samples = 0;
      for (const [name, text] of all) {
        const want = plain(viaText(text, options));
        const sizes = text.length > 50_000 ? [4093, 64] : [1, 7, 64, 4093];
        expect(plain(viaBytes(text, options, sizes)), name).toEqual(want);
        samples += (want as { events: TraceEvent[] }).events.filter((e) => e.kind === 'sample').length;
      }
      // The samples alone (no corpus beside the project) hold a few dozen.
      expect(samples).toBeGreaterThan(fs.existsSync(path.join(CORPUS, 'perf_script')) ? 100 : 20);
    });
  }

  it('never takes a line for one it has seen when one byte differs (address, symbol, dso, trailing space)', () => {
    const head = 'dd 4242 [001] 12.000001: 250000 cpu-clock:\n';
    const chain = ['\tffffffff81000a10 native_write_msr+0x6 ([kernel.kallsyms])', '\t7f00aa001234 __libc_read+0x14 (/usr/lib/libc.so.6)', '\t55d0c0ffee00 main+0x20 (/usr/bin/dd)'];
    const variants = [
      chain,
      [chain[0]!, '\t7f00aa001235 __libc_read+0x14 (/usr/lib/libc.so.6)', chain[2]!],
      [chain[0]!, '\t7f00aa001234 __libc_reaD+0x14 (/usr/lib/libc.so.6)', chain[2]!],
      [chain[0]!, '\t7f00aa001234 __libc_read+0x14 (/usr/lib/libc.so.7)', chain[2]!],
      [chain[0]!, '\t7f00aa001234 __libc_read+0x14 (/usr/lib/libc.so.6) ', chain[2]!],
      [chain[0]!, '\t7f00aa001234 __libc_read+0x14 (/usr/lib/libc.so.6', chain[2]!],
      // Unknown symbols are named by their dso; JIT maps are annotated by their path's end.
      [chain[0]!, '\t7f00aa001234 [unknown] (/usr/lib/libc.so.6)', chain[2]!],
      [chain[0]!, '\t7f00aa001234 [unknown] (/usr/lib/libc.so.7)', chain[2]!],
      [chain[0]!, '\t7f00aa001234 Interpreter+0x14 (/tmp/perf-4242.map)', chain[2]!],
      [chain[0]!, '\t7f00aa001234 Interpreter+0x14 (/tmp/perf-4242.mao)', chain[2]!],
    ];
    let text = '';
    for (let r = 0; r < 3; r++) for (const v of variants) text += head + v.join('\n') + '\n\n';
    for (const [label, options] of optionSets) {
      const t = viaText(text, options);
      const b = viaBytes(text, options, [4093]);
      expect(plain(b), label).toEqual(plain(t));
      // The stacks differ where the names do (not all one stack read from a cache): the symbol
      // and the cut-off dso; the compat `--srcline` reading takes each frame's next line as its
      // source line, blank lines too, so its records never end and it has no sample to count.
      const stacks = new Set(b.events.flatMap((e) => (e.kind === 'sample' ? [e.frames.map((f) => f.name).join(';')] : [])));
      expect(stacks.size, label).toBe(options.compat && options.srcline ? 0 : options.annotate ? 7 : 6);
    }
  });
});

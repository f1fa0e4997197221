/**
 * Detection between perf script text and kernel logs, which both print `sym+0x…` frames: over
 * every capture of the perf_script and dmesg corpora (and the other corpora), detection picks
 * the right adapter, and the perf-script sniffer never says yes to anything but perf text.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { sniffPerfScript } from '../../../src/inputs/perf-script/index.js';
import { detect, SNIFF_BYTES } from '../../../src/inputs/registry.js';
import { CORPUS, SAMPLES } from '../../support/convert-helpers.js';

function heads(dir: string): { name: string; head: string }[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => /\.(txt|log)(\.gz)?$/.test(f))
    .sort()
    .map((f) => {
      let b = fs.readFileSync(path.join(dir, f));
      if (f.endsWith('.gz')) b = zlib.gunzipSync(b);
      return { name: f, head: b.subarray(0, SNIFF_BYTES).toString('utf8') };
    });
}

describe.skipIf(!fs.existsSync(path.join(CORPUS, 'perf_script')))('perf script vs dmesg detection (corpus)', () => {
  it('every perf_script capture is perf-script', () => {
    const all = heads(path.join(CORPUS, 'perf_script'));
    expect(all.length).toBeGreaterThanOrEqual(15);
    for (const { name, head } of all) {
      expect(detect(head).adapter?.name, name).toBe('perf-script');
      expect(sniffPerfScript(head), name).toBe('yes');
    }
  });
  it('every dmesg log is dmesg, and never perf-script', () => {
    const all = heads(path.join(CORPUS, 'dmesg'));
    expect(all.length).toBeGreaterThan(100);
    for (const { name, head } of all) {
      expect(detect(head).adapter?.name, name).toBe('dmesg');
      expect(sniffPerfScript(head), name).toBe('no');
    }
  });
  it('no capture of the other corpora is taken for perf script', () => {
    let n = 0;
    for (const sub of fs.readdirSync(CORPUS)) {
      if (sub === 'perf_script' || !fs.statSync(path.join(CORPUS, sub)).isDirectory()) continue;
      for (const { name, head } of heads(path.join(CORPUS, sub))) {
        n++;
        expect(sniffPerfScript(head), `${sub}/${name}`).not.toBe('yes');
        expect(detect(head).adapter?.name, `${sub}/${name}`).not.toBe('perf-script');
      }
    }
    expect(n).toBeGreaterThan(100);
  });
});

describe('perf script vs dmesg detection (samples)', () => {
  for (const input of ['dmesg', 'function-graph', 'lttng-text']) {
    it(`samples/${input} are not perf script`, () => {
      const dir = path.join(SAMPLES, input);
      for (const f of fs.readdirSync(dir)) {
        const head = fs.readFileSync(path.join(dir, f), 'utf8').slice(0, SNIFF_BYTES);
        expect(sniffPerfScript(head), f).not.toBe('yes');
        expect(detect(head).adapter?.name, f).toBe(input);
      }
    });
  }
  it('samples/perf-script are perf script', () => {
    const dir = path.join(SAMPLES, 'perf-script');
    const files = fs.readdirSync(dir);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(detect(fs.readFileSync(path.join(dir, f), 'utf8').slice(0, SNIFF_BYTES)).adapter?.name, f).toBe('perf-script');
  });
});

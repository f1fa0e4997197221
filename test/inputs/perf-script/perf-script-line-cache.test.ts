/**
 * The line cache gives, for a line read after a stack node, the meaning that line was given
 * (by text or by bytes), whatever lines came before and however often its tables started over.
 */
import { describe, expect, it } from 'vitest';
import { LineCache } from '../../../src/inputs/perf-script/line-cache.js';
import { rng } from '../../../src/fuzz/mutate.js';

function lines(r: () => number, n: number): string[] {
  const out: string[] = [];
  for (let k = 0; k < n; k++) {
    const base = `\t${Math.floor(r() * 1e6).toString(16)} f${Math.floor(r() * 40)}+0x${Math.floor(r() * 255).toString(16)} (/lib/x.so)`;
    out.push(base);
    // Neighbours that differ in one byte, anywhere, or in length.
    const i = Math.floor(r() * base.length);
    out.push(base.slice(0, i) + String.fromCharCode(33 + Math.floor(r() * 90)) + base.slice(i + 1));
    out.push(base + ' ');
    out.push(base.slice(0, -1));
  }
  return [...new Set(out)];
}

describe('perf-script line cache', () => {
  for (const [limit, maxBytes] of [
    [1 << 17, 1 << 24],
    [40, 1 << 24],
    [1 << 17, 1500],
    [7, 300],
  ] as const) {
    it(`finds each line's own meaning, by text and by bytes (${limit} lines, ${maxBytes} bytes before starting over)`, () => {
      for (let seed = 1; seed <= 20; seed++) {
        const r = rng(seed);
        const pool = lines(r, 60);
        const meaning = (l: string) => `m:${l}`;
        const cache = new LineCache<string>(limit, maxBytes);
        let byBytes = 0;
        for (let step = 0; step < 3000; step++) {
          const node = Math.floor(r() * 12);
          // Mostly lines seen before, as in a capture.
          const line = pool[Math.floor(r() * r() * pool.length)]!;
          const bytes = Buffer.from('xx' + line + 'yy', 'latin1');
          const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
          const hit = cache.getBytes(node, view, 2, 2 + line.length);
          if (hit) {
            byBytes++;
            expect(hit.line, `seed ${seed} step ${step}`).toBe(line);
            expect(hit.value).toBe(meaning(line));
            continue;
          }
          const e = cache.get(node, line) ?? cache.set(node, line, meaning(line));
          expect(e.line).toBe(line);
          expect(e.value).toBe(meaning(line));
          cache.attach(line, view, 2, 2 + line.length);
        }
        // The byte reading carries most lines when the tables hold them all, and is still used
        // where they start over every few lines.
        expect(byBytes, `seed ${seed}`).toBeGreaterThan(limit === 1 << 17 && maxBytes === 1 << 24 ? 1500 : 50);
      }
    });
  }
});

/** `tracebridge diff`: difffolded.pl's three columns, and the differential flame graph. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cli.js';
import type { Diagnostic } from '../../src/model/diagnostics.js';
import { DiagnosticCollector } from '../../src/model/diagnostics.js';
import { diffFoldedText, diffProfiles, diffSvg, parseFolded } from '../../src/outputs/flamegraph/diff.js';

const A = 'main;read 10\nmain;write 30\nmain 5\nold;gone 5\n';
const B = 'main;read 40\nmain;write 30\nmain 5\nnew;fresh 0x1f 5\n';

describe('diff of folded profiles', () => {
  it('lists every path of either profile with both counts, 0 where one lacks it', () => {
    const d = diffProfiles(parseFolded(A), parseFolded(B));
    expect(diffFoldedText(d)).toBe('main 5 5\nmain;read 10 40\nmain;write 30 30\nnew;fresh 0x1f 0 5\nold;gone 5 0\n');
  });
  it('normalize scales the first profile to the second total (truncating); strip-hex merges addresses', () => {
    const d = diffProfiles(parseFolded(A), parseFolded(B), { normalize: true });
    // totals 50 and 80: 10 → 16, 30 → 48, 5 → 8
    expect(diffFoldedText(d)).toBe('main 8 5\nmain;read 16 40\nmain;write 48 30\nnew;fresh 0x1f 0 5\nold;gone 8 0\n');
    const h = parseFolded('f;0xffff1234 3\nf;0xabc 4\n', undefined, true);
    expect([...h]).toEqual([['f;0x...', 7]]);
  });
  it('reports lines without a count with their line number, and goes on', () => {
    const got: Diagnostic[] = [];
    const c = new DiagnosticCollector('a.folded', (x) => got.push(x));
    const m = parseFolded('a;b 1\nno count here\n\na;c 2\n', c.report);
    expect([...m]).toEqual([
      ['a;b', 1],
      ['a;c', 2],
    ]);
    expect(got.map((x) => [x.code, x.line])).toEqual([['diff.malformed-line', 2]]);
  });
  it('the graph is sized by the second profile and coloured by the change of each frame\'s own weight', () => {
    const svg = diffSvg(diffProfiles(parseFolded(A), parseFolded(B)), { title: 'd', subtitle: '', unit: 'samples' });
    const frame = (name: string) => {
      const m = new RegExp(`<g class="f" data-w="(\\d+)"[^>]*><title>${name} \\(([^<]*)\\)</title><rect [^>]*fill="([^"]+)"`).exec(svg);
      return m ? { w: Number(m[1]), info: m[2]!, fill: m[3]! } : undefined;
    };
    expect(frame('all')!.w).toBe(80);
    expect(frame('read')).toMatchObject({ w: 40, fill: 'rgb(255,0,0)' }); // +30: the largest change
    expect(frame('read')!.info).toContain('+30 samples self');
    expect(frame('write')).toMatchObject({ w: 30, fill: 'rgb(250,250,250)' });
    expect(frame('gone')).toBeUndefined(); // not in the second profile: no width
    expect(frame('old')).toBeUndefined();
    const neg = diffSvg(diffProfiles(parseFolded(A), parseFolded(B)), { title: 'd', subtitle: '', unit: 'samples', negate: true });
    // Sized by the first profile: the vanished path is drawn, blue (it shrank by 5 of the largest change, 30).
    expect(neg).toMatch(/<title>gone \(5 samples, 10\.00%; -5 samples self\)<\/title><rect [^>]*fill="rgb\(175,175,255\)"/);
  });
  it('the command writes folded or svg by the output name', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-diff-'));
    try {
      fs.writeFileSync(path.join(dir, 'a.folded'), A);
      fs.writeFileSync(path.join(dir, 'b.folded'), B);
      const io = { stdout: () => undefined, stderr: () => undefined };
      expect(await runCli(['diff', path.join(dir, 'a.folded'), path.join(dir, 'b.folded'), '-o', path.join(dir, 'd.folded')], io)).toBe(0);
      expect(fs.readFileSync(path.join(dir, 'd.folded'), 'utf8')).toBe(diffFoldedText(diffProfiles(parseFolded(A), parseFolded(B))));
      expect(await runCli(['diff', path.join(dir, 'a.folded'), path.join(dir, 'b.folded'), '-o', path.join(dir, 'd.svg'), '-n'], io)).toBe(0);
      expect(fs.readFileSync(path.join(dir, 'd.svg'), 'utf8')).toContain('Differential Flame Graph');
      expect(await runCli(['diff', path.join(dir, 'a.folded'), path.join(dir, 'b.folded'), '-o', path.join(dir, 'd.pdf')], io)).toBe(2);
      expect(await runCli(['diff', path.join(dir, 'a.folded'), path.join(dir, 'missing.folded'), '-o', path.join(dir, 'e.svg')], io)).toBe(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

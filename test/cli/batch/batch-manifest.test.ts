/**
 * The manifest store: entries spilled to a temporary file as they come are written back, sorted
 * and carried over, byte for byte as the manifest built in memory would be; the previous
 * manifest is read line by line; nothing is left beside the manifest.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildManifest, carryOver, manifestJson } from '../../../src/pipeline/batch/manifest.js';
import { ManifestStore, readPrevious } from '../../../src/pipeline/batch/manifest-store.js';
import { entry, problem, type ManifestEntry } from '../../../src/pipeline/batch/types.js';

const formats = ['perfetto', 'folded'];

function entries(n: number, seed: number): ManifestEntry[] {
  let x = seed;
  const rnd = () => ((x = (x * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const out: ManifestEntry[] = [];
  for (let i = 0; i < n; i++) {
    const input = `a.tar:d${Math.floor(rnd() * 7)}/m${Math.floor(rnd() * n)}.txt`;
    const r = rnd();
    const outputs = { perfetto: `${input.replace(':', '/')}.pftrace`, folded: `${input.replace(':', '/')}.folded` };
    if (r < 0.5) out.push(entry(input, 'converted', { format: 'dmesg', detection: 'dmesg: ✓ «frames»', outputs, lines: i, events: i % 5, warnings: i % 3, errors: 0, diagnostics: { 'dmesg.prose': i } }));
    else if (r < 0.75) out.push(entry(input, 'up-to-date', { outputs }));
    else if (r < 0.9) out.push(problem(input, 'not-a-trace', `no format: line\n${i}`));
    else out.push(problem(input, 'duplicate', 'the archive holds this path more than once; the first one was taken'));
  }
  return out;
}

describe('manifest store', () => {
  it('writes what manifestJson(buildManifest(carryOver(...))) writes, summary included, and removes its spill file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-manifest-'));
    const file = path.join(dir, 'manifest.json');
    const first = entries(3000, 1);
    // A first run: no previous manifest.
    const s1 = new ManifestStore(file, await readPrevious(file));
    first.forEach((e) => s1.add(e));
    await s1.write(formats, null);
    s1.close();
    const want1 = manifestJson(buildManifest(first, formats, null));
    expect(fs.readFileSync(file, 'utf8')).toBe(want1);
    expect(s1.listed).toEqual(buildManifest(first, formats, null).summary);

    // A second run: up-to-date entries carry what the first manifest knew.
    const second = entries(3000, 2).concat(first.filter((e) => e.status === 'converted').map((e) => entry(e.input, 'up-to-date', { outputs: e.outputs })));
    const previous = JSON.parse(want1) as ReturnType<typeof buildManifest>;
    const prev = await readPrevious(file);
    expect(prev!.size).toBe(new Set(previous.entries.filter((e) => e.status === 'converted' || e.status === 'up-to-date').map((e) => e.input)).size);
    const s2 = new ManifestStore(file, prev);
    second.forEach((e) => s2.add(e));
    await s2.write(formats, { index: 2, count: 3 });
    s2.close();
    const built = buildManifest(carryOver(second, previous), formats, { index: 2, count: 3 });
    expect(fs.readFileSync(file, 'utf8')).toBe(manifestJson(built));
    expect(s2.listed).toEqual(built.summary);
    expect(fs.readdirSync(dir)).toEqual(['manifest.json']);
  });

  it('writes an empty manifest as manifestJson does, and reads no previous manifest from a file that is not one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-manifest-'));
    const file = path.join(dir, 'manifest.json');
    fs.writeFileSync(file, '{"tool": "other"}\n');
    expect(await readPrevious(file)).toBeNull();
    expect(await readPrevious(path.join(dir, 'missing.json'))).toBeNull();
    const s = new ManifestStore(file, null);
    await s.write(formats, null);
    s.close();
    expect(fs.readFileSync(file, 'utf8')).toBe(manifestJson(buildManifest([], formats, null)));
    expect(fs.readdirSync(dir)).toEqual(['manifest.json']);
  });

  it('gives the entries back as they came, sorted, for a run that was interrupted', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-manifest-'));
    const list = entries(500, 3);
    const s = new ManifestStore(path.join(dir, 'manifest.json'), null);
    list.forEach((e) => s.add(e));
    expect(s.entries()).toEqual(buildManifest(list, formats, null).entries);
    s.close();
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

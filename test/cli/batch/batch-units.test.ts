/**
 * The pieces of batch that need no worker: output naming, member path checks, sharding, the
 * manifest format, sizes, and reading xz, zstd and bzip2 (also through `convert`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseSize } from '../../../src/cli/batch.js';
import { buildManifest, carryOver, manifestJson, mergeManifests } from '../../../src/pipeline/batch/manifest.js';
import { archiveKind, memberPath, MemberNamer, nameFiles, stem } from '../../../src/pipeline/batch/naming.js';
import { hash32, inShard, manifestName, parseShard, shardOf } from '../../../src/pipeline/batch/shard.js';
import { entry, problem } from '../../../src/pipeline/batch/types.js';
import { convert } from '../../../src/pipeline/convert.js';
import { decompressed, sniffCompression } from '../../../src/pipeline/decompress.js';
import { FIXTURES } from './batch-helpers.js';

const EXTS = ['.json', '.pftrace'];

describe('output names', () => {
  it('replace the compression suffix and then the extension', () => {
    expect(stem('x.txt')).toBe('x');
    expect(stem('x.txt.gz')).toBe('x');
    expect(stem('dmesg.log.zst')).toBe('dmesg');
    expect(stem('trace')).toBe('trace');
    expect(stem('.hidden')).toBe('.hidden');
    expect(stem('a.b.c.XZ')).toBe('a.b');
    expect(stem('.gz')).toBe('.gz');
  });

  it('keep whole names for inputs of one folder that would clash, and only for those', () => {
    const n = nameFiles(['x.txt', 'x.log', 'y.txt', 'z.txt.gz', 'z.txt'], () => false, EXTS);
    expect(Object.fromEntries(n)).toEqual({ 'x.txt': 'x.txt', 'x.log': 'x.log', 'y.txt': 'y', 'z.txt.gz': 'z.txt.gz', 'z.txt': 'z.txt' });
  });

  it('resolve clashes that whole names cause in turn', () => {
    // x.txt and x.log clash on "x"; x.txt's whole name then clashes with x.txt.log's short one.
    const n = nameFiles(['x.txt', 'x.log', 'x.txt.log'], () => false, EXTS);
    expect(Object.fromEntries(n)).toEqual({ 'x.txt': 'x.txt', 'x.log': 'x.log', 'x.txt.log': 'x.txt.log' });
  });

  it('avoid folders, archives and the manifest, and give up when nothing is free', () => {
    const taken = new Set(['sub.json', 'manifest.json', 'keep.pftrace']);
    const n = nameFiles(['sub.txt', 'manifest.log', 'manifest', 'keep.pftrace.txt', 'keep.txt'], (f) => taken.has(f), EXTS);
    expect(Object.fromEntries(n)).toEqual({
      'sub.txt': 'sub.txt',
      'manifest.log': 'manifest.log',
      manifest: null,
      'keep.pftrace.txt': 'keep.pftrace',
      'keep.txt': 'keep.txt',
    });
  });

  it('for archive members: first come keeps the short name, repeats get nothing', () => {
    const m = new MemberNamer(EXTS);
    expect(m.name('d/x.txt')).toBe('d/x');
    expect(m.name('d/x.log')).toBe('d/x.log');
    expect(m.name('e/x.log')).toBe('e/x');
    expect(m.name('x.txt')).toBe('x');
    expect(m.name('d/x.log')).toBeNull();
    // a sub-folder named like an output file
    expect(m.name('f/y.json/z.txt')).toBe('f/y.json/z');
    expect(m.name('f/y.txt')).toBe('f/y.txt');
  });

  it('know archives by name', () => {
    expect(['a.tar', 'a.TGZ', 'a.tar.gz', 'a.tar.xz', 'a.tar.zst', 'a.tar.bz2', 'a.tbz2', 'a.txz'].map(archiveKind)).toEqual(Array(8).fill('tar'));
    expect(archiveKind('a.zip')).toBe('zip');
    expect(archiveKind('a.txt.gz')).toBeNull();
    expect(archiveKind('tar')).toBeNull();
  });
});

describe('archive member paths', () => {
  it('are normalised', () => {
    expect(memberPath('./a//b/./c.txt')).toEqual({ path: 'a/b/c.txt' });
    expect(memberPath('a/b..c/d.txt')).toEqual({ path: 'a/b..c/d.txt' });
  });

  it('are refused when absolute or climbing out', () => {
    for (const bad of ['/etc/passwd', '\\\\server\\x', 'C:/x.txt', 'c:x', '../x', 'a/../../x', 'a/..', 'a\\..\\..\\x', './', 'a\u0000b']) {
      expect(memberPath(bad), bad).toHaveProperty('refused');
    }
  });
});

describe('shards', () => {
  it('parse K/N', () => {
    expect(parseShard('2/8')).toEqual({ index: 2, count: 8 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
    for (const bad of ['0/3', '4/3', '1/0', '2', 'a/b', '-1/3']) expect(() => parseShard(bad), bad).toThrow();
  });

  it('hash with FNV-1a, the same on every machine', () => {
    expect(hash32('')).toBe(0x811c9dc5);
    expect(hash32('a')).toBe(0xe40c292c);
    expect(hash32('foobar')).toBe(0xbf9cf968);
  });

  it('put every input in exactly one shard, spread evenly', () => {
    const names = Array.from({ length: 3000 }, (_, i) => `host-${i % 37}/dmesg.${i}.log`);
    const counts = [0, 0, 0, 0, 0];
    for (const n of names) {
      const k = shardOf(n, 5);
      counts[k - 1]!++;
      expect([1, 2, 3, 4, 5].filter((i) => inShard(n, { index: i, count: 5 }))).toEqual([k]);
    }
    for (const c of counts) expect(c).toBeGreaterThan(500);
    expect(inShard('x', null)).toBe(true);
    expect(manifestName({ index: 3, count: 10 })).toBe('manifest.shard-3-of-10.json');
    expect(manifestName(null)).toBe('manifest.json');
  });
});

describe('manifest', () => {
  const entries = [
    entry('b.txt', 'converted', { format: 'dmesg', outputs: { perfetto: 'b.pftrace' }, events: 3, warnings: 2, errors: 0, bytes: 10, lines: 2 }),
    problem('a.gz', 'corrupt', 'corrupt or truncated gzip data'),
    problem('c.md', 'not-a-trace', 'no input format recognised it'),
  ];

  it('is sorted, counted, one entry per line, and parses back', () => {
    const m = buildManifest(entries, ['perfetto'], null);
    expect(m.entries.map((e) => e.input)).toEqual(['a.gz', 'b.txt', 'c.md']);
    expect(m.summary).toEqual({ inputs: 3, converted: 1, upToDate: 0, skipped: 1, failed: 1, warnings: 2 });
    const text = manifestJson(m);
    expect(JSON.parse(text)).toEqual(m);
    expect(text.split('\n').filter((l) => l.startsWith('    {"input"')).length).toBe(3);
    expect(manifestJson(buildManifest([], ['csv'], null))).toMatch(/"entries": \[\]\n\}\n$/);
  });

  it('merges shards back into the whole', () => {
    const whole = buildManifest(entries, ['perfetto'], null);
    const a = buildManifest([entries[0]!], ['perfetto'], { index: 1, count: 2 });
    const b = buildManifest([entries[1]!, entries[2]!], ['perfetto'], { index: 2, count: 2 });
    expect(mergeManifests([b, a])).toEqual(whole);
  });

  it('up-to-date entries carry what the earlier run learnt, when the outputs are the same', () => {
    const before = buildManifest(entries, ['perfetto'], null);
    const now = carryOver(
      [entry('b.txt', 'up-to-date', { outputs: { perfetto: 'b.pftrace' } }), entry('d.txt', 'up-to-date', { outputs: { perfetto: 'd.pftrace' } })],
      before,
    );
    expect(now[0]).toEqual({ ...entries[0], status: 'up-to-date' });
    expect(now[1]).toEqual(entry('d.txt', 'up-to-date', { outputs: { perfetto: 'd.pftrace' } }));
  });
});

describe('sizes', () => {
  it('parse with binary multiples', () => {
    expect(parseSize('8G')).toBe(8 * 1024 ** 3);
    expect(parseSize('512M')).toBe(512 * 1024 ** 2);
    expect(parseSize('64k')).toBe(65536);
    expect(parseSize('1.5KiB')).toBe(1536);
    expect(parseSize('1000')).toBe(1000);
    expect(() => parseSize('lots')).toThrow(/not a size/);
  });
});

async function bytesOf(s: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of s) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

const chunked = (b: Uint8Array, n: number) =>
  Readable.from(
    (function* () {
      for (let o = 0; o < b.length; o += n) yield b.subarray(o, o + n);
    })(),
    { objectMode: false },
  );

describe('decompression', () => {
  const text = fs.readFileSync(path.join(FIXTURES, 'fg.txt'));
  const cases: [string, string[]][] = [
    ['fg.txt.xz', ['xz']],
    ['fg.txt.zst', ['zstd']],
    ['fg.txt.bz2', ['bzip2']],
    ['fg.txt.gz.xz', ['xz', 'gzip']],
  ];

  for (const [file, layers] of cases) {
    it(`${file}: decoded whole, in 1-byte and 4 KiB chunks, layers ${layers.join(' in ')}`, async () => {
      const packed = fs.readFileSync(path.join(FIXTURES, file));
      for (const n of [1, 4096]) {
        let seen: string[] = [];
        const out = await bytesOf(decompressed(chunked(packed, n), { onCompression: (l) => (seen = l) }));
        expect(Buffer.compare(out, text)).toBe(0);
        expect(seen).toEqual(layers);
      }
    });

    it(`${file}: convert() reads it as the plain text`, async () => {
      const want = (await convert({ input: new Uint8Array(text), inputName: 'x', to: 'perfetto' })).output!;
      const got = (await convert({ input: path.join(FIXTURES, file), inputName: 'x', to: 'perfetto' })).output!;
      expect(Buffer.compare(got, want)).toBe(0);
    });

    it(`${file}: truncated data fails as corrupt, not as text`, async () => {
      const packed = fs.readFileSync(path.join(FIXTURES, file));
      const cut = packed.subarray(0, Math.floor(packed.length * 0.6));
      await expect(bytesOf(decompressed(chunked(cut, 512)))).rejects.toMatchObject({ code: 'ECORRUPT' });
      await expect(convert({ input: cut, to: 'csv' })).rejects.toThrow(/corrupt or truncated (xz|zstd|bzip2) data/);
    });
  }

  it('stops at the size limit', async () => {
    const big = gzipSync(Buffer.alloc(5_000_000, 'a'));
    await expect(bytesOf(decompressed(chunked(big, 65536), { maxBytes: 1_000_000 }))).rejects.toMatchObject({ code: 'ELIMIT' });
    const ok = await bytesOf(decompressed(chunked(big, 65536), { maxBytes: 5_000_000 }));
    expect(ok.length).toBe(5_000_000);
  });

  it('passes text through, even text that starts like bzip2', async () => {
    const t = Buffer.from('BZh9 is how bzip2 starts, not this\nmore\n');
    expect(sniffCompression(t)).toBe('none');
    expect(Buffer.compare(await bytesOf(decompressed(chunked(t, 1))), t)).toBe(0);
    expect((await bytesOf(decompressed(chunked(new Uint8Array(0), 1)))).length).toBe(0);
  });

  it('refuses xz inside xz with a clear error instead of waiting forever', async () => {
    const outer = fs.readFileSync(path.join(FIXTURES, 'fg.txt.xz.xz'));
    await expect(bytesOf(decompressed(chunked(outer, 4096)))).rejects.toThrow(/xz data inside xz data/);
  });
});

/**
 * `tracebridge batch` end to end, on a tree built here: plain, compressed and archived traces of
 * every input format, files that are not traces, and broken or hostile ones (a corrupt gzip, a
 * truncated tar, tar and zip members with `..` and absolute paths, a decompression bomb,
 * symbolic link loops and links leading out). Workers run the compiled dist/.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchOptions, BatchResult, Manifest, ManifestEntry } from '../../../src/pipeline/batch/index.js';
import { DIST, FIXTURES, SAMPLES, TEMP_MARK, ensureBuilt, listFiles, makeTar, makeZip, readTree, runCliProcess } from './batch-helpers.js';

type BatchModule = typeof import('../../../src/pipeline/batch/index.js');
type ConvertModule = typeof import('../../../src/pipeline/convert.js');
type RegistryModule = typeof import('../../../src/inputs/registry.js');
type BenchModule = typeof import('../../../src/bench/batch.js');
type OutputsModule = typeof import('../../../src/outputs/registry.js');

let batch: BatchModule;
let conv: ConvertModule;
let registry: RegistryModule;
let bench: BenchModule;

/** Every output format of the registry. */
let ALL: string[];
const MAX = 2 * 1024 * 1024;

let tmp: string;
let input: string;

interface Expect {
  status: ManifestEntry['status'];
  reason?: ManifestEntry['reason'];
  format?: string;
}
/** What the manifest must say of each input of the tree. */
const expected = new Map<string, Expect>();
/** Inputs whose outputs are compared with convert() of the same bytes. */
const sources = new Map<string, Uint8Array>();
const ok = (rel: string, format: string, bytes?: Uint8Array) => {
  expected.set(rel, { status: 'converted', format });
  if (bytes) sources.set(rel, bytes);
};
const bad = (rel: string, status: 'skipped' | 'failed', reason?: ManifestEntry['reason']) => expected.set(rel, { status, reason });

function write(rel: string, data: string | Uint8Array) {
  const p = path.join(input, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, data);
}

async function buildTree() {
  const fg = fs.readFileSync(path.join(FIXTURES, 'fg.txt'));
  // Every input format of the registry: plain, gzipped, in a tar, a tar.gz and a zip.
  const tarEntries: { name: string; data: Uint8Array }[] = [];
  const zipEntries: { name: string; data: Uint8Array }[] = [];
  for (const a of registry.inputs) {
    const dir = path.join(SAMPLES, a.name);
    const names = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => !f.startsWith('.')).sort() : [];
    expect(names.length, `samples/${a.name} has no samples`).toBeGreaterThan(0);
    const s0 = names[0]!;
    const s1 = names[Math.min(1, names.length - 1)]!;
    const b0 = new Uint8Array(fs.readFileSync(path.join(dir, s0)));
    const b1 = new Uint8Array(fs.readFileSync(path.join(dir, s1)));
    write(`plain/${a.name}/${s0}`, b0);
    ok(`plain/${a.name}/${s0}`, a.name, b0);
    write(`compressed/${a.name}/${s0}.gz`, gzipSync(b0));
    ok(`compressed/${a.name}/${s0}.gz`, a.name, b0);
    tarEntries.push({ name: `${a.name}/${s0}`, data: b0 }, { name: `${a.name}/gz/${s1}.gz`, data: gzipSync(b1) });
    zipEntries.push({ name: `${a.name}/${s0}`, data: b0 }, { name: `${a.name}/more/${s1}`, data: b1 });
    for (const t of ['all.tar', 'all.tar.gz']) {
      ok(`archives/${t}:${a.name}/${s0}`, a.name, b0);
      ok(`archives/${t}:${a.name}/gz/${s1}.gz`, a.name, b1);
    }
    ok(`archives/all.zip:${a.name}/${s0}`, a.name, b0);
    ok(`archives/all.zip:${a.name}/more/${s1}`, a.name, b1);
  }
  tarEntries.push({ name: 'notes/readme.md', data: Buffer.from('# Notes\n\nNothing to see here.\n') });
  const allTar = await makeTar(tarEntries);
  write('archives/all.tar', allTar);
  write('archives/all.tar.gz', gzipSync(allTar));
  for (const t of ['all.tar', 'all.tar.gz']) bad(`archives/${t}:notes/readme.md`, 'skipped', 'not-a-trace');
  write('archives/all.zip', makeZip(zipEntries));

  // xz, zstd, bzip2, gzip inside xz; tarballs compressed with each.
  for (const f of ['fg.txt.xz', 'fg.txt.zst', 'fg.txt.bz2', 'fg.txt.gz.xz']) {
    write(`compressed/${f}`, fs.readFileSync(path.join(FIXTURES, f)));
    ok(`compressed/${f}`, 'function-graph', fg);
  }
  for (const f of ['fg.tar.xz', 'fg.tar.zst', 'fg.tar.bz2']) {
    write(`archives/${f}`, fs.readFileSync(path.join(FIXTURES, f)));
    ok(`archives/${f}:run/a.txt`, 'function-graph', fg);
    ok(`archives/${f}:run/b.txt`, 'function-graph');
  }

  // Not traces: skipped with a reason.
  write('misc/README.md', '# A folder of traces\n\nSee the files beside this one.\n');
  bad('misc/README.md', 'skipped', 'not-a-trace');
  write('misc/blob.bin', Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256)));
  bad('misc/blob.bin', 'skipped', 'binary');
  write('misc/empty.txt', '');
  bad('misc/empty.txt', 'skipped', 'empty');
  write('misc/inner.dat', await makeTar([{ name: 'x.txt', data: fg }]));
  bad('misc/inner.dat', 'skipped', 'nested-archive');

  // Two inputs that differ only in extension keep their whole names.
  write('dup/x.txt', fg);
  write('dup/x.log', fg);
  ok('dup/x.txt', 'function-graph', fg);
  ok('dup/x.log', 'function-graph', fg);

  // Broken and hostile inputs.
  write('bad/corrupt.txt.gz', Buffer.concat([gzipSync(fg).subarray(0, 10), Buffer.alloc(400, 0x5a)]));
  bad('bad/corrupt.txt.gz', 'failed', 'corrupt');
  // A function_graph header and nothing after it: recognised, but no event (as `convert` fails it).
  write('bad/header-only.txt', '# tracer: function_graph\n#\n# CPU  DURATION                  FUNCTION CALLS\n# |     |   |                     |   |   |   |\n');
  bad('bad/header-only.txt', 'failed', 'no-events');
  const big = Buffer.from(fg.toString('utf8').repeat(3));
  const two = await makeTar([
    { name: 't/one.txt', data: fg },
    { name: 't/two.txt', data: big },
    { name: 't/three.txt', data: fg },
  ]);
  const cut = 512 + Math.ceil(fg.length / 512) * 512 + 512 + 4000;
  write('bad/truncated.tar', two.subarray(0, cut));
  ok('bad/truncated.tar:t/one.txt', 'function-graph', fg);
  bad('bad/truncated.tar:t/two.txt', 'failed');
  bad('bad/truncated.tar', 'failed', 'bad-archive');
  const absName = path.join(tmp, 'abs-evil.txt');
  write(
    'bad/evil.tar',
    await makeTar([
      { name: '../evil-up.txt', data: fg },
      { name: absName, data: fg },
      { name: 'a/../../evil-2.txt', data: fg },
      { name: 'ok.txt', data: fg },
      { name: 'passwd.txt', type: 'symlink', linkname: '/etc/passwd' },
    ]),
  );
  bad('bad/evil.tar:../evil-up.txt', 'failed', 'unsafe-path');
  bad(`bad/evil.tar:${absName}`, 'failed', 'unsafe-path');
  bad('bad/evil.tar:a/../../evil-2.txt', 'failed', 'unsafe-path');
  ok('bad/evil.tar:ok.txt', 'function-graph', fg);
  bad('bad/evil.tar:passwd.txt', 'skipped', 'link-member');
  write(
    'bad/evil.zip',
    makeZip([
      { name: '../zip-evil.txt', data: fg },
      { name: 'good.txt', data: fg },
    ]),
  );
  bad('bad/evil.zip:../zip-evil.txt', 'failed', 'unsafe-path');
  ok('bad/evil.zip:good.txt', 'function-graph', fg);
  // 3 MiB of trace lines in a few KiB of gzip, above the 2 MiB limit of these runs.
  const line = ' 0)   0.500 us    |  kfree();\n';
  write('bad/bomb.txt.gz', gzipSync(fg.toString('utf8') + line.repeat(Math.ceil((3 * 1024 * 1024) / line.length)), { level: 9 }));
  bad('bad/bomb.txt.gz', 'failed', 'size-limit');

  // Symbolic links: loops, a way out of the input, and one that stays inside.
  fs.mkdirSync(path.join(input, 'links'), { recursive: true });
  fs.symlinkSync('..', path.join(input, 'links/loop'));
  bad('links/loop', 'skipped', 'symlink-loop');
  fs.symlinkSync('b', path.join(input, 'links/a'));
  fs.symlinkSync('a', path.join(input, 'links/b'));
  bad('links/a', 'skipped', 'symlink-loop');
  bad('links/b', 'skipped', 'symlink-loop');
  fs.mkdirSync(path.join(tmp, 'elsewhere'));
  fs.writeFileSync(path.join(tmp, 'elsewhere/trace.txt'), fg);
  fs.symlinkSync('../../elsewhere/trace.txt', path.join(input, 'links/outside.txt'));
  bad('links/outside.txt', 'skipped', 'symlink-outside');
  fs.symlinkSync('../dup/x.txt', path.join(input, 'links/inside.txt'));
  ok('links/inside.txt', 'function-graph', fg);
}

const runs = new Map<string, BatchResult>();
async function run(name: string, opts: Partial<BatchOptions> = {}): Promise<BatchResult> {
  const r = await batch.runBatch({ inputs: [input], out: path.join(tmp, name), to: ALL, maxBytes: MAX, ...opts });
  runs.set(name, r);
  return r;
}

const byInput = (m: Manifest) => new Map(m.entries.map((e) => [e.input, e]));

beforeAll(async () => {
  ensureBuilt();
  batch = (await import(path.join(DIST, 'pipeline/batch/index.js'))) as BatchModule;
  conv = (await import(path.join(DIST, 'pipeline/convert.js'))) as ConvertModule;
  registry = (await import(path.join(DIST, 'inputs/registry.js'))) as RegistryModule;
  bench = (await import(path.join(DIST, 'bench/batch.js'))) as BenchModule;
  ALL = ((await import(path.join(DIST, 'outputs/registry.js'))) as OutputsModule).outputs.map((o) => o.name);
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tb-batch-')));
  input = path.join(tmp, 'in');
}, 300_000);

/** The mixed tree and its first two conversions, made once for the suites that need them. */
let treeReady: Promise<void> | undefined;
function mixedTree(): Promise<void> {
  treeReady ??= (async () => {
    fs.mkdirSync(input);
    await buildTree();
    await run('out1', { jobs: 1 });
    await run('out2', { jobs: 2 });
  })();
  return treeReady;
}

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('batch over a mixed tree', () => {
  beforeAll(mixedTree, 300_000);

  it('reports every input once, with the status and reason expected', () => {
    const m = runs.get('out1')!.manifest;
    const inputs = m.entries.map((e) => e.input);
    expect(new Set(inputs).size, 'an input is listed twice').toBe(inputs.length);
    expect([...inputs].sort()).toEqual([...expected.keys()].sort());
    for (const e of m.entries) {
      const x = expected.get(e.input)!;
      expect({ input: e.input, status: e.status }).toEqual({ input: e.input, status: x.status });
      if (x.reason) expect(e.reason, e.input).toBe(x.reason);
      if (x.format) expect(e.format, e.input).toBe(x.format);
      if (e.status === 'failed' || e.status === 'skipped') expect(e.error, e.input).toMatch(/\S/);
      if (e.status === 'converted') {
        expect(Object.keys(e.outputs).sort()).toEqual([...ALL].sort());
        expect(e.events, e.input).toBeGreaterThan(0);
      } else expect(e.outputs).toEqual({});
    }
    expect(m.summary).toMatchObject({
      inputs: expected.size,
      converted: [...expected.values()].filter((x) => x.status === 'converted').length,
      skipped: [...expected.values()].filter((x) => x.status === 'skipped').length,
      failed: [...expected.values()].filter((x) => x.status === 'failed').length,
      upToDate: 0,
    });
  });

  it('names the failure: corrupt data, bombs, refused members, broken archives', () => {
    const m = byInput(runs.get('out1')!.manifest);
    expect(m.get('bad/corrupt.txt.gz')!.error).toMatch(/corrupt or truncated gzip/);
    expect(m.get('bad/bomb.txt.gz')!.error).toMatch(/larger than the limit of 2097152 bytes/);
    expect(m.get('bad/evil.tar:../evil-up.txt')!.error).toMatch(/refused: .*climbs out/);
    expect(m.get(`bad/evil.tar:${path.join(tmp, 'abs-evil.txt')}`)!.error).toMatch(/refused: absolute member path/);
    expect(m.get('bad/evil.zip:../zip-evil.txt')!.error).toMatch(/refused/);
    expect(m.get('bad/truncated.tar')!.error).toMatch(/truncated or corrupt tar/);
    expect(m.get('bad/header-only.txt')).toMatchObject({
      format: 'function-graph',
      lines: 4,
      events: 0,
      outputs: {},
      diagnostics: { 'input.no-events': 1 },
      error: 'read as function-graph (detected), 4 lines gave no event; the first line is "# tracer: function_graph"',
    });
    for (const f of listFiles(path.join(tmp, 'out1'))) expect(f, 'no output of an input without events').not.toMatch(/^bad\/header-only\./);
    expect(m.get('compressed/fg.txt.gz.xz')!.compression).toEqual(['xz', 'gzip']);
    const gzMember = [...m.keys()].find((k) => k.startsWith('archives/all.tar.gz:function-graph/gz/'))!;
    expect(m.get(gzMember)!.compression).toEqual(['gzip']);
  });

  it('mirrors the tree: member a.tar.gz:dir/x.txt lands at a.tar.gz/dir/x.<ext>, name clashes keep whole names', () => {
    const m = byInput(runs.get('out1')!.manifest);
    const sample = [...m.keys()].find((k) => k.startsWith('archives/all.tar.gz:function-graph/') && !k.includes('/gz/'))!;
    const member = sample.split(':')[1]!;
    expect(m.get(sample)!.outputs.perfetto).toBe(`archives/all.tar.gz/${member.replace(/\.[^./]*$/, '')}.pftrace`);
    expect(m.get('dup/x.txt')!.outputs.csv).toBe('dup/x.txt.csv');
    expect(m.get('dup/x.log')!.outputs.csv).toBe('dup/x.log.csv');
    expect(m.get('compressed/fg.txt.zst')!.outputs['chrome-json']).toBe('compressed/fg.txt.zst.json');
    expect(m.get('compressed/fg.txt.bz2')!.outputs.folded).toBe('compressed/fg.txt.bz2.folded');
    expect(m.get('links/inside.txt')!.outputs.perfetto).toBe('links/inside.pftrace');
  });

  it('writes exactly the outputs the manifest lists, whole, and nothing outside --out', () => {
    const out = path.join(tmp, 'out1');
    const m = runs.get('out1')!.manifest;
    const listed = new Set(m.entries.flatMap((e) => Object.values(e.outputs)));
    listed.add('manifest.json');
    expect(listFiles(out)).toEqual([...listed].sort());
    expect(listFiles(out).filter((f) => f.includes(TEMP_MARK))).toEqual([]);
    // Outside the input and the outputs, only what the test itself made.
    const elsewhere = listFiles(tmp).filter((f) => !/^(in|out[A-Z0-9]*)\//.test(f));
    expect(elsewhere).toEqual(['elsewhere/trace.txt']);
    expect(fs.existsSync(path.join(tmp, 'abs-evil.txt'))).toBe(false);
    expect(fs.existsSync(path.join(tmp, 'evil-up.txt'))).toBe(false);
  });

  it('outputs equal convert() of the same bytes, whether read plain, decompressed or from an archive', async () => {
    const out = path.join(tmp, 'out1');
    const m = byInput(runs.get('out1')!.manifest);
    expect(sources.size).toBeGreaterThan(10);
    for (const [rel, bytes] of sources) {
      const e = m.get(rel)!;
      for (const f of ALL) {
        const want = (await conv.convert({ input: bytes, inputName: rel, to: f })).output!;
        const got = fs.readFileSync(path.join(out, e.outputs[f]!));
        expect(Buffer.compare(got, want), `${rel} → ${f}`).toBe(0);
      }
    }
  });

  it('--jobs 1 and --jobs 2 write byte-identical outputs and manifests', () => {
    const a = readTree(path.join(tmp, 'out1'), true);
    const b = readTree(path.join(tmp, 'out2'), true);
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [f, bytes] of a) expect(Buffer.compare(b.get(f)!, bytes), f).toBe(0);
  });

  it('shards 1/3, 2/3 and 3/3 together equal the whole, with no input twice', async () => {
    const parts: Manifest[] = [];
    for (const k of [1, 2, 3]) {
      const r = await run('outS', { jobs: 2, shard: `${k}/3` });
      expect(path.basename(r.manifestPath!)).toBe(`manifest.shard-${k}-of-3.json`);
      expect(r.manifest.shard).toEqual({ index: k, count: 3 });
      expect(r.manifest.entries.length, `shard ${k} is empty`).toBeGreaterThan(0);
      parts.push(r.manifest);
    }
    const seen = parts.flatMap((p) => p.entries.map((e) => e.input));
    expect(new Set(seen).size).toBe(seen.length);
    const whole = runs.get('out1')!.manifest;
    expect(batch.mergeManifests(parts)).toEqual(whole);
    const a = readTree(path.join(tmp, 'out1'));
    const s = readTree(path.join(tmp, 'outS'));
    expect([...s.keys()]).toEqual([...a.keys()]);
    for (const [f, bytes] of a) expect(Buffer.compare(s.get(f)!, bytes), f).toBe(0);
    // Each shard's manifest is a file of its own, as the run returned it.
    for (const p of parts) {
      const file = path.join(tmp, 'outS', batch.manifestName(p.shard));
      expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(p);
    }
  });

  it('a second run converts nothing, and keeps what the first one learnt', async () => {
    const out = path.join(tmp, 'out2');
    const before = new Map(listFiles(out).map((f) => [f, fs.statSync(path.join(out, f)).mtimeMs]));
    const first = runs.get('out2')!.manifest;
    const r = await run('out2', { jobs: 2 });
    expect(r.manifest.summary.converted).toBe(0);
    expect(r.manifest.summary.upToDate).toBe(first.summary.converted);
    expect(r.manifest.summary.failed).toBe(first.summary.failed);
    expect(r.manifest.summary.warnings).toBe(first.summary.warnings);
    for (const [f, t] of before) if (f !== 'manifest.json') expect(fs.statSync(path.join(out, f)).mtimeMs, f).toBe(t);
    const prev = byInput(first);
    for (const e of r.manifest.entries) {
      if (e.status !== 'up-to-date') continue;
      expect({ ...e, status: 'converted' }).toEqual(prev.get(e.input));
    }
  });

  it('re-runs only inputs newer than their outputs; an archive counts as a whole; --force redoes all', async () => {
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(input, 'dup/x.log'), later, later);
    fs.utimesSync(path.join(input, 'archives/all.zip'), later, later);
    const r = await run('out2', { jobs: 2 });
    const converted = r.manifest.entries.filter((e) => e.status === 'converted').map((e) => e.input);
    const zipMembers = [...expected].filter(([k, x]) => k.startsWith('archives/all.zip:') && x.status === 'converted').map(([k]) => k);
    expect(converted.sort()).toEqual(['dup/x.log', ...zipMembers].sort());
    const forced = await run('out2', { jobs: 2, force: true });
    expect(forced.manifest.summary.converted).toBe(runs.get('out1')!.manifest.summary.converted);
  });

  it('follows links out of the inputs only with followSymlinks', async () => {
    const r = await batch.runBatch({ inputs: [path.join(input, 'links')], out: path.join(tmp, 'outL'), followSymlinks: true, jobs: 2 });
    const m = byInput(r.manifest);
    expect(m.get('outside.txt')).toMatchObject({ status: 'converted', format: 'function-graph' });
    expect(m.get('inside.txt')).toMatchObject({ status: 'converted' });
    // `loop` leads to the input folder above: followed now, until it comes back round.
    expect(m.get('loop/dup/x.txt')).toMatchObject({ status: 'converted' });
    expect(m.get('loop/links')).toMatchObject({ status: 'skipped', reason: 'symlink-loop' });
    expect(fs.existsSync(path.join(tmp, 'outL/outside.pftrace'))).toBe(true);
  });

  it('refuses an output folder inside an input, and inputs that do not exist', async () => {
    await expect(batch.runBatch({ inputs: [path.join(tmp, 'nope')], out: path.join(tmp, 'outX') })).rejects.toThrow(/cannot read input/);
    await expect(batch.runBatch({ inputs: [path.join(input, 'misc')], out: path.join(tmp, 'outX'), to: ['pdf'] })).rejects.toThrow(/unknown output format "pdf"/);
    await expect(batch.runBatch({ inputs: [path.join(input, 'misc')], out: path.join(tmp, 'outX'), shard: '4/3' })).rejects.toThrow(/between 1 and N/);
  });
});

describe('batch command line', () => {
  beforeAll(mixedTree, 300_000);

  it('prints a line per input when not on a terminal, a summary, and exits 1 when a file failed', async () => {
    const r = await runCliProcess(['batch', input, '--out', path.join(tmp, 'outC'), '--max-size', '2M', '-j', '2']);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines.length).toBe(expected.size);
    expect(lines.filter((l) => l.startsWith('FAILED')).length).toBe([...expected.values()].filter((x) => x.status === 'failed').length);
    expect(r.stderr).toMatch(/^skipped {4}misc\/README\.md: no input format recognised it/m);
    expect(r.stderr).toMatch(/^converted {2}dup\/x\.txt → dup\/x\.txt\.pftrace \(function-graph, \d+ events/m);
    expect(r.stdout).toMatch(/^\d+ converted, 0 up to date, \d+ skipped, \d+ failed; \d+ warnings; \d+ inputs in [\d.]+ s \(\d+ files\/s, [\d.]+ MB\/s\)\nmanifest: .*manifest\.json\n$/);
  });

  it('is silent with --quiet and exits 0 when nothing failed', async () => {
    const r = await runCliProcess(['batch', path.join(input, 'plain'), path.join(input, 'misc'), '-o', path.join(tmp, 'outQ'), '-q', '--to', 'csv,folded']);
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const m = JSON.parse(fs.readFileSync(path.join(tmp, 'outQ/manifest.json'), 'utf8')) as Manifest;
    expect(m.formats).toEqual(['csv', 'folded']);
    expect(m.summary.failed).toBe(0);
    expect(m.summary.converted).toBe(registry.inputs.length);
  });

  it('exits 2 on usage errors', async () => {
    for (const args of [
      ['batch', input],
      ['batch', input, '--out', path.join(tmp, 'outU'), '--shard', '0/2'],
      ['batch', input, '--out', path.join(tmp, 'outU'), '--to', 'pdf'],
      ['batch', input, '--out', path.join(tmp, 'outU'), '--max-size', 'lots'],
      ['batch', path.join(tmp, 'missing'), '--out', path.join(tmp, 'outU')],
    ]) {
      const r = await runCliProcess(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/tracebridge: |Missing required argument/);
    }
  });
});

describe('batch interrupted', () => {
  let tree: string;
  let reference: Map<string, Buffer>;

  beforeAll(async () => {
    tree = path.join(tmp, 'big');
    fs.mkdirSync(tree);
    for (let i = 0; i < 24; i++) fs.writeFileSync(path.join(tree, `t${String(i).padStart(2, '0')}.txt`), bench.functionGraphText(i + 1, 250_000));
    const r = await batch.runBatch({ inputs: [tree], out: path.join(tmp, 'bigRef'), to: ['perfetto', 'chrome-json'], jobs: 2 });
    expect(r.manifest.summary.converted).toBe(24);
    reference = readTree(path.join(tmp, 'bigRef'));
  }, 300_000);

  /** Starts the CLI, waits for its first finished input, then kills it with `signal`. */
  async function killHalfway(out: string, signal: NodeJS.Signals) {
    return runCliProcess(['batch', tree, '--out', out, '--to', 'perfetto,chrome-json', '-j', '2'], (p) => {
      const poll = setInterval(() => {
        // An input both of whose outputs are finished, so the re-run has one to skip.
        const done = new Set(listFiles(out).filter((f) => !f.includes(TEMP_MARK)));
        if ([...done].some((f) => f.endsWith('.json') && done.has(f.replace(/\.json$/, '.pftrace')))) {
          clearInterval(poll);
          p.kill(signal);
        }
      }, 10);
      p.on('close', () => clearInterval(poll));
    });
  }

  /** Byte comparison (a deep `toEqual` of megabyte buffers is very slow). */
  const sameTree = (got: Map<string, Buffer>, want: Map<string, Buffer>) => {
    expect([...got.keys()]).toEqual([...want.keys()]);
    for (const [f, bytes] of want) expect(Buffer.compare(got.get(f)!, bytes), f).toBe(0);
  };

  const checkWhole = (out: string) => {
    const got = readTree(out);
    const finished = [...got.keys()].filter((f) => !f.includes(TEMP_MARK));
    expect(finished.length).toBeGreaterThan(0);
    expect(finished.length, 'the run finished before it was killed').toBeLessThan(reference.size);
    for (const f of finished) expect(Buffer.compare(got.get(f)!, reference.get(f)!), `${f} is not whole`).toBe(0);
  };

  it('SIGTERM: finished outputs are whole, no temporary file is left, no manifest; a re-run completes', async () => {
    const out = path.join(tmp, 'bigTerm');
    const r = await killHalfway(out, 'SIGTERM');
    expect(r.code).toBe(143);
    expect(r.stderr).toMatch(/interrupted \(SIGTERM\)/);
    checkWhole(out);
    expect(listFiles(out).filter((f) => f.includes(TEMP_MARK))).toEqual([]);
    expect(fs.existsSync(path.join(out, 'manifest.json'))).toBe(false);
    const again = await runCliProcess(['batch', tree, '--out', out, '--to', 'perfetto,chrome-json', '-q']);
    expect(again.code).toBe(0);
    const m = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')) as Manifest;
    expect(m.summary.converted + m.summary.upToDate).toBe(24);
    expect(m.summary.upToDate).toBeGreaterThan(0);
    sameTree(readTree(out), reference);
  });

  it('SIGKILL: finished outputs are whole; the next run removes the temporary files and completes', async () => {
    const out = path.join(tmp, 'bigKill');
    const r = await killHalfway(out, 'SIGKILL');
    expect(r.signal).toBe('SIGKILL');
    checkWhole(out);
    const again = await runCliProcess(['batch', tree, '--out', out, '--to', 'perfetto,chrome-json', '-q']);
    expect(again.code).toBe(0);
    expect(listFiles(out).filter((f) => f.includes(TEMP_MARK))).toEqual([]);
    sameTree(readTree(out), reference);
  });
});

describe('batch bench', () => {
  it('measures files/s and MB/s with --jobs 1 and 2 and finds identical outputs', async () => {
    const rows = await bench.benchBatch({ files: 24, fileBytes: 8 * 1024, dir: path.join(tmp, 'bench') });
    expect(rows.map((r) => r.what)).toEqual(['batch --jobs 1', 'batch --jobs 2']);
    for (const r of rows) {
      expect(r.files).toBe(24);
      expect(r.filesPerSec).toBeGreaterThan(0);
      expect(r.mbPerSec).toBeGreaterThan(0);
    }
    expect(rows[1]!.identical).toBe(true);
  });
});


/**
 * `batch` over the real-trace corpus in ../shared/corpus as a whole (skipped when it is absent):
 * nothing fails but the files in which no event was found (failed `no-events`, as `convert` fails
 * them, with nothing written), every file is accounted for once, formats agree with the corpus's
 * own MANIFEST.tsv, and one worker and two write the same bytes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../../src/pipeline/batch/index.js';
import { CORPUS, DIST, HAVE_CORPUS, ROOT, ensureBuilt, listFiles, readTree, runCliProcess } from './batch-helpers.js';
import type { CliRun } from './batch-helpers.js';

type BatchModule = typeof import('../../../src/pipeline/batch/index.js');

/** The corpus's names for formats → ours. */
const FORMAT: Record<string, string> = { dmesg: 'dmesg', function_graph: 'function-graph', lttng_text: 'lttng-text', 'ftrace-events': 'ftrace-events', 'ftrace-function': 'ftrace-events' };

/** path → format, from MANIFEST.tsv files (the top one and those of sub-folders). */
function corpusFormats(): Map<string, string> {
  const m = new Map<string, string>();
  for (const f of listFiles(CORPUS).filter((f) => path.basename(f) === 'MANIFEST.tsv')) {
    const dir = path.dirname(f) === '.' ? '' : `${path.dirname(f)}/`;
    const rows = fs.readFileSync(path.join(CORPUS, f), 'utf8').split('\n').slice(1);
    for (const r of rows) {
      const [file, format] = r.split('\t');
      if (file && format && FORMAT[format]) m.set(dir + file, FORMAT[format]!);
    }
  }
  return m;
}

describe.skipIf(!HAVE_CORPUS)('batch over ../shared/corpus', () => {
  let tmp: string;
  let one: { manifest: Manifest };
  let two: { manifest: Manifest };
  let readme: CliRun;

  beforeAll(async () => {
    ensureBuilt();
    const batch = (await import(path.join(DIST, 'pipeline/batch/index.js'))) as BatchModule;
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-corpus-'));
    // The command the README shows, as it shows it (output folder moved to a temporary one).
    const shown = fs
      .readFileSync(path.join(ROOT, 'README.md'), 'utf8')
      .split('\n')
      .find((l) => l.startsWith('$ npx tracebridge batch ../shared/corpus'));
    expect(shown, 'the README shows converting ../shared/corpus').toBeDefined();
    const args = shown!.replace('$ npx tracebridge ', '').split(' ');
    args[args.indexOf('--out') + 1] = path.join(tmp, 'jobs2');
    // Two workers whatever this machine has, to compare with one.
    readme = await runCliProcess([...args, '--jobs', '2'], undefined, ROOT);
    two = { manifest: JSON.parse(fs.readFileSync(path.join(tmp, 'jobs2', 'manifest.json'), 'utf8')) as Manifest };
    one = await batch.runBatch({ inputs: [CORPUS], out: path.join(tmp, 'jobs1'), jobs: 1, to: ['perfetto', 'folded'] });
  }, 600_000);

  it("runs the README's command: the summary it shows, exit 1 for the inputs without events", () => {
    const s = two.manifest.summary;
    expect(s.failed).toBeGreaterThan(0);
    expect(readme.code, readme.stderr.slice(-2000)).toBe(1);
    expect(readme.stdout).toMatch(new RegExp(`^${s.converted} converted, 0 up to date, ${s.skipped} skipped, ${s.failed} failed; ${s.warnings} warnings; ${s.inputs} inputs in [\\d.]+ s \\(\\d+ files/s, [\\d.]+ MB/s\\)\\nmanifest: `));
    for (const e of two.manifest.entries.filter((x) => x.status === 'failed')) {
      expect(readme.stderr, e.input).toContain(`FAILED     ${e.input}: ${e.error}\n`);
    }
  });

  afterAll(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('fails only inputs without events, writing nothing for them, and accounts for every file once', () => {
    const m = two.manifest;
    expect(m.entries.map((e) => e.input)).toEqual(listFiles(CORPUS));
    for (const e of m.entries) {
      if (e.status === 'skipped') expect(e.reason, e.input).toMatch(/^(not-a-trace|empty|binary)$/);
      else if (e.status === 'failed') {
        // A format claimed the text (the corpus's own MANIFEST.tsv; kernel reports without a call
        // trace) but no line of it was an event: failed as `convert` fails it, counted, no output.
        expect(e.reason, e.input).toBe('no-events');
        expect(e.format, e.input).not.toBeNull();
        expect(e.error, e.input).toMatch(new RegExp(`^read as ${e.format} .*, ${e.lines} lines? gave no event; the first line is "`));
        expect(e.events, e.input).toBe(0);
        expect(e.diagnostics['input.no-events'], e.input).toBe(1);
        expect(e.outputs, e.input).toEqual({});
        const base = e.input.replace(/\.[^./]*$/, '');
        for (const ext of ['.pftrace', '.folded']) expect(fs.existsSync(path.join(tmp, 'jobs2', base + ext)), e.input + ext).toBe(false);
      } else expect(e.status, e.input).toBe('converted');
    }
    // The top MANIFEST.tsv, a table of the corpus, is claimed by a sniffer but holds no event:
    // it is failed, not written as an output without events.
    expect(m.entries.find((e) => e.input === 'MANIFEST.tsv')).toMatchObject({ status: 'failed', reason: 'no-events' });
  });

  it('detects the format the corpus lists, and converts some of every one', () => {
    const listed = corpusFormats();
    expect(listed.size).toBeGreaterThan(100);
    const formats = new Set<string>();
    for (const e of two.manifest.entries) {
      if (e.status !== 'converted') continue;
      const want = listed.get(e.input);
      if (want) expect(e.format, e.input).toBe(want);
      formats.add(e.format!);
      // (a folded file may be empty: a trace without stacks has no lines to write)
      expect(fs.statSync(path.join(tmp, 'jobs2', e.outputs.perfetto!)).size, e.input).toBeGreaterThan(0);
      expect(fs.existsSync(path.join(tmp, 'jobs2', e.outputs.folded!)), e.input).toBe(true);
    }
    for (const f of new Set(listed.values())) expect(formats.has(f), `no ${f} file converted`).toBe(true);
  });

  it('writes the same bytes with one worker as with two', () => {
    expect(one.manifest).toEqual(two.manifest);
    const a = readTree(path.join(tmp, 'jobs1'), true);
    const b = readTree(path.join(tmp, 'jobs2'), true);
    expect([...a.keys()]).toEqual([...b.keys()]);
    for (const [f, bytes] of a) expect(Buffer.compare(bytes, b.get(f)!), f).toBe(0);
  });
});

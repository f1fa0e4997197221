/**
 * The real-report corpus (`../shared/corpus/dmesg`: syzkaller test data, abrt, kernel
 * documentation, mailing lists; `dmesg_kernel`: whole kernel logs of a Debian VM): every file
 * is detected as dmesg, converts to every output, yields a stack when it holds a call trace, and
 * reports what it did not understand with real line numbers. Skipped without the corpus.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { outputs } from '../../../src/outputs/registry.js';
import { HAVE_CORPUS, corpusFiles, run } from '../../support/convert-helpers.js';
import { dumpPerfetto } from '../../support/perfetto-dump.js';

/**
 * A frame line as a person would recognise it, written independently of the adapter: after an
 * optional printk time or syslog prefix, an optional section marker and address, `func+0x/0x`,
 * or an arm32 `(func) from [<addr>]` line.
 */
const FRAME_LINE =
  /^(?:.*?\[\s*\d+\.\d{6}\](?:\[\s*[TC]\d+\])?\s?|.*? kernel: )?\s*(?:<\w+>\s*)?(?:\(?\[<[0-9a-f]+>\]\s*)?(?:\? )?\.?[A-Za-z_][\w.]*\+0x[0-9a-f]+\/0x[0-9a-f]+/m;
const ARM_LINE = /\) from \[<[0-9a-f]+>\] \(/;

/** Diagnostics about the whole input, at line 0 by definition (`Diagnostic.line`). */
const WHOLE_INPUT = new Set(['input.empty', 'input.no-events', 'output.no-events']);

const sumFolded = (text: string) => text.split('\n').reduce((s, l) => s + (l ? Number(l.slice(l.lastIndexOf(' ') + 1)) : 0), 0);
/** Column 6 (tid) of CSV rows: the columns before it are numbers, so no quoting to undo. */
const tidOf = (row: string) => row.split(',')[5]!;

const files = HAVE_CORPUS ? [...corpusFiles('dmesg'), ...corpusFiles('dmesg_kernel')] : [];
const totals = { files: 0, stacks: 0, ms: 0, diagnostics: {} as Record<string, number> };

describe.skipIf(!HAVE_CORPUS)('dmesg corpus', () => {
  afterAll(() => {
    if (totals.files) console.log(`dmesg corpus: ${JSON.stringify(totals)}`);
  });

  it('holds the reports the manifest lists', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  for (const file of files) {
    it(path.relative(path.dirname(path.dirname(file)), file), async () => {
      const text = fs.readFileSync(file, 'latin1');
      const t0 = performance.now();
      const csv = await run(file, 'csv');
      totals.ms += performance.now() - t0;
      expect(csv.result.from, 'detected as dmesg').toBe('dmesg');
      const rows = csv.text.split('\r\n').filter((l) => l.startsWith('stack,'));
      if (FRAME_LINE.test(text) || ARM_LINE.test(text)) expect(rows.length, 'a file with a call trace yields a stack').toBeGreaterThan(0);
      for (const d of csv.diags) {
        if (WHOLE_INPUT.has(d.code)) expect(d.line, `${d.code} is about the whole input`).toBe(0);
        else expect(d.line, `${d.code} has a line number`).toBeGreaterThan(0);
        expect(d.line).toBeLessThanOrEqual(csv.result.lines);
      }
      // A report without a call trace (a lockdep or KASAN header alone, a panic line) has no event:
      // a failed conversion, said once for the whole input.
      if (rows.length === 0 && csv.result.events === 0) expect(csv.result.diagnostics['input.no-events'], 'no event is an error').toBe(1);
      // A kernel log holding an ftrace dump (sysrq-z, ftrace_dump_on_oops) also yields the dump's
      // function_graph calls, on CPU tracks of their own.
      const calls = csv.text.split('\r\n').filter((l) => l.startsWith('slice,'));
      for (const o of outputs) {
        if (o.name === 'csv') continue;
        const r = await run(file, o.name);
        if (o.name === 'chrome-json') expect(() => JSON.parse(r.text)).not.toThrow();
        if (o.name === 'perfetto') expect(dumpPerfetto(r.out)).toContain('"format"');
        if (o.name === 'folded' && calls.length === 0) expect(sumFolded(r.text), 'folded total = stacks (weight 1 each)').toBe(rows.length);
        if (o.name === 'folded' && calls.length > 0) {
          // The calls are folded in µs: tell the stacks apart by their threads (the log's tasks,
          // never a dump's CPU track), and count each stack and each call once.
          const tids = [...new Set(rows.map(tidOf))];
          expect(tids.every((t) => /^\d+$/.test(t)), 'every stack names its task').toBe(true);
          const callTids = new Set(calls.map(tidOf));
          expect(tids.filter((t) => callTids.has(t)), 'stacks and dump calls on different threads').toEqual([]);
          const stacks = await run(file, 'folded', { filters: { tid: tids.map(Number) } });
          expect(sumFolded(stacks.text), 'folded total of the stacks = stacks (weight 1 each)').toBe(rows.length);
          const counted = await run(file, 'folded', { weight: 'count' });
          expect(sumFolded(counted.text), 'folded count = stacks + calls').toBe(rows.length + calls.length);
          expect(sumFolded(r.text), 'the calls add their time').toBeGreaterThan(rows.length);
        }
        if (o.name === 'top') expect(r.text.startsWith('# tracebridge top')).toBe(true);
      }
      totals.files++;
      totals.stacks += rows.length;
      for (const [k, v] of Object.entries(csv.result.diagnostics)) totals.diagnostics[k] = (totals.diagnostics[k] ?? 0) + v;
    });
  }

  it('the Debian logs in three dmesg formats (default, ISO time, raw levels) give the same stacks', async () => {
    const dir = path.dirname(files.find((f) => f.includes('dmesg_kernel'))!);
    const outs = await Promise.all(['default', 'iso', 'raw'].map(async (k) => (await run(path.join(dir, `debian-6.1__dmesg-ul-${k}.txt`), 'folded')).text));
    expect(outs[0]!.split('\n').length).toBeGreaterThan(10);
    expect(outs[1]).toBe(outs[0]);
    expect(outs[2]).toBe(outs[0]);
  });
});

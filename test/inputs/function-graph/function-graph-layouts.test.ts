/**
 * The option matrix of function_graph text: for every producer option (the kernel's
 * function_graph options, trace-cmd report's), one sample, detected as function-graph, whose
 * Perfetto output holds, in the trace processor, one slice per call counted independently in
 * the text (plus the enclosing slices the parser reports it synthesised). Then the same for
 * every real trace-cmd capture in ../shared/corpus/ftrace_kernel.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { detect } from '../../../src/inputs/registry.js';
import { CORPUS, SAMPLES, run } from '../../support/convert-helpers.js';
import { countCalls } from '../../support/fg-oracle.js';
import { queryTrace } from '../../support/trace-processor.js';

const Q_COUNT = `select count(*) as n from slice where category = 'function'`;

/** Producer option → the sample that shows its layout. */
export const FG_OPTIONS: readonly [string, string][] = [
  ['tracefs default (funcgraph-cpu, -duration, -overhead)', 'tracefs-default-starts-mid-call.txt'],
  ['funcgraph-abstime', 'abstime-column.txt'],
  ['funcgraph-proc', 'proc-column-idle.txt'],
  ['nofuncgraph-cpu', 'nocpu-column.txt'],
  ['nofuncgraph-duration', 'noduration-column.txt'],
  ['funcgraph-tail, overhead marks, trace_printk comments', 'overhead-markers-and-comments.txt'],
  ['funcgraph-overrun', 'overrun-lines.txt'],
  ['latency-format', 'latency-format.txt'],
  ['latency-format + verbose + funcgraph-proc', 'latency-format-verbose-proc.txt'],
  ['latency-format, irqsoff tracer, rel-time', 'latency-irqsoff-graph.txt'],
  ['nocontext-info', 'nocontext-info.txt'],
  ['nofuncgraph-cpu nofuncgraph-duration nofuncgraph-overhead nofuncgraph-proc', 'all-columns-off.txt'],
  ['funcgraph-retval (decimal, = form of 6.5)', 'retval-and-args.txt'],
  ['funcgraph-retval-hex + funcgraph-retaddr', 'retval-hex-and-retaddr.txt'],
  ['funcgraph-args', 'funcgraph-args.txt'],
  ['funcgraph-rel-time, nosleep-time, nograph-time', 'rel-time-sleep-time-off.txt'],
  ['funcgraph-irqs (irq markers), mail quoting', 'mail-quoted-abstime-irqs.txt'],
  ['context-switch banners', 'context-switch-banners.txt'],
  ['trace-cmd report (default)', 'trace-cmd-report.txt'],
  ['trace-cmd report -l', 'trace-cmd-report-l-latency.txt'],
  ['trace-cmd report -l, 4.x kernel', 'trace-cmd-report-latency.txt'],
  ['trace-cmd report -t', 'trace-cmd-report-t-nsecs.txt'],
  ['trace-cmd report -N', 'trace-cmd-report-N-no-plugins.txt'],
  ['trace-cmd report -R', 'trace-cmd-report-R-raw.txt'],
  ['trace-cmd report --ts-diff', 'trace-cmd-report-ts-diff.txt'],
  ['trace-cmd report (counter clock; --ts-offset / --ts2secs print the default layout)', 'trace-cmd-report-counter-clock.txt'],
  ['trace-cmd report -O fgraph:depth=1', 'trace-cmd-report-fgraph-depth.txt'],
  ['trace-cmd report -O fgraph:tailprint=1', 'trace-cmd-report-fgraph-tailprint.txt'],
  ['trace-cmd report --cpu 0', 'trace-cmd-report-cpu0.txt'],
  ['trace-cmd report -i a.dat -i b.dat', 'trace-cmd-report-several-inputs.txt'],
];

async function sliceCount(file: string): Promise<{ slices: number; expected: number }> {
  const raw = fs.readFileSync(file);
  const text = (file.endsWith('.gz') ? zlib.gunzipSync(raw) : raw).toString('utf8');
  const pb = await run(file, 'perfetto');
  const repairs = pb.result.diagnostics['function-graph.unmatched-exit'] ?? 0;
  const r = await queryTrace(pb.out, [Q_COUNT]);
  expect(r.ok, r.error).toBe(true);
  expect(r.importErrors).toEqual([]);
  return { slices: Number(r.rows[0]![0]!.n), expected: countCalls(text) + repairs };
}

describe('function_graph option matrix', () => {
  for (const [option, sample] of FG_OPTIONS) {
    it(`${option}: ${sample}`, async () => {
      const file = path.join(SAMPLES, 'function-graph', sample);
      expect(detect(fs.readFileSync(file, 'utf8')).adapter?.name).toBe('function-graph');
      const { slices, expected } = await sliceCount(file);
      expect(expected).toBeGreaterThan(0);
      expect(slices).toBe(expected);
    });
  }

  it('every function-graph sample is in the matrix', () => {
    const listed = new Set(FG_OPTIONS.map(([, s]) => s));
    const unlisted = fs
      .readdirSync(path.join(SAMPLES, 'function-graph'))
      .filter((f) => !listed.has(f) && !/^(seed-|crlf-|module-suffixes)/.test(f));
    expect(unlisted).toEqual([]);
  });
});

const KDIR = path.join(CORPUS, 'ftrace_kernel');
const captures = fs.existsSync(KDIR) ? fs.readdirSync(KDIR).filter((f) => f.includes('tracecmd-report-fg-')).sort() : [];

describe.skipIf(captures.length === 0)('trace-cmd report captures of a 7.3 kernel (corpus)', () => {
  for (const f of captures) {
    it(f, async () => {
      const file = path.join(KDIR, f);
      const raw = fs.readFileSync(file);
      const text = (f.endsWith('.gz') ? zlib.gunzipSync(raw) : raw).toString('utf8');
      if (countCalls(text) === 0) {
        // `--stat`: buffer statistics, no trace; detection says so rather than guessing.
        expect(detect(text.slice(0, 65536)).adapter).toBeUndefined();
        return;
      }
      expect(detect(text.slice(0, 65536)).adapter?.name).toBe('function-graph');
      const { slices, expected } = await sliceCount(file);
      expect(slices).toBe(expected);
    }, 300_000);
  }
});

/**
 * The real ftrace captures in ../shared/corpus/ftrace_kernel (Debian 7.3 kernel: events, the
 * function tracer, trace-cmd report) and ../shared/corpus/ftrace_host (a 6.18 kernel under pipe,
 * sleep, disk and network workloads), skipped when absent:
 * - every file is detected as what it is (function_graph reports stay function-graph) and the
 *   event files convert to every output with no unparsed line;
 * - in Google's trace processor, the counts of the text: sched rows, thread states per
 *   prev_state letter, wake-ups with a waker, irq/softirq slices, syscall slices, stack samples,
 *   and no error or data-loss stats;
 * - one trace-cmd recording reported three ways gives the same events;
 * - an LTTng and an ftrace capture of similar workloads give the same kinds of Perfetto tracks.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../../src/model/events.js';
import { ftraceEvents } from '../../../src/inputs/ftrace-events/index.js';
import { detect, SNIFF_BYTES } from '../../../src/inputs/registry.js';
import { outputs } from '../../../src/outputs/registry.js';
import { CORPUS, SAMPLES, run } from '../../support/convert-helpers.js';
import { expectCounts, textCounts as counts } from '../../support/ftrace-text.js';
import { queryTrace } from '../../support/trace-processor.js';

/** ../shared/corpus, or TRACEBRIDGE_CORPUS for a checkout that is not next to it. */
const CORPUS_DIR = process.env.TRACEBRIDGE_CORPUS ?? CORPUS;
const KERNEL = path.join(CORPUS_DIR, 'ftrace_kernel');
const HOST = path.join(CORPUS_DIR, 'ftrace_host');

function traceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => /\.txt(\.gz)?$/.test(f) && !/README|RUNINFO|MANIFEST/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

function read(file: string): Buffer {
  const b = fs.readFileSync(file);
  return file.endsWith('.gz') ? zlib.gunzipSync(b) : b;
}

/** What each corpus file is: function_graph reports are the function-graph input's. */
function expected(file: string): string | undefined {
  const f = path.basename(file);
  if (f.includes('tracecmd-report-fg-stat')) return undefined; // buffer statistics, not a trace
  if (f.includes('tracecmd-report-fg') || f.includes('tracecmd-report-extract-fg')) return 'function-graph';
  return 'ftrace-events';
}

const files = [...traceFiles(KERNEL), ...traceFiles(HOST)];
const eventFiles = files.filter((f) => expected(f) === 'ftrace-events');

describe.skipIf(files.length === 0)('ftrace corpus: detection', () => {
  it('detects every file as the input it belongs to', () => {
    for (const f of files) {
      const head = read(f).subarray(0, SNIFF_BYTES).toString('utf8');
      expect(detect(head).adapter?.name, path.basename(f)).toBe(expected(f));
    }
  });
});

describe.skipIf(eventFiles.length === 0)('ftrace corpus: every event file converts to every output', () => {
  for (const f of eventFiles) {
    it(path.basename(f), async () => {
      const bytes = new Uint8Array(read(f));
      for (const o of outputs) {
        const r = await run(bytes, o.name);
        expect(r.result.from, o.name).toBe('ftrace-events');
        // (folded is empty for a trace with neither stacks nor slices: raw type ids, probes only)
        if (o.name !== 'folded') expect(r.out.length, o.name).toBeGreaterThan(0);
        expect(r.result.diagnostics['ftrace-events.unparsed-line'] ?? 0, `${o.name}: unparsed lines`).toBe(0);
        expect(r.result.diagnostics['ftrace-events.stray-frame'] ?? 0).toBe(0);
        expect(r.result.diagnostics['ftrace-events.malformed-fields'] ?? 0).toBe(0);
      }
    }, 120_000);
  }
});

/** The files whose Perfetto output is checked in the trace processor (the big function traces are left to the conversion test). */
const tpFiles = eventFiles.filter((f) => !/__fn-(default|noprint-parent|sym-offset-addr|latency-format|noirq-info|record-tgid|clock-counter|no-repeats)\.txt$/.test(f));

describe.skipIf(tpFiles.length === 0)('ftrace corpus in the Perfetto trace processor', () => {
  for (const f of tpFiles) {
    it(path.basename(f), async () => {
      await expectCounts(read(f).toString('utf8'), new Uint8Array(read(f)));
    }, 180_000);
  }
});

type Ev = [string, number, number, string];

/** The events of a parse as comparable tuples: kind, time, thread, what (args left out). */
function project(text: string, frames: boolean): Ev[] {
  const p = ftraceEvents.createParser({ file: 'x', report: () => {}, options: {} });
  const evs: TraceEvent[] = [...p.push(text.split('\n'), 1), ...p.end()];
  const tid = new Map<number, number>();
  const out: Ev[] = [];
  for (const e of evs) {
    if (e.kind === 'track' && e.track.kind === 'thread') tid.set(e.track.id, e.track.tid);
    // trace-cmd's sched plugin prints a preempted task (bit 0x100) as plain `R`; -R prints the number.
    else if (e.kind === 'sched-switch') out.push([e.kind, e.ts, e.cpu, `${e.prevTid}:${e.prevComm}:${e.prevState & 0xff}>${e.nextTid}:${e.nextComm}`]);
    else if (e.kind === 'sched-waking') out.push([e.kind, e.ts, e.wakerTid ?? -1, `${e.tid}:${e.comm}:${e.targetCpu}`]);
    else if (e.kind === 'sample') out.push([e.kind, e.ts, e.tid ?? -1, frames ? e.frames.map((x) => x.name).join(';') : e.title ?? '']);
    else if (e.kind === 'begin' || e.kind === 'end' || e.kind === 'instant') out.push([e.kind, e.ts, tid.get(e.track) ?? -1, e.name]);
  }
  return out;
}

const vfs = (s: string) => path.join(KERNEL, `debian-7.3__tracecmd-report-fn-vfs-events${s}.txt`);

describe.skipIf(!fs.existsSync(vfs('')))('one trace-cmd recording, three reports', () => {
  it('default, -R and -O ftrace:parent=1 give the same events', () => {
    const plain = project(fs.readFileSync(vfs(''), 'utf8'), false);
    const raw = project(fs.readFileSync(vfs('-R'), 'utf8'), false);
    const parent = project(fs.readFileSync(vfs('-parent'), 'utf8'), false);
    expect(plain.length).toBeGreaterThan(1000);
    expect(raw).toEqual(plain);
    expect(parent).toEqual(plain);
    // -R and parent=1 both print the parent: the same call stacks too.
    expect(project(fs.readFileSync(vfs('-R'), 'utf8'), true)).toEqual(project(fs.readFileSync(vfs('-parent'), 'utf8'), true));
    expect(plain.filter((e) => e[0] === 'sched-switch').length).toBe(counts(fs.readFileSync(vfs(''), 'utf8')).switches);
  });
});

describe('LTTng and ftrace captures of similar workloads', () => {
  it('give the same kinds of Perfetto tracks', async () => {
    const kinds = async (file: string) => {
      const pb = await run(file, 'perfetto');
      const r = await queryTrace(pb.out, [`select distinct type from track order by type`]);
      expect(r.ok, r.error).toBe(true);
      expect(r.importErrors).toEqual([]);
      return r.rows[0]!.map((row) => String(row.type));
    };
    const lttng = await kinds(path.join(SAMPLES, 'lttng-text', 'bt2-kernel-sched-irq-syscalls.txt'));
    const ftrace = await kinds(path.join(SAMPLES, 'ftrace-events', 'tracefs-6.18-sched-irq-syscalls-fork-exec.txt'));
    expect(lttng.length).toBeGreaterThan(3);
    for (const k of lttng) expect(ftrace, k).toContain(k);
  }, 120_000);
});

const kernelFile = (s: string) => path.join(KERNEL, `debian-7.3__${s}.txt`);

describe.skipIf(!fs.existsSync(kernelFile('ev-kprobes')))('ftrace corpus: probes, raw and hex', () => {
  it('joins every open/open_ret kprobe pair into a do_sys_openat2 slice', async () => {
    const text = read(kernelFile('ev-kprobes')).toString('utf8');
    const pb = await run(new Uint8Array(Buffer.from(text)), 'perfetto');
    const r = await queryTrace(pb.out, [`select count(*) as n from slice where name = 'do_sys_openat2' and dur >= 0`]);
    expect(r.ok, r.error).toBe(true);
    expect(r.importErrors).toEqual([]);
    const returns = (text.match(/: open_ret: \(/g) ?? []).length;
    expect(returns).toBeGreaterThan(100);
    expect(r.rows[0]![0]!.n).toBe(returns);
    expect(pb.result.diagnostics['ftrace-events.unmatched-probe'] ?? 0).toBe((text.match(/: open: \(/g) ?? []).length - returns);
  }, 120_000);

  it('keeps every raw and hex `type: N` line as an instant, each counted', async () => {
    for (const f of ['ev-raw', 'ev-hex']) {
      const text = read(kernelFile(f)).toString('utf8');
      const r = await run(new Uint8Array(Buffer.from(text)), 'csv');
      const types = (text.match(/ type: \d+$/gm) ?? []).length;
      expect(types, f).toBeGreaterThan(100);
      expect(r.result.diagnostics['ftrace-events.raw-type'], f).toBe(types);
      expect(r.text.split('\n').filter((l) => /^instant,.*,type \d+,event,/.test(l)).length, f).toBe(types);
    }
  });
});

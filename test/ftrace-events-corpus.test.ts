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
import type { TraceEvent } from '../src/model/events.js';
import { ftraceEvents } from '../src/inputs/ftrace-events/index.js';
import { detect, SNIFF_BYTES } from '../src/inputs/registry.js';
import { outputs } from '../src/outputs/registry.js';
import { CORPUS, SAMPLES, run } from './support/convert-helpers.js';
import { queryTrace } from './support/trace-processor.js';

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

/** Counts from the text itself, by plain patterns (not through the parser under test). */
function counts(text: string) {
  const n = (re: RegExp) => (text.match(re) ?? []).length;
  const states = new Map<string, number>();
  for (const m of text.matchAll(/ prev_state=([A-Za-z|+]+) ==>/g)) states.set(m[1]!, (states.get(m[1]!) ?? 0) + 1);
  return {
    switches: n(/ sched_switch: /g),
    waking: n(/ sched_waking: /g),
    wakeup: n(/ sched_wakeup: /g),
    wakeupNew: n(/ sched_wakeup_new: /g),
    irq: n(/ irq_handler_entry: /g),
    softirq: n(/ softirq_entry: /g),
    sysEnter: n(/ sys_enter: NR /g) + n(/: sys_\w+\(/g) + n(/ sys_enter_\w+: /g),
    stacks: n(/<stack trace ?>/g) + n(/<user stack trace>/g),
    functions: n(/ function: /g) + (/^# tracer: function\s*$/m.test(text) ? n(/^(?!.*<stack).* <-[^-]/gm) : 0),
    /** Stack blocks printed right after a function line of their CPU (func_stack_trace): one sample with it. */
    paired: (() => {
      const last = new Map<string, string>();
      let k = 0;
      for (const l of text.split('\n')) {
        const cpu = / \[(\d+)\] /.exec(l)?.[1];
        if (cpu === undefined) continue;
        if (l.includes('<stack trace>') && / <-[^-]/.test(last.get(cpu) ?? '')) k++;
        last.set(cpu, l);
      }
      return k;
    })(),
    states,
    wakesOfRunnable: (() => {
      const wakeName = / sched_waking: /.test(text) ? 'sched_waking' : 'sched_wakeup';
      const state = new Map<string, string>();
      let k = 0;
      for (const m of text.matchAll(/ (sched_switch|sched_waking|sched_wakeup): (.*)/g)) {
        if (m[1] === 'sched_switch') {
          const prev = / prev_pid=(\d+) .*prev_state=(\S+)/.exec(m[2]!);
          const next = / next_pid=(\d+)/.exec(m[2]!);
          if (prev) state.set(prev[1]!, prev[2]!);
          if (next) state.set(next[1]!, 'running');
        } else if (m[1] === wakeName) {
          const pid = /(?:^| )pid=(\d+)/.exec(m[2]!)?.[1];
          if (pid === undefined) continue;
          if (/^(R|R\+|running)$/.test(state.get(pid) ?? '')) k++;
          state.set(pid, 'R');
        }
      }
      return k;
    })(),
  };
}

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
      const text = read(f).toString('utf8');
      const c = counts(text);
      const pb = await run(new Uint8Array(read(f)), 'perfetto');
      const d = pb.result.diagnostics;
      const r = await queryTrace(pb.out, [
        'select count(*) as n from sched',
        `select count(*) as n from slice s join track t on s.track_id = t.id where t.name like 'Irq Cpu %'`,
        `select count(*) as n from slice s join track t on s.track_id = t.id where t.name like 'SoftIrq Cpu %'`,
        `select count(*) as n from slice s where s.category = 'syscall' and not exists (select 1 from args a where a.arg_set_id = s.arg_set_id and a.key = 'debug.synthesized')`,
        'select count(*) as n from perf_sample',
        'select state, count(*) as n from thread_state group by state',
        'select count(*) as n from thread_state where waker_utid is not null',
      ]);
      expect(r.ok, r.error).toBe(true);
      expect(r.importErrors).toEqual([]);
      const v = (i: number) => r.rows[i]![0]!.n as number;
      expect(v(0), 'sched rows').toBe(c.switches + (d['ftrace-events.sched-mismatch'] ?? 0));
      expect(v(1), 'irq slices').toBe(c.irq);
      expect(v(2), 'softirq slices').toBe(c.softirq);
      expect(v(3), 'syscall slices').toBe(c.sysEnter);
      expect(v(4), 'stack samples').toBe(c.stacks - (d['ftrace-events.empty-stack'] ?? 0) + c.functions - c.paired);
      // Every prev_state but R (which runnable-after-wake-up rows share) gives its own rows.
      const byState = new Map(r.rows[5]!.map((row) => [row.state as string, row.n as number]));
      for (const [letters, n] of c.states) if (letters !== 'R') expect(byState.get(letters) ?? 0, `thread_state ${letters}`).toBe(n);
      if (c.switches > 0) expect(byState.get('Running') ?? 0).toBeGreaterThan(0);
      const wakes = c.waking > 0 ? c.waking : c.wakeup;
      // A wake-up of a task that is already runnable or running starts no new thread state.
      expect(v(6), 'wake-ups with a waker').toBeGreaterThanOrEqual(wakes - c.wakesOfRunnable);
      expect(v(6)).toBeLessThanOrEqual(wakes + c.wakeupNew);
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

/**
 * The filter stage on samples of every input. Each filter's result is checked against what the
 * unfiltered output says should remain: CSV rows selected by their task, CPU or time; folded
 * lines cut at a function, stripped of excluded frames, or cut at a depth.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventFilter, globToRegExp, parseTimeBound } from '../../src/model/filter.js';
import type { TraceEvent } from '../../src/model/events.js';
import { runCli } from '../../src/cli/cli.js';
import { ROOT, SAMPLES, run } from '../support/convert-helpers.js';
import type { FilterSpec } from '../../src/model/filter.js';

const FG = path.join(SAMPLES, 'function-graph/trace-cmd-report.txt');
const FG_SEED = path.join(SAMPLES, 'function-graph/seed-004-recvfrom-pasted.txt');
const LT = path.join(SAMPLES, 'lttng-text/bt2-kernel-sched-irq-syscalls.txt');
const LT_TASKS = path.join(SAMPLES, 'lttng-text/handmade-kernel-midnight-block-timers-ipi.txt');
const LT_UST = path.join(SAMPLES, 'lttng-text/bt1-ust-cyg-profile.txt');
const DM = path.join(SAMPLES, 'dmesg/kasan-allocated-freed-stacks.txt');
const DM_SEED = path.join(ROOT, 'test/fixtures/dmesg/seed-001-db-bench-rbinsert-histogram.txt');
const FE = path.join(SAMPLES, 'ftrace-events/tracefs-6.18-sched-irq-syscalls-fork-exec.txt');
const FE_STACKS = path.join(SAMPLES, 'ftrace-events/tracefs-stacktrace-sched-switch.txt');
const PS = path.join(SAMPLES, 'perf-script/fields-pid-tid-cpu-period.txt');
const PS_TASKS = path.join(SAMPLES, 'perf-script/thread-names-with-spaces.txt');
/** Inputs whose folded lines are stack samples (a frame filter edits a sample), not calls. */
const STACK_INPUTS = new Set<string>(['dmesg', 'ftrace-events', 'perf-script']);

type Row = Record<string, string>;

/** RFC 4180 rows of our CSV output. */
function csvRows(text: string): Row[] {
  const records: string[][] = [];
  let rec: string[] = [];
  let cell = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (q) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') q = false;
      else cell += c;
    } else if (c === '"') q = true;
    else if (c === ',') rec.push(cell), (cell = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      rec.push(cell);
      records.push(rec);
      rec = [];
      cell = '';
    } else cell += c;
  }
  const [head, ...body] = records;
  return body.map((r) => Object.fromEntries(head!.map((h, i) => [h, r[i] ?? ''])));
}

const slicesAndStacks = (rows: Row[]) => rows.filter((r) => r.kind === 'slice' || r.kind === 'stack');
/** A row without its depth (filters renumber depths) or args. */
const key = (r: Row) => [r.kind, r.ts_ns, r.dur_ns, r.pid, r.tid, r.comm, r.name, r.category, r.value, r.stack].join('|');

async function csvOf(file: string, filters?: FilterSpec) {
  return csvRows((await run(file, 'csv', { filters })).text);
}

function foldedMap(text: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of text.split('\n')) {
    if (!l) continue;
    const sp = l.lastIndexOf(' ');
    m.set(l.slice(0, sp), (m.get(l.slice(0, sp)) ?? 0) + Number(l.slice(sp + 1)));
  }
  return m;
}

/**
 * Folded paths edited frame by frame. A perf-script path starts with its process label, which is
 * not a frame: frame filters leave it in place above what they keep.
 */
function reFold(m: Map<string, number>, f: (frames: string[]) => string[] | undefined, labelled = false): Map<string, number> {
  const out = new Map<string, number>();
  for (const [p, w] of m) {
    const parts = p.split(';');
    const kept = labelled ? f(parts.slice(1)) : f(parts);
    const r = labelled && kept && kept.length ? [parts[0]!, ...kept] : kept;
    if (!r || r.length === 0) continue;
    const k = r.join(';');
    out.set(k, (out.get(k) ?? 0) + w);
  }
  return out;
}

const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

async function folded(file: string, weight: 'self' | 'count', filters?: FilterSpec) {
  return foldedMap((await run(file, 'folded', { weight, filters })).text);
}

describe('globs and times', () => {
  it('globs match whole names with *, ? and classes', () => {
    expect(globToRegExp('tcp_*').test('tcp_recvmsg')).toBe(true);
    expect(globToRegExp('tcp_*').test('xtcp_recvmsg')).toBe(false);
    expect(globToRegExp('kworker/?:1').test('kworker/0:1')).toBe(true);
    expect(globToRegExp('[!a]bc').test('xbc')).toBe(true);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
  });
  it('times: a unit means relative to the trace start, a bare number is absolute seconds, decimals are exact', () => {
    expect(parseTimeBound('1.5ms')).toEqual({ ns: 1_500_000, relative: true });
    expect(parseTimeBound('593.528741')).toEqual({ ns: 593_528_741_000, relative: false });
    expect(parseTimeBound('7us')).toEqual({ ns: 7000, relative: true });
    expect(() => parseTimeBound('5 minutes')).toThrow(/bad time/);
  });
});

describe('--pid, --tid, --comm keep one task, on every input', () => {
  const cases: [string, string, Row[] | undefined][] = [
    ['function-graph', FG, undefined],
    ['lttng-text', LT_TASKS, undefined],
    ['dmesg', DM, undefined],
    ['ftrace-events', FE, undefined],
    ['perf-script', PS_TASKS, undefined],
  ];
  for (const [name, file] of cases) {
    it(name, async () => {
      const all = slicesAndStacks(await csvOf(file));
      const tids = [...new Set(all.map((r) => r.tid))].filter(Boolean);
      expect(tids.length).toBeGreaterThan(1);
      const tid = tids[0]!;
      const comm = all.find((r) => r.tid === tid)!.comm;
      const pid = all.find((r) => r.tid === tid)!.pid;
      const want = all.filter((r) => r.tid === tid).map(key);
      expect(slicesAndStacks(await csvOf(file, { tid: [Number(tid)] })).map(key)).toEqual(want);
      expect(slicesAndStacks(await csvOf(file, { pid: [Number(pid)] })).map(key)).toEqual(all.filter((r) => r.pid === pid).map(key));
      const glob = comm.slice(0, 3) + '*';
      const re = globToRegExp(glob);
      // A name is judged when the call begins: a call that began before an exec renamed its
      // task is kept by the old name. So: every row named so is kept, and every kept row's
      // task (or its process) bore a matching name.
      const byComm = slicesAndStacks(await csvOf(file, { comm: [glob] }));
      const every = await csvOf(file);
      const names = (t: string) => new Set(every.filter((r) => r.tid === t).map((r) => r.comm));
      const got = new Set(byComm.map(key));
      for (const r of all.filter((x) => re.test(x.comm))) expect(got.has(key(r))).toBe(true);
      // The glob matches thread or process names: the process's name is its main thread's.
      for (const r of byComm) expect([...names(r.tid), ...names(r.pid)].some((n) => re.test(n))).toBe(true);
      expect(byComm.length).toBeLessThan(all.length);
      // Scheduler rows that stay involve the task.
      for (const r of await csvOf(file, { tid: [Number(tid)] })) {
        if (r.kind === 'sched_switch') expect(r.tid === tid || r.args.includes(`"prev_tid":${tid},`)).toBe(true);
      }
    });
  }
});

describe('a sample that matches by its own task, on a lane the task filters dropped', () => {
  it('comes with its track (once), and the lane\'s other events stay out', () => {
    const f = new EventFilter({ comm: ['sh'] });
    const lane: TraceEvent = { kind: 'track', track: { kind: 'global', id: 7, name: 'kernel log' } };
    const sample = (ts: number, comm: string): TraceEvent => ({ kind: 'sample', ts, track: 7, frames: [{ name: 'f' }], weight: 1, comm, tid: 12 });
    const out = f.push([lane, sample(1, 'sh'), { kind: 'instant', ts: 2, track: 7, name: 'other' }, sample(3, 'sh'), sample(4, 'bash')]);
    expect(out.map((e) => (e.kind === 'sample' ? `sample@${e.ts}` : e.kind))).toEqual(['track', 'sample@1', 'sample@3']);
    expect(out[0]).toEqual(lane);
  });

  it('does not crash a writer (two cases the fuzzer found), to every output', async () => {
    const cases: [string, FilterSpec][] = [
      // A bpftrace stack of `sh` is drawn on the kernel log's global lane.
      ['@stacks[sh, \r\n\tffffffffa2d3a0fd __schedule+845 ([kernel.kallsyms])\r\n', { comm: ['sh'] }],
      // The idle task's report is drawn on its CPU's lane.
      ['CPU: 1 PID: 0 Comm: swapper/1 Not tainted 4.15.0-rc8+ #4\n  nvmet_req_complete+0x11/0x40 [nvmet]\n', { pid: [0] }],
    ];
    for (const [text, filters] of cases) {
      for (const to of ['chrome-json', 'perfetto', 'csv', 'folded']) {
        const r = await run(new TextEncoder().encode(text), to, { from: 'dmesg', filters });
        expect(r.out.length, to).toBeGreaterThan(0);
        if (to === 'chrome-json') expect((JSON.parse(r.text) as { traceEvents: { ph: string }[] }).traceEvents.some((e) => e.ph === 'i')).toBe(true);
      }
    }
  });
});

describe('--cpu', () => {
  it('function-graph: the calls of CPU 1 are those of the CPU 1 lines converted alone', async () => {
    const text = fs.readFileSync(FG, 'utf8');
    const cpu1 = text
      .split('\n')
      .filter((l) => !/\[\d{3}\]/.test(l) || l.includes('[001]'))
      .join('\n');
    const alone = slicesAndStacks(csvRows((await run(new TextEncoder().encode(cpu1), 'csv')).text)).map(key);
    const filtered = slicesAndStacks(await csvOf(FG, { cpu: [1] })).map(key);
    expect(filtered.length).toBeGreaterThan(0);
    expect(filtered).toEqual(alone);
  });
  for (const [name, file] of [
    ['function-graph', FG],
    ['lttng-text', LT],
    ['dmesg', DM],
    ['ftrace-events', FE],
    ['perf-script', PS],
  ] as const) {
    it(`${name}: the CPUs partition the slices and stacks; per-CPU rows keep their CPU`, async () => {
      const all = slicesAndStacks(await csvOf(file)).map(key).sort();
      const parts: string[] = [];
      for (const c of [0, 1, 2, 3, 4, 5, 6, 7]) {
        const rows = await csvOf(file, { cpu: [c] });
        for (const r of rows) if (r.cpu !== '') expect(r.cpu).toBe(String(c));
        parts.push(...slicesAndStacks(rows).map(key));
      }
      // dmesg reports that do not say their CPU belong to none.
      const known = name === 'dmesg' ? slicesAndStacks(await csvOf(file)).filter((r) => r.cpu !== '').map(key).sort() : all;
      expect(parts.sort()).toEqual(known);
      expect(parts.length).toBeGreaterThan(0);
    });
  }
});

describe('--function keeps calls of a function and their callees, as roots', () => {
  for (const [name, file, glob] of [
    ['function-graph', FG_SEED, 'tcp_v4_*'],
    ['lttng-text', LT_UST, '0x403B14'],
    ['dmesg', DM_SEED, 'try_to_wake_up'],
    ['ftrace-events', FE_STACKS, 'do_syscall_*'],
    ['perf-script', PS_TASKS, 'work*'],
  ] as const) {
    it(name, async () => {
      const re = globToRegExp(glob);
      const cut = (f: string[]) => {
        const i = f.findIndex((x) => re.test(x));
        return i < 0 ? undefined : f.slice(i);
      };
      const want = reFold(await folded(file, 'count'), cut, name === 'perf-script');
      expect(want.size).toBeGreaterThan(0);
      expect(sorted(await folded(file, 'count', { function: [glob] }))).toEqual(sorted(want));
    });
  }
});

describe('--exclude drops frames; callees move up and the caller takes the time', () => {
  for (const [name, file, glob] of [
    ['function-graph', FG_SEED, 'tcp_v4_do_rcv'],
    ['lttng-text', LT_UST, '0x403B14'],
    ['dmesg', DM_SEED, '*wake_up_common*'],
    ['ftrace-events', FE_STACKS, '__schedule'],
    ['perf-script', PS_TASKS, 'main'],
  ] as const) {
    it(name, async () => {
      const re = globToRegExp(glob);
      const count = await folded(file, 'count');
      // A call of an excluded function is not counted; a path through one loses that frame.
      const want = reFold(count, (f) => (re.test(f[f.length - 1]!) && !STACK_INPUTS.has(name) ? undefined : f.filter((x) => !re.test(x))), name === 'perf-script');
      expect(sorted(await folded(file, 'count', { exclude: [glob] }))).toEqual(sorted(want));
      expect([...want.keys()].some((p) => p.split(';').some((x) => re.test(x)))).toBe(false);
      const self = await folded(file, 'self');
      const kept = await folded(file, 'self', { exclude: [glob] });
      // Totals are equal up to the rounding of each line to whole microseconds.
      expect(Math.abs(total(kept) - total(self))).toBeLessThanOrEqual(self.size);
    });
  }
});

describe('--max-depth cuts paths; deeper time goes to the deepest kept caller', () => {
  for (const [name, file] of [
    ['function-graph', FG_SEED],
    ['lttng-text', LT_UST],
    ['dmesg', DM_SEED],
    ['ftrace-events', FE_STACKS],
    ['perf-script', PS_TASKS],
  ] as const) {
    it(name, async () => {
      const n = 2;
      const count = await folded(file, 'count');
      const want = STACK_INPUTS.has(name) ? reFold(count, (f) => f.slice(0, n), name === 'perf-script') : reFold(count, (f) => (f.length > n ? undefined : f));
      expect(sorted(await folded(file, 'count', { maxDepth: n }))).toEqual(sorted(want));
      const self = await folded(file, 'self');
      const cut = await folded(file, 'self', { maxDepth: n });
      // (the process label of a perf-script path is not a frame)
      const frames = (p: string) => p.split(';').length - (name === 'perf-script' ? 1 : 0);
      expect([...cut.keys()].every((p) => frames(p) <= n)).toBe(true);
      expect(Math.abs(total(cut) - total(self))).toBeLessThanOrEqual(self.size);
    });
  }
});

describe('--time keeps what began in the window', () => {
  it('function-graph: absolute seconds, as printed', async () => {
    const all = slicesAndStacks(await csvOf(FG));
    const [a, b] = [593_528_700_000, 593_528_800_000];
    const want = all.filter((r) => Number(r.ts_ns) >= a && Number(r.ts_ns) <= b).map(key);
    expect(want.length).toBeGreaterThan(3);
    expect(slicesAndStacks(await csvOf(FG, { time: '593.5287..593.5288' })).map(key)).toEqual(want);
  });
  it('function-graph: relative to the first event, with units; open ends', async () => {
    const all = slicesAndStacks(await csvOf(FG));
    const t0 = 593_526_808_000; // the first line
    const want = all.filter((r) => Number(r.ts_ns) >= t0 + 2_000_000).map(key);
    expect(slicesAndStacks(await csvOf(FG, { time: '2ms..' })).map(key)).toEqual(want);
    const head = all.filter((r) => Number(r.ts_ns) <= t0 + 1_900_000).map(key);
    expect(slicesAndStacks(await csvOf(FG, { time: '..1.9ms' })).map(key)).toEqual(head);
  });
  it('lttng-text: absolute times include the clock origin; every kind of row is windowed', async () => {
    const r = await run(LT, 'chrome-json');
    const origin = Number((JSON.parse(r.text) as { otherData: { clock_origin_ns?: string } }).otherData.clock_origin_ns ?? 0);
    const rows = await csvOf(LT);
    const ts = rows.map((x) => Number(x.ts_ns)).sort((x, y) => x - y);
    const [a, b] = [ts[Math.floor(ts.length / 3)]!, ts[Math.floor((2 * ts.length) / 3)]!];
    const sec = (ns: number) => `${Math.floor((ns + origin) / 1e9)}.${String((ns + origin) % 1e9).padStart(9, '0')}`;
    const want = rows.filter((x) => x.kind !== 'slice' || true).filter((x) => Number(x.ts_ns) >= a && Number(x.ts_ns) <= b);
    const got = await csvOf(LT, { time: `${sec(a)}..${sec(b)}` });
    expect(slicesAndStacks(got).map(key)).toEqual(slicesAndStacks(want).map(key));
    for (const x of got) expect(Number(x.ts_ns) >= a && Number(x.ts_ns) <= b).toBe(true);
  });
  for (const [name, file] of [
    ['ftrace-events', FE],
    ['perf-script', PS_TASKS],
  ] as const) {
    it(`${name}: absolute seconds as printed keep the rows stamped inside the window`, async () => {
      const r = await run(file, 'chrome-json');
      const origin = Number((JSON.parse(r.text) as { otherData: { clock_origin_ns?: string } }).otherData.clock_origin_ns ?? 0);
      const rows = slicesAndStacks(await csvOf(file));
      const ts = rows.map((x) => Number(x.ts_ns)).sort((x, y) => x - y);
      const [a, b] = [ts[Math.floor(ts.length / 3)]!, ts[Math.floor((2 * ts.length) / 3)]!];
      const sec = (ns: number) => `${Math.floor((ns + origin) / 1e9)}.${String((ns + origin) % 1e9).padStart(9, '0')}`;
      const want = rows.filter((x) => Number(x.ts_ns) >= a && Number(x.ts_ns) <= b).map(key);
      expect(want.length).toBeGreaterThan(2);
      expect(want.length).toBeLessThan(rows.length);
      expect(slicesAndStacks(await csvOf(file, { time: `${sec(a)}..${sec(b)}` })).map(key)).toEqual(want);
    });
  }
  it('dmesg: reports by their time', async () => {
    const all = slicesAndStacks(await csvOf(DM));
    const a = Number(all[1]!.ts_ns);
    const got = slicesAndStacks(await csvOf(DM, { time: `${a / 1e9}..` })).map(key);
    expect(got).toEqual(all.filter((r) => Number(r.ts_ns) >= a).map(key));
    expect(got.length).toBe(all.length - 1);
  });
});

describe('filters in metadata and on the command line', () => {
  it('every filter is written in the Chrome JSON and svg metadata', async () => {
    const filters: FilterSpec = { tid: [4807], comm: ['trace-*'], cpu: [0], function: ['*'], exclude: ['read_hpet'], maxDepth: 9, time: '..1s' };
    const j = JSON.parse((await run(FG, 'chrome-json', { filters })).text) as { otherData: Record<string, unknown> };
    expect(j.otherData).toMatchObject({ filter_tid: '4807', filter_comm: 'trace-*', filter_cpu: '0', filter_function: '*', filter_exclude: 'read_hpet', 'filter_max-depth': '9', filter_time: '..1s' });
    const svg = (await run(FG, 'svg', { filters })).text;
    expect(svg).toContain('data-filter-tid="4807"');
    expect(svg).toContain('filters: --tid 4807 --comm trace-* --cpu 0 --function * --exclude read_hpet --max-depth 9 --time ..1s');
  });
  it('convert takes the options; bad values are usage errors (exit 2)', async () => {
    const out = path.join(fs.mkdtempSync(path.join(ROOT, 'out-filter-')), 'x.folded');
    try {
      const io = { out: '', err: '' };
      const cli = (args: string[]) => runCli(args, { stdout: (s) => (io.out += s), stderr: (s) => (io.err += s) });
      expect(await cli(['convert', FG, '-o', out.replace('x.folded', 'all.folded'), '--quiet'])).toBe(0);
      expect(await cli(['convert', FG, '-o', out, '--tid', '4809', '--quiet'])).toBe(0);
      const all = fs.readFileSync(out.replace('x.folded', 'all.folded'), 'utf8');
      expect(fs.readFileSync(out, 'utf8')).toBe((await run(FG, 'folded', { filters: { tid: [4809] } })).text);
      expect(fs.readFileSync(out, 'utf8')).not.toBe(all);
      expect(fs.readFileSync(out, 'utf8')).toContain('mutex_unlock 29\n');
      expect(await cli(['convert', FG, '-o', out, '--time', '5 minutes'])).toBe(2);
      expect(io.err).toContain('bad --time');
      expect(await cli(['convert', FG, '-o', out, '--tid', 'abc'])).toBe(2);
      expect(await cli(['convert', FG, '-o', out, '--max-depth', '0'])).toBe(2);
    } finally {
      fs.rmSync(path.dirname(out), { recursive: true, force: true });
    }
  });
});

/**
 * End-to-end: the Perfetto and Chrome JSON outputs of the dmesg seeds and samples loaded into
 * Google's Perfetto trace processor. The flame graph the UI draws is built from perf_sample rows
 * and their callsites; its totals must be the histogram counts, stack by stack.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, SAMPLES, run, samplesOf } from '../../support/convert-helpers.js';
import { queryTrace } from '../../support/trace-processor.js';

const FIXTURES = path.join(ROOT, 'test/fixtures/dmesg');

const Q_SAMPLES = 'select count(*) as n from perf_sample';
const Q_BY_CALLSITE = 'select callsite_id as cs, count(*) as n from perf_sample group by callsite_id';
const Q_CALLSITES = `select c.id as id, c.parent_id as parent, f.name as name
  from stack_profile_callsite c join stack_profile_frame f on c.frame_id = f.id`;
const Q_REPORTS = `select count(*) as n from slice where category = 'stack'`;

/** `root;...;leaf weight` lines → map. */
function foldedMap(text: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of text.split('\n')) {
    if (!l) continue;
    const sp = l.lastIndexOf(' ');
    m.set(l.slice(0, sp), (m.get(l.slice(0, sp)) ?? 0) + Number(l.slice(sp + 1)));
  }
  return m;
}

/** The flame graph as the trace processor holds it: root-first frame paths with sample counts. */
function tpFlamegraph(bySite: Record<string, number | string | null>[], sites: Record<string, number | string | null>[]): Map<string, number> {
  const byId = new Map(sites.map((s) => [s.id as number, s]));
  const pathOf = (id: number): string => {
    const names: string[] = [];
    for (let cur = byId.get(id); cur; cur = cur.parent === null ? undefined : byId.get(cur.parent as number)) names.push(cur.name as string);
    return names.reverse().join(';');
  };
  const m = new Map<string, number>();
  for (const row of bySite) {
    const p = pathOf(row.cs as number);
    m.set(p, (m.get(p) ?? 0) + (row.n as number));
  }
  return m;
}

async function checkPerfetto(file: string) {
  const pb = await run(file, 'perfetto');
  const folded = foldedMap((await run(file, 'folded')).text);
  const reports = (await run(file, 'csv')).text.split('\r\n').filter((l) => l.startsWith('stack,')).length;
  const r = await queryTrace(pb.out, [Q_SAMPLES, Q_BY_CALLSITE, Q_CALLSITES, Q_REPORTS]);
  expect(r.ok, r.error).toBe(true);
  expect(r.traceType).toBe('proto');
  expect(r.importErrors).toEqual([]);
  expect(r.infoDrops).toEqual([]);
  const total = [...folded.values()].reduce((a, b) => a + b, 0);
  expect(r.rows[0]![0]!.n, 'perf_sample rows = sum of counts').toBe(total);
  expect(tpFlamegraph(r.rows[1]!, r.rows[2]!), 'samples per stack = folded counts').toEqual(folded);
  expect(r.rows[3]![0]!.n, 'one timeline event per call trace').toBe(reports);
  return { total, stacks: folded.size };
}

describe('seeds in the Perfetto trace processor', () => {
  it('seed 000: 6 stacks, 195586 samples, counts per stack as in the histogram', async () => {
    const r = await checkPerfetto(path.join(FIXTURES, 'seed-000-memcached-rbinsert-histogram.txt'));
    expect(r).toEqual({ total: 195586, stacks: 6 });
  });

  it('seed 001: 7 stacks, 1191478 samples, counts per stack as in the histogram', async () => {
    const r = await checkPerfetto(path.join(FIXTURES, 'seed-001-db-bench-rbinsert-histogram.txt'));
    expect(r).toEqual({ total: 1191478, stacks: 7 });
  });

  it('seed 001 as Chrome JSON: one instant per histogram entry, carrying its stack', async () => {
    const json = await run(path.join(FIXTURES, 'seed-001-db-bench-rbinsert-histogram.txt'), 'chrome-json');
    const r = await queryTrace(json.out, [
      `select count(*) as n from slice where category = 'stack'`,
      `select s.name as name, a.display_value as v from slice s join args a using (arg_set_id) where s.category = 'stack' and a.key = 'args.count' order by s.ts`,
    ]);
    expect(r.ok, r.error).toBe(true);
    expect(r.importErrors).toEqual([]);
    expect(r.rows[0]![0]!.n).toBe(7);
    expect(r.rows[1]!.map((x) => [x.name, Number(x.v)])).toEqual([
      ['Trace1', 614697],
      ['Trace2', 329874],
      ['Trace3', 208215],
      ['Trace4', 16668],
      ['Trace5', 16083],
      ['Trace6', 5193],
      ['Trace7', 748],
    ]);
  });
});

/**
 * One sample per way stacks reach the output (histogram weights, bpftrace keys, several stacks per
 * report, sections and faulting locations, old and arm32 frames, repeated stacks, no time, wall
 * clock); the goldens pin the exact bytes of every sample, so each engine run here (2-3 s) buys
 * a distinct check.
 */
const E2E_SAMPLES = [
  'histogram-counts-total-mismatch.txt',
  'bpftrace-kstack-map.txt',
  'kasan-allocated-freed-stacks.txt',
  'rcu-stall-nmi-backtrace.txt',
  'same-stack-as-pid.txt',
  'arm32-backtrace-from.txt',
  'irq-section-rip-no-timestamps.txt',
  'iso-time-format.txt',
];

describe('dmesg samples in the Perfetto trace processor', () => {
  it('the chosen samples exist', () => {
    for (const s of E2E_SAMPLES) expect(samplesOf('dmesg')).toContain(s);
  });
  for (const sample of E2E_SAMPLES) {
    it(sample, async () => {
      const r = await checkPerfetto(path.join(SAMPLES, 'dmesg', sample));
      expect(r.stacks).toBeGreaterThan(0);
    });
  }
});

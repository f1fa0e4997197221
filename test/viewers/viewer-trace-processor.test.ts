/**
 * Viewer test: what Perfetto UI opens on. Every sample's `.pftrace` and `.json`, loaded into the
 * real trace processor: the trace's bounds begin at its first data event (not at 0, where the
 * metadata used to sit), every instant has a name, and markers sit at the time of the events
 * next to them. Also: a `.folded` file is read by Perfetto's collapsed-stack importer.
 *
 * Run alone: `npx vitest run test/viewers/viewer-trace-processor.test.ts`.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLES, run, samplesOf } from '../support/convert-helpers.js';
import { queryTrace } from '../support/trace-processor.js';

const Q_BOUNDS = `select start_ts as s, end_ts as e from trace_bounds`;
/** The first data event: slices and instants other than our metadata, scheduling, counters, samples. */
const Q_FIRST = `select min(ts) as t from (
  select ts from slice where name != 'trace metadata'
  union all select ts from sched
  union all select ts from thread_state
  union all select ts from counter
  union all select ts from perf_sample)`;
const Q_META = `select ts from slice where name = 'trace metadata'`;
const Q_UNNAMED = `select count(*) as n from slice where name is null or name = '' or name = '[No name]'`;

describe('Perfetto trace processor: timelines open on the data', () => {
  for (const input of ['dmesg', 'function-graph', 'lttng-text']) {
    for (const sample of samplesOf(input)) {
      it.concurrent(`${input}/${sample}`, async () => {
        const file = path.join(SAMPLES, input, sample);
        for (const to of ['perfetto', 'chrome-json']) {
          const { out } = await run(file, to);
          const r = await queryTrace(out, [Q_BOUNDS, Q_FIRST, Q_META, Q_UNNAMED]);
          expect(r.ok, `${to}: ${r.error}`).toBe(true);
          const first = r.rows[1]![0]!.t;
          expect(first, `${to}: has data`).not.toBeNull();
          expect(r.rows[0]![0]!.s, `${to}: trace_bounds start = first data event`).toBe(first);
          if (to === 'perfetto') expect(r.rows[2]!.map((x) => x.ts), 'metadata at the first event').toEqual([first]);
          expect(r.rows[3]![0]!.n, `${to}: unnamed slices or instants`).toBe(0);
        }
      });
    }
  }
});

describe('Perfetto trace processor: markers', () => {
  const file = path.join(SAMPLES, 'function-graph', 'trace-cmd-report.txt');
  for (const to of ['perfetto', 'chrome-json']) {
    it(`${to}: the dropped-events marker and the print are named and where the trace-cmd lines put them`, async () => {
      const { out } = await run(file, to);
      const r = await queryTrace(out, [
        `select name, ts from slice where name like '%events lost%'`,
        `select name, ts from slice where name like 'kt-workload[4809]%'`,
        Q_BOUNDS,
      ]);
      expect(r.ok, r.error).toBe(true);
      // `CPU:1 [1073 EVENTS DROPPED]` comes right before CPU 1's line at 594.270650.
      expect(r.rows[0]).toEqual([{ name: '1073 events lost', ts: 594_270_650_000 }]);
      // `print: tracing_mark_write: kt-workload[4809]: begin scale=1` at 593.637369.
      expect(r.rows[1]).toEqual([{ name: 'kt-workload[4809]: begin scale=1', ts: 593_637_369_000 }]);
      // The first line is at 593.526808; nothing of ours drags the trace back to 0.
      expect(r.rows[2]![0]!.s).toBe(593_526_808_000);
    });
  }
});

describe('Perfetto trace processor: folded stacks', () => {
  it('reads seed 004 .folded with its collapsed-stack importer, weights intact', async () => {
    const { text, out } = await run(path.join(SAMPLES, 'function-graph', 'seed-004-recvfrom-pasted.txt'), 'folded');
    const total = text
      .trim()
      .split('\n')
      .reduce((s, l) => s + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    const r = await queryTrace(out, [`select count(*) as n from stack_profile_frame where name = 'SyS_recvfrom'`]);
    expect(r.ok, r.error).toBe(true);
    expect(r.traceType).not.toBeNull();
    expect(r.rows[0]![0]!.n).toBeGreaterThan(0);
    expect(total).toBeGreaterThan(6000);
  });
});

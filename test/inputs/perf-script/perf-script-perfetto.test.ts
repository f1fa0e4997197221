/**
 * End-to-end: the Perfetto output of perf script text in Google's trace processor. Every sample
 * is one perf_sample row on its own thread (pid, tid, name) and CPU at its time, its callstack
 * is the sample's stack, and the import has no error stats. Runs on the samples and on a real
 * capture of the corpus.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS, SAMPLES, run, samplesOf } from '../../support/convert-helpers.js';
import { queryTrace } from '../../support/trace-processor.js';

const Q_SAMPLES = `select s.ts as ts, s.cpu as cpu, t.tid as tid, t.name as name, p.pid as pid, s.callsite_id as cs
  from perf_sample s join thread t using(utid) left join process p using(upid) order by s.ts, t.tid`;
const Q_CALLSITES = `select c.id as id, c.parent_id as parent, f.name as name
  from stack_profile_callsite c join stack_profile_frame f on c.frame_id = f.id`;

async function check(file: string) {
  const pb = await run(file, 'perfetto', { from: 'perf-script' });
  const csv = (await run(file, 'csv', { from: 'perf-script' })).text.split('\r\n').filter((l) => l.startsWith('stack,'));
  const r = await queryTrace(pb.out, [Q_SAMPLES, Q_CALLSITES]);
  expect(r.ok, r.error).toBe(true);
  expect(r.importErrors).toEqual([]);
  expect(r.infoDrops).toEqual([]);
  const rows = r.rows[0]!;
  expect(rows.length, 'perf_sample rows = samples').toBe(csv.length);
  const sites = new Map(r.rows[1]!.map((s) => [s.id as number, s]));
  const stackOf = (id: number | null): string => {
    const names: string[] = [];
    for (let cur = id === null ? undefined : sites.get(id); cur; cur = cur.parent === null ? undefined : sites.get(cur.parent as number)) names.push(cur.name as string);
    return names.reverse().join(';');
  };
  // The CSV rows (input order) against the trace processor's rows, sample by sample.
  const want = csv
    .map((l) => {
      const c = l.split(',');
      return { ts: Number(c[1]), cpu: c[3] === '' ? 0 : Number(c[3]), pid: Number(c[4]), tid: Number(c[5]), name: c[6]!, stack: c[11]! };
    })
    .sort((a, b) => a.ts - b.ts || a.tid - b.tid);
  const got = rows.map((x) => ({ ts: x.ts as number, cpu: x.cpu as number, pid: x.pid as number, tid: x.tid as number, name: x.name as string, stack: stackOf(x.cs as number) }));
  expect(got).toEqual(want);
  return rows.length;
}

describe('perf-script → Perfetto in the trace processor', () => {
  for (const s of samplesOf('perf-script')) {
    it(s, async () => {
      expect(await check(path.join(SAMPLES, 'perf-script', s))).toBeGreaterThan(0);
    }, 120_000);
  }
  const cap = path.join(CORPUS, 'perf_script', 'xz__fields.perf.txt.gz');
  it.skipIf(!fs.existsSync(cap))('xz__fields (corpus: 11332 samples, two threads, cpu field)', async () => {
    expect(await check(cap)).toBe(11332);
  }, 300_000);
});

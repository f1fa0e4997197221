/**
 * End-to-end: the Perfetto output of every ftrace-events sample in Google's Perfetto trace
 * processor: accepted, no import errors, and the scheduling, thread state, wake-up, interrupt,
 * syscall and stack counts of the text.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, SAMPLES, samplesOf } from '../../support/convert-helpers.js';
import { expectCounts } from '../../support/ftrace-text.js';
import { queryTrace } from '../../support/trace-processor.js';

describe('ftrace-events samples in the Perfetto trace processor', () => {
  for (const sample of samplesOf('ftrace-events')) {
    it(sample, async () => {
      const bytes = fs.readFileSync(path.join(SAMPLES, 'ftrace-events', sample));
      await expectCounts(bytes.toString('utf8'), new Uint8Array(bytes));
    }, 120_000);
  }
});

describe('ftrace-events in the trace processor: syscalls, probes, options', () => {
  const convert = async (sample: string) => {
    const bytes = fs.readFileSync(path.join(SAMPLES, 'ftrace-events', sample));
    const pb = await run(new Uint8Array(bytes), 'perfetto', { from: 'ftrace-events' });
    return { text: bytes.toString('utf8'), out: pb.out };
  };

  it('makes raw syscalls its own syscall slices, named from the x86_64 table', async () => {
    const { text, out } = await convert('tracefs-6.18-sched-irq-syscalls-fork-exec.txt');
    const r = await queryTrace(out, [
      "select count(*) as n from slice where category is null and name glob 'sys_*'",
      "select name, count(*) as n from slice where category is null and name glob 'sys_*' group by name order by name",
    ]);
    expect(r.ok, r.error).toBe(true);
    expect(r.importErrors).toEqual([]);
    expect(r.rows[0]![0]!.n).toBe((text.match(/ sys_enter: NR /g) ?? []).length);
    const names = r.rows[1]!.map((row) => row.name as string);
    for (const n of ['sys_read', 'sys_close', 'sys_openat', 'sys_newfstatat', 'sys_statx', 'sys_execve']) expect(names).toContain(n);
    expect(names.some((n) => /^sys_\d+$/.test(n))).toBe(false);
    // The trace processor's table (from the machine in the uname packet) and ours name each the same.
    const csv = (await run(fs.readFileSync(path.join(SAMPLES, 'ftrace-events', 'tracefs-6.18-sched-irq-syscalls-fork-exec.txt')), 'csv', { from: 'ftrace-events' })).text;
    const ours = new Map<string, number>();
    for (const m of csv.matchAll(/^slice,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,(sys_\w+),syscall,/gm)) ours.set(m[1]!, (ours.get(m[1]!) ?? 0) + 1);
    expect(new Map(r.rows[1]!.map((row) => [row.name as string, row.n as number]))).toEqual(ours);
  }, 120_000);

  it('nests kprobe pairs inside the syscall slice that shares their microsecond', async () => {
    const { out } = await convert('handmade-kprobe-pairs.txt');
    const r = await queryTrace(out, [
      `select s.name, s.depth, p.name as parent from slice s left join slice p on s.parent_id = p.id
       where s.name in ('do_sys_openat2', 'getname_flags', 'walk_component') order by s.ts`,
    ]);
    expect(r.ok, r.error).toBe(true);
    expect(r.importErrors).toEqual([]);
    expect(r.rows[0]!.map((row) => `${row.name}@${row.depth}<${row.parent}`)).toEqual([
      'do_sys_openat2@0<null',
      'do_sys_openat2@1<sys_openat',
      'getname_flags@2<do_sys_openat2',
      'walk_component@2<do_sys_openat2',
      'walk_component@0<null',
      'walk_component@1<walk_component',
      'walk_component@0<null',
    ]);
  }, 120_000);
});

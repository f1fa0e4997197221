/**
 * End-to-end: the Perfetto output of every lttng-text sample (and the Chrome JSON of the kernel
 * ones) loaded in Google's Perfetto trace processor: accepted, no import errors, and the
 * scheduling, interrupt and function counts of the input.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tokenize } from '../../../src/inputs/lttng-text/tokenize.js';
import { SAMPLES, run, samplesOf } from '../../support/convert-helpers.js';
import { queryTrace } from '../../support/trace-processor.js';

function names(text: string): Record<string, number> {
  const n: Record<string, number> = {};
  text.split('\n').forEach((l, k) => {
    const t = tokenize(l, k + 1);
    if ('line' in t) n[t.name] = (n[t.name] ?? 0) + 1;
  });
  return n;
}
const count = (n: Record<string, number>, re: RegExp) => Object.entries(n).reduce((a, [k, v]) => (re.test(k) ? a + v : a), 0);

describe('lttng-text samples in the Perfetto trace processor', () => {
  for (const sample of samplesOf('lttng-text')) {
    it.concurrent(sample, async () => {
      const file = path.join(SAMPLES, 'lttng-text', sample);
      const n = names(fs.readFileSync(file, 'utf8'));
      const pb = await run(file, 'perfetto');
      const d = pb.result.diagnostics;
      const r = await queryTrace(pb.out, [
        'select count(*) as n from sched',
        `select count(*) as n from slice s join track t on s.track_id = t.id where t.name like 'Irq Cpu %'`,
        `select count(*) as n from slice where category = 'function'`,
        `select count(*) as n from slice where category = 'syscall'`,
      ]);
      expect(r.ok, r.error).toBe(true);
      expect(r.importErrors).toEqual([]);
      expect(r.infoDrops).toEqual([]);
      const v = (i: number) => r.rows[i]![0]!.n;
      expect(v(0)).toBe(count(n, /(^|:)sched_switch$/) + (d['lttng-text.sched-mismatch'] ?? 0));
      expect(v(1)).toBe(count(n, /(^|:)irq_handler_entry$/));
      expect(v(2)).toBe(count(n, /:func_entry$/));
      if (count(n, /syscall_entry_|sys_enter/) > 0) expect(v(3)).toBeGreaterThanOrEqual(count(n, /syscall_entry_|sys_enter/));
      if (count(n, /(^|:)sched_switch$/) > 0) {
        const json = await run(file, 'chrome-json');
        const j = await queryTrace(json.out, [`select count(*) as n from slice where category = 'syscall'`]);
        expect(j.ok, j.error).toBe(true);
        expect(j.importErrors).toEqual([]);
        expect(j.rows[0]![0]!.n, 'syscall slices in Chrome JSON = in Perfetto').toBe(v(3));
      }
    });
  }
});

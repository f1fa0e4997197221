/**
 * The active path of workload threads of the real LTTng kernel traces of the corpus, written as
 * Perfetto and Chrome JSON and loaded in Google's Perfetto trace processor: no import errors, the
 * path track's slices cover the window exactly, one flow per hand-off from a slice to the next;
 * device wake-ups from an idle CPU are the device, never swapper.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { activePath, renderActivePath } from '../../../src/analyses/active-path/index.js';
import type { ActivePath } from '../../../src/analyses/active-path/index.js';
import { readEvents } from '../../../src/pipeline/read-events.js';
import { CORPUS } from '../../support/convert-helpers.js';
import { queryTrace } from '../../support/trace-processor.js';

// TRACEBRIDGE_CORPUS points at the corpus when the project is not beside it (a worktree).
const DIR = path.join(process.env.TRACEBRIDGE_CORPUS ?? CORPUS, 'lttng_text');
const CASES: [file: string, tid: number, what: string][] = [
  ['tracecompass-test-traces__many-threads__babeltrace2.txt', 2673, 'multithread: starts and joins fluffy threads'],
  ['tracecompass-test-traces__many-threads__babeltrace2.txt', 4297, 'lttng-consumerd: disk writes'],
  ['babeltrace-tests__lttng-tracefile-rotation-kernel__babeltrace2.txt', 1668, 'Xorg'],
  ['tracecompass-test-traces__flipping-endianness__babeltrace2.txt', 128, 'login (no wake-up events)'],
];

const handoffs = (p: ActivePath) => p.segments.filter((s, i) => i > 0 && s.tid !== p.segments[i - 1]!.tid).length;

describe.skipIf(!fs.existsSync(DIR))('active path of real LTTng traces in the trace processor', () => {
  for (const [file, tid, what] of CASES) {
    it.concurrent(`${file} tid ${tid} (${what})`, async () => {
      const r = await readEvents({ input: path.join(DIR, file) });
      const p = activePath(r.events, { tid });
      const total = p.segments.reduce((a, s) => a + s.end - s.start, 0);
      expect(total).toBe(p.to - p.from);
      expect(p.segments.some((s) => s.tid === 0 || /^swapper/.test(s.comm))).toBe(false);
      const track = `Active path: ${p.comm} (${p.tid})`;
      // Perfetto names the track; Chrome JSON has it as a thread of that name.
      const on = {
        perfetto: `(select id from track where name = '${track}')`,
        'chrome-json': `(select tt.id from thread_track tt join thread using (utid) where thread.name = '${track}')`,
      };
      const sqlFor = (f: keyof typeof on) => [
        `select count(*) as n, sum(s.dur) as dur, min(s.ts) as ts, max(s.ts + s.dur) as te from slice s where s.track_id in ${on[f]}`,
        `select count(*) as n from flow f join slice a on f.slice_out = a.id join slice b on f.slice_in = b.id where b.ts = a.ts + a.dur and a.track_id = b.track_id and a.track_id in ${on[f]}`,
        'select count(*) as n from flow',
        'select count(*) as n from sched',
      ];
      for (const format of ['perfetto', 'chrome-json'] as const) {
        const out = renderActivePath(r.events, p, format);
        const q = await queryTrace(out, sqlFor(format));
        expect(q.ok, q.error).toBe(true);
        expect(q.importErrors, format).toEqual([]);
        expect(q.infoDrops, format).toEqual([]);
        const row = q.rows[0]![0]!;
        expect(row.n, format).toBe(p.segments.length);
        expect(row.dur, format).toBe(p.to - p.from);
        expect(Number(row.te) - Number(row.ts), format).toBe(p.to - p.from);
        expect(q.rows[2]![0]!.n, format).toBe(handoffs(p));
        expect(q.rows[1]![0]!.n, `${format}: flows join each slice to the next`).toBe(handoffs(p));
        if (format === 'perfetto') expect(q.rows[3]![0]!.n).toBeGreaterThan(0);
      }
    });
  }

  it('a disk wake-up from an idle CPU is the block device (softirq BLOCK), not swapper', async () => {
    const r = await readEvents({ input: path.join(DIR, 'tracecompass-test-traces__many-threads__babeltrace2.txt') });
    const p = activePath(r.events, { tid: 4297 });
    const dev = p.segments.filter((s) => s.state === 'BLOCK_DEVICE');
    expect(dev.length).toBeGreaterThan(0);
    expect(new Set(dev.map((s) => s.reason))).toEqual(new Set(['softirq BLOCK']));
    expect(p.uncertain.map((u) => u.code)).not.toContain('active-path.idle-wakeup');
  });
});

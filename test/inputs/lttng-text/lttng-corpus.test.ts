/**
 * The real babeltrace outputs of `../shared/corpus/lttng_text*` (kernel and userspace traces,
 * both printers, their option variants): every trace converts to every output (a file there
 * without trace lines is a failed conversion, with no event); the kernel
 * traces load in Google's Perfetto trace processor with one sched slice per sched_switch, irq
 * slices equal to the irq entries and no import errors; the babeltrace 1 and babeltrace2
 * renderings (and the eight renderings of one generated trace) give the same events;
 * cyg_profile functions nest and are counted. Skipped when the corpus is absent.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tokenize } from '../../../src/inputs/lttng-text/tokenize.js';
import { outputs } from '../../../src/outputs/registry.js';
import { CORPUS, HAVE_CORPUS, run } from '../../support/convert-helpers.js';
import { queryTrace } from '../../support/trace-processor.js';

const DIR = path.join(CORPUS, 'lttng_text');
const GEN = path.join(CORPUS, 'lttng_text_generated');
const list = (d: string) => (fs.existsSync(d) ? fs.readdirSync(d).filter((f) => f.endsWith('.txt')).sort() : []);
const files = list(DIR);
/** The generated folder also holds the command, the CTF size and a `sink.text.details` dump. */
const generated = list(GEN).filter((f) => /__bt[12]-/.test(f) && !f.includes('sink-text-details'));

/** Counts of the input, read line by line with the tokenizer (an oracle independent of the interpreter). */
function inputCounts(text: string) {
  const n: Record<string, number> = {};
  let unparsed = 0;
  let records = 0;
  text.split('\n').forEach((l, k) => {
    const t = tokenize(l, k + 1);
    if ('line' in t) {
      records++;
      n[t.name] = (n[t.name] ?? 0) + 1;
    } else if (t.kind === 'unparsed') unparsed++;
  });
  const sum = (re: RegExp) => Object.entries(n).reduce((a, [k, v]) => (re.test(k) ? a + v : a), 0);
  return { n, records, unparsed, sum };
}

/** CSV rows without their time columns (sorted), and their times, for comparing renderings. */
function csvEvents(csv: string): { keys: string[]; times: number[] } {
  const rows = csv.split('\r\n').slice(1).filter(Boolean);
  const parsed = rows.map((r) => {
    const cells = r.split(',');
    return { ts: Number(cells[1]), dur: cells[2], key: [cells[0], ...cells.slice(3)].join(',') };
  });
  parsed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.ts - b.ts));
  return { keys: parsed.map((p) => p.key), times: parsed.map((p) => p.ts) };
}

describe.skipIf(!HAVE_CORPUS)('lttng_text corpus: every file to every output', () => {
  for (const f of [...files.map((x) => path.join(DIR, x)), ...list(GEN).map((x) => path.join(GEN, x))]) {
    it.concurrent(path.basename(f), async () => {
      const text = fs.readFileSync(f, 'utf8');
      const c = inputCounts(text);
      for (const o of outputs) {
        const r = await run(f, o.name, { from: 'lttng-text' });
        // Every line that is not an event is counted, nothing else is.
        expect(r.result.diagnostics['lttng-text.unparsed-line'] ?? 0, o.name).toBe(c.unparsed);
        if (c.records > 0) {
          if (o.name !== 'folded') expect(r.out.length, o.name).toBeGreaterThan(0);
          expect(r.result.severities.error, o.name).toBe(0);
        } else {
          // The folder's other files (the command, the CTF size, a sink.text.details dump) hold
          // no babeltrace text line: read as lttng-text they give no event, a failed conversion.
          expect(r.result.events, o.name).toBe(0);
          expect(r.result.severities.error, o.name).toBe(1);
          expect(r.result.diagnostics['input.no-events'], o.name).toBe(1);
          expect(r.diags.find((d) => d.code === 'input.no-events')?.line, o.name).toBe(0);
        }
      }
      if (c.records > 0) {
        // Babeltrace text is recognised without --from.
        const auto = await run(f, 'csv');
        expect(auto.result.from).toBe('lttng-text');
        // One CSV row per event, except that an entry and its exit make one row.
        const rows = auto.text.split('\r\n').length - 2;
        expect(rows).toBeGreaterThan(0);
        expect(rows).toBeLessThanOrEqual(c.records + (auto.result.diagnostics['lttng-text.sched-mismatch'] ?? 0) + (auto.result.diagnostics['lttng-text.discarded-events'] ?? 0));
      }
    });
  }
});

/**
 * Every kernel trace as babeltrace2 printed it (each option variant), and the babeltrace 1
 * variant babeltrace2 has no twin of. The other babeltrace 1 renderings give the same events as
 * their babeltrace2 twins (checked below), so loading them too would only cost CI time.
 */
const KERNEL = files.filter((f) => /tracefile-rotation-kernel|flipping-endianness|many-threads/.test(f) && (f.includes('__babeltrace2') || f.includes('clock-date-f_all')));

describe.skipIf(!HAVE_CORPUS)('lttng_text kernel traces in the Perfetto trace processor', () => {
  for (const f of KERNEL) {
    it.concurrent(f, async () => {
      const file = path.join(DIR, f);
      const c = inputCounts(fs.readFileSync(file, 'utf8'));
      const pb = await run(file, 'perfetto', { from: 'lttng-text' });
      const d = pb.result.diagnostics;
      const r = await queryTrace(pb.out, [
        'select count(*) as n from sched',
        'select count(*) as n from thread_state',
        `select count(*) as n from slice s join track t on s.track_id = t.id where t.name like 'Irq Cpu %'`,
        `select count(*) as n from slice s join track t on s.track_id = t.id where t.name like 'SoftIrq Cpu %'`,
        `select count(*) as n from slice where category = 'syscall' and name not like '% (child returns)'`,
        `select count(*) as n from (select tid from thread group by tid having count(*) > 1)`,
        `select count(*) as n from thread_state where state = 'Running'`,
        'select count(*) as n from sched where utid != 0',
      ]);
      expect(r.ok, r.error).toBe(true);
      expect(r.traceType).toBe('proto');
      expect(r.importErrors).toEqual([]);
      expect(r.infoDrops).toEqual([]);
      const n = (i: number) => r.rows[i]![0]!.n;
      // One sched slice per sched_switch (plus any synthesised after lost events: none here).
      expect(d['lttng-text.sched-mismatch'] ?? 0).toBe(0);
      expect(n(0)).toBe(c.n.sched_switch ?? 0);
      // Thread states: each non-idle sched slice is a Running state, plus sleeps and wake-ups.
      expect(n(6)).toBe(n(7));
      if ((c.n.sched_switch ?? 0) > 0) expect(n(1)).toBeGreaterThan(n(6));
      expect(n(2)).toBe(c.n.irq_handler_entry ?? 0);
      expect(n(3)).toBe(c.n.irq_softirq_entry ?? 0);
      // Syscalls: one slice per entry, plus one for each exit whose entry is before the trace.
      expect(n(4)).toBe(c.sum(/^syscall_entry_/) + (d['lttng-text.unmatched-exit'] ?? 0));
      // Syscall slices and scheduling land on the same thread.
      expect(n(5)).toBe(0);
    });
  }
});

/** The same trace printed by babeltrace 1 and babeltrace2 (and the option variants of one printer). */
function pairs(): [string, string][] {
  const out: [string, string][] = [];
  for (const f of files) {
    if (!f.includes('__babeltrace1')) continue;
    const other = f.replace('__babeltrace1', '__babeltrace2').replace('-f_all', '--fields-all').replace('-n_all', '--names-all');
    if (files.includes(other) && other !== f) out.push([f, other]);
  }
  return out;
}

describe.skipIf(!HAVE_CORPUS)('babeltrace 1 and babeltrace2 renderings give the same events', () => {
  it('pairs the corpus files', () => {
    expect(pairs().length).toBeGreaterThanOrEqual(15);
  });
  for (const [a, b] of pairs()) {
    it.concurrent(`${a} = ${b}`, async () => {
      const ra = csvEvents((await run(path.join(DIR, a), 'csv', { from: 'lttng-text' })).text);
      const rb = csvEvents((await run(path.join(DIR, b), 'csv', { from: 'lttng-text' })).text);
      expect(ra.keys.length).toBeGreaterThan(0);
      expect(ra.keys).toEqual(rb.keys);
      // babeltrace 1 and 2 convert clock offsets differently: a few ns apart at most.
      const worst = ra.times.reduce((m, t, k) => Math.max(m, Math.abs(t - rb.times[k]!)), 0);
      expect(worst).toBeLessThanOrEqual(100);
    });
  }
  it.concurrent('the eight renderings of the generated userspace trace', async () => {
    expect(generated.length).toBe(8);
    const base = csvEvents((await run(path.join(GEN, generated[0]!), 'csv', { from: 'lttng-text' })).text);
    for (const g of generated.slice(1)) {
      const r = csvEvents((await run(path.join(GEN, g), 'csv', { from: 'lttng-text' })).text);
      expect(r.keys, g).toEqual(base.keys);
      // Same times relative to the first event (cycles and time of day have different origins).
      const shift = Math.min(...r.times) - Math.min(...base.times);
      expect(r.times.map((t) => t - shift), g).toEqual(base.times);
    }
  });
});

const CYG = [...files.filter((f) => f.includes('cyg-profile')).map((f) => path.join(DIR, f)), ...generated.filter((f) => f.includes('bt2-default')).map((f) => path.join(GEN, f))];

describe.skipIf(!HAVE_CORPUS)('cyg_profile function slices in the Perfetto trace processor', () => {
  for (const file of CYG) {
    it.concurrent(path.basename(file), async () => {
      const c = inputCounts(fs.readFileSync(file, 'utf8'));
      const entries = c.sum(/:func_entry$/);
      expect(entries).toBeGreaterThan(0);
      const pb = await run(file, 'perfetto', { from: 'lttng-text' });
      expect(pb.result.diagnostics['lttng-text.unmatched-exit'] ?? 0).toBe(0);
      expect(pb.result.diagnostics['lttng-text.lost-exit'] ?? 0).toBe(0);
      const r = await queryTrace(pb.out, [
        `select count(*) as n, max(depth) as d from slice where category = 'function'`,
        // Nesting: every child lies inside its parent.
        `select count(*) as n from slice c join slice p on c.parent_id = p.id where c.category = 'function' and (c.ts < p.ts or c.ts + c.dur > p.ts + p.dur)`,
        `select count(distinct s.track_id) as n from slice s where s.category = 'function'`,
      ]);
      expect(r.ok, r.error).toBe(true);
      expect(r.importErrors).toEqual([]);
      expect(r.infoDrops).toEqual([]);
      expect(r.rows[0]![0]!.n).toBe(entries);
      expect(r.rows[0]![0]!.d).toBeGreaterThan(0);
      expect(r.rows[1]![0]!.n).toBe(0);
      // Folded self time adds up to the function and syscall time on the top level.
      const folded = await run(file, 'folded', { from: 'lttng-text', weight: 'count' });
      const calls = folded.text
        .trim()
        .split('\n')
        .reduce((a, l) => a + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
      expect(calls).toBe(entries);
    });
  }
});

/**
 * `--tid` and `--time` on a real trace-cmd capture (corpus): the Perfetto output's slice count
 * in the trace processor equals a count made from the input text alone — the task's
 * `funcgraph_entry` lines for `--tid`, the entry lines stamped inside the window for `--time`,
 * plus the enclosing slices of the exits whose entries the capture lacks, which the input
 * reports (`function-graph.unmatched-exit`, with its line) and which begin at the exit's time
 * minus its printed duration, never before the capture's first time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/model/diagnostics.js';
import { CORPUS, HAVE_CORPUS, run } from '../support/convert-helpers.js';
import { queryTrace } from '../support/trace-processor.js';

const FILE = path.join(CORPUS, 'function_graph_kernel/debian-6.1__tracecmd-report-fg.txt');
const Q_COUNT = `select count(*) as n from slice where category = 'function'`;
const Q_TIDS = `select distinct thread.tid as tid from slice join thread_track on slice.track_id = thread_track.id join thread using (utid) where slice.category = 'function'`;
const Q_RANGE = `select min(ts) as a, max(ts) as b from slice where category = 'function'`;

interface Line {
  /** 1-based line number in the file. */
  no: number;
  tid: number;
  ts: number;
  kind: 'entry' | 'exit';
  open: boolean;
  /** Printed duration, ns. */
  dur: number;
}

/** `comm-tid [cpu] secs: funcgraph_entry|exit: ... | text`, by plain pattern matching. */
function lines(text: string): Line[] {
  const out: Line[] = [];
  const re = /^\s*.+?-(\d+)\s+\[\d+\]\s+(\d+)\.(\d{6}):\s+funcgraph_(entry|exit):\D*(?:(\d+)\.(\d{3}) us)?.*\|\s*(.*?)\s*$/;
  const all = text.split('\n');
  for (let i = 0; i < all.length; i++) {
    const m = re.exec(all[i]!);
    if (!m) continue;
    const dur = m[5] ? Number(m[5]) * 1000 + Number(m[6]) : 0;
    out.push({ no: i + 1, tid: Number(m[1]), ts: Number(m[2]) * 1e9 + Number(m[3]) * 1e3, kind: m[4] as 'entry' | 'exit', open: m[7]!.endsWith('{'), dur });
  }
  return out;
}

/** The lines of the exits the input reported as closing calls begun before the capture. */
function repairs(diags: Diagnostic[], byLine: Map<number, Line>): Line[] {
  return diags.filter((d) => d.code === 'function-graph.unmatched-exit').map((d) => {
    const l = byLine.get(d.line);
    expect(l?.kind, `unmatched-exit at line ${d.line} is an exit line`).toBe('exit');
    return l!;
  });
}

describe.skipIf(!HAVE_CORPUS || !fs.existsSync(FILE))('filters on a real capture, counted in the trace processor', () => {
  const text = HAVE_CORPUS && fs.existsSync(FILE) ? fs.readFileSync(FILE, 'utf8') : '';
  const parsed = lines(text);
  const byLine = new Map(parsed.map((l) => [l.no, l]));

  it('--tid: the slices of one task are its calls in the text', async () => {
    const tid = 4811; // dd
    const pb = await run(FILE, 'perfetto', { filters: { tid: [tid] } });
    const entries = parsed.filter((l) => l.tid === tid && l.kind === 'entry').length;
    const fixed = repairs(pb.diags, byLine).filter((l) => l.tid === tid).length;
    expect(entries).toBeGreaterThan(1000);
    expect(fixed).toBeGreaterThan(0);
    const want = entries + fixed;
    const r = await queryTrace(pb.out, [Q_COUNT, Q_TIDS]);
    expect(r.ok, r.error).toBe(true);
    expect(r.importErrors).toEqual([]);
    expect(r.rows[0]![0]!.n).toBe(want);
    expect(r.rows[1]!.map((x) => x.tid)).toEqual([tid]);
  }, 300_000);

  it('--time: the slices are the entries stamped inside the window', async () => {
    const first = parsed[0]!.ts;
    // A window in the middle of the capture, given in absolute seconds as the text prints them.
    const a = first + 500_000_000;
    const b = a + 200_000_000;
    const secs = (ns: number) => `${Math.floor(ns / 1e9)}.${String(ns % 1e9).padStart(9, '0')}`;
    const inside = parsed.filter((l) => l.kind === 'entry' && l.ts >= a && l.ts <= b).length;
    expect(inside).toBeGreaterThan(1000);
    const pb = await run(FILE, 'perfetto', { filters: { time: `${secs(a)}..${secs(b)}` } });
    const enclosing = repairs(pb.diags, byLine)
      .map((l) => Math.max(l.ts - l.dur, first))
      .filter((start) => start >= a && start <= b).length;
    const want = inside + enclosing;
    const r = await queryTrace(pb.out, [Q_COUNT, Q_RANGE]);
    expect(r.ok, r.error).toBe(true);
    expect(r.importErrors).toEqual([]);
    expect(r.rows[0]![0]!.n).toBe(want);
    expect(Number(r.rows[1]![0]!.a)).toBeGreaterThanOrEqual(a);
    expect(Number(r.rows[1]![0]!.b)).toBeLessThanOrEqual(b);
    // The same window given relative to the first event, with units.
    const rel = await run(FILE, 'perfetto', { filters: { time: '500ms..700ms' } });
    const r2 = await queryTrace(rel.out, [Q_COUNT]);
    expect(r2.rows[0]![0]!.n).toBe(want);
  }, 300_000);
});

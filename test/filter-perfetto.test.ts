/**
 * `--tid` and `--time` on a real trace-cmd capture (corpus): the Perfetto output's slice count
 * in the trace processor equals a count made from the input text alone — the task's
 * `funcgraph_entry` lines (plus the exits that close calls begun before the capture, which get
 * an enclosing slice) for `--tid`, the entry lines stamped inside the window for `--time`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS, HAVE_CORPUS, run } from './support/convert-helpers.js';
import { queryTrace } from './support/trace-processor.js';

const FILE = path.join(CORPUS, 'function_graph_kernel/debian-6.1__tracecmd-report-fg.txt');
const Q_COUNT = `select count(*) as n from slice where category = 'function'`;
const Q_TIDS = `select distinct thread.tid as tid from slice join thread_track on slice.track_id = thread_track.id join thread using (utid) where slice.category = 'function'`;
const Q_RANGE = `select min(ts) as a, max(ts) as b from slice where category = 'function'`;

interface Line {
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
  for (const l of text.split('\n')) {
    const m = re.exec(l);
    if (!m) continue;
    const dur = m[5] ? Number(m[5]) * 1000 + Number(m[6]) : 0;
    out.push({ tid: Number(m[1]), ts: Number(m[2]) * 1e9 + Number(m[3]) * 1e3, kind: m[4] as 'entry' | 'exit', open: m[7]!.endsWith('{'), dur });
  }
  return out;
}

/** Calls of one task: its entries, and its exits found with nothing open (calls begun before the capture). */
function callsOf(all: Line[], tid: number): number {
  let depth = 0;
  let n = 0;
  for (const l of all) {
    if (l.tid !== tid) continue;
    if (l.kind === 'entry') {
      n++;
      if (l.open) depth++;
    } else if (depth > 0) depth--;
    else n++;
  }
  return n;
}

describe.skipIf(!HAVE_CORPUS || !fs.existsSync(FILE))('filters on a real capture, counted in the trace processor', () => {
  const text = HAVE_CORPUS && fs.existsSync(FILE) ? fs.readFileSync(FILE, 'utf8') : '';
  const parsed = lines(text);

  it('--tid: the slices of one task are its calls in the text', async () => {
    const tid = 4811; // dd
    const want = callsOf(parsed, tid);
    expect(want).toBeGreaterThan(1000);
    const pb = await run(FILE, 'perfetto', { filters: { tid: [tid] } });
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
    // Calls begun before the capture get an enclosing slice that starts before everything on
    // their task (at the exit minus its printed duration when that is earlier): none of them
    // starts inside this window.
    const firstSeen = new Map<number, number>();
    for (const l of parsed) if (!firstSeen.has(l.tid)) firstSeen.set(l.tid, l.ts);
    const depth = new Map<number, number>();
    for (const l of parsed) {
      const d = depth.get(l.tid) ?? 0;
      if (l.kind === 'entry' && l.open) depth.set(l.tid, d + 1);
      else if (l.kind === 'exit' && d > 0) depth.set(l.tid, d - 1);
      else if (l.kind === 'exit') {
        const begin = Math.min(l.ts - l.dur, firstSeen.get(l.tid)! - 1);
        expect(begin < a || begin > b, `enclosing slice of ${l.tid} at ${begin}`).toBe(true);
      }
    }
    expect(inside).toBeGreaterThan(1000);
    const pb = await run(FILE, 'perfetto', { filters: { time: `${secs(a)}..${secs(b)}` } });
    const r = await queryTrace(pb.out, [Q_COUNT, Q_RANGE]);
    expect(r.ok, r.error).toBe(true);
    expect(r.importErrors).toEqual([]);
    expect(r.rows[0]![0]!.n).toBe(inside);
    expect(Number(r.rows[1]![0]!.a)).toBeGreaterThanOrEqual(a);
    expect(Number(r.rows[1]![0]!.b)).toBeLessThanOrEqual(b);
    // The same window given relative to the first event, with units.
    const rel = await run(FILE, 'perfetto', { filters: { time: '500ms..700ms' } });
    const r2 = await queryTrace(rel.out, [Q_COUNT]);
    expect(r2.rows[0]![0]!.n).toBe(inside);
  }, 300_000);
});

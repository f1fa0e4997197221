/**
 * The active path on the scenarios of the design note (critical-path.md §7), read from
 * babeltrace2 text: expected segments written out per scenario (µs from the scenario start).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { activePath, pathCsv, pathTop, pathTrackEvents } from '../../../src/analyses/active-path/index.js';
import type { ActivePath } from '../../../src/analyses/active-path/index.js';
import { lttngText } from '../../../src/inputs/lttng-text/index.js';
import { DiagnosticCollector } from '../../../src/model/diagnostics.js';
import type { TraceEvent } from '../../../src/model/events.js';
import { SCENARIOS, renderFtrace, renderLttng } from '../../support/active-path-scenarios.js';

const FIXTURES = path.join(import.meta.dirname, '..', '..', 'fixtures', 'active-path');

function lttngEvents(text: string): TraceEvent[] {
  const c = new DiagnosticCollector('t');
  const p = lttngText.createParser({ file: 't', report: c.report, options: {} });
  return [...p.push(text.split('\n').filter(Boolean), 1), ...p.end()];
}

/** [worker comm, start µs, end µs, state, depth, reason] */
type Expected = [string, number, number, string, number, string?];

function simplify(p: ActivePath, base: number): Expected[] {
  return p.segments.map((s) => {
    const e: Expected = [s.comm, (s.start - base) / 1000, (s.end - base) / 1000, s.state, s.depth];
    if (s.reason) e.push(s.reason);
    return e;
  });
}

const firstTs = (evs: TraceEvent[]) => Math.min(...evs.filter((e) => 'ts' in e).map((e) => (e as { ts: number }).ts));

/** Expected paths of T (tid 100) over its whole life, shared by the LTTng and ftrace forms. */
const EXPECTED: Record<string, { path: Expected[]; uncertain?: string[] }> = {
  '01-task-wake': {
    path: [
      ['T', 0, 10, 'RUNNING', 0],
      ['B', 10, 30, 'RUNNING', 1],
      ['T', 30, 32, 'PREEMPTED', 0],
      ['T', 32, 40, 'RUNNING', 0],
    ],
    uncertain: ['active-path.no-interrupts'],
  },
  '02-timer': {
    path: [
      ['T', 0, 10, 'RUNNING', 0],
      ['T', 10, 50, 'TIMER', 0, 'hrtimer'],
      ['T', 50, 52, 'PREEMPTED', 0],
      ['T', 52, 58, 'RUNNING', 0],
    ],
  },
  '03-disk-softirq': {
    path: [
      ['T', 0, 10, 'RUNNING', 0],
      ['T', 10, 82, 'BLOCK_DEVICE', 0, 'softirq BLOCK'],
      ['T', 82, 84, 'PREEMPTED', 0],
      ['T', 84, 90, 'RUNNING', 0],
    ],
  },
  '03b-disk-hardirq': {
    path: [
      ['T', 0, 10, 'RUNNING', 0],
      ['T', 10, 82, 'IRQ', 0, 'ahci'],
      ['T', 82, 84, 'PREEMPTED', 0],
      ['T', 84, 90, 'RUNNING', 0],
    ],
  },
  '04-wrong-path': {
    // Trace Compass would show swapper/0 running over [10, 82].
    path: [
      ['T', 0, 10, 'RUNNING', 0],
      ['T', 10, 82, 'UNKNOWN', 0, 'woken from idle CPU 0 with no interrupt in view'],
      ['T', 82, 84, 'PREEMPTED', 0],
      ['T', 84, 90, 'RUNNING', 0],
    ],
    uncertain: ['active-path.no-interrupts', 'active-path.idle-wakeup'],
  },
  '05-waking': {
    path: [
      ['T', 0, 10, 'RUNNING', 0],
      ['B', 10, 30, 'RUNNING', 1],
      ['T', 30, 33, 'PREEMPTED', 0],
      ['T', 33, 40, 'RUNNING', 0],
    ],
  },
  '05b-wakeup-only': {
    path: [
      ['T', 0, 10, 'RUNNING', 0],
      ['T', 10, 31, 'IPI', 0, 'reschedule'],
      ['T', 31, 33, 'PREEMPTED', 0],
      ['T', 33, 40, 'RUNNING', 0],
    ],
    uncertain: ['active-path.no-waking'],
  },
  '06-virtio-ipi': {
    path: [
      ['T', 0, 10, 'RUNNING', 0],
      ['T', 10, 75, 'IPI', 0, 'call_function_single'],
      ['T', 75, 77, 'PREEMPTED', 0],
      ['T', 77, 83, 'RUNNING', 0],
    ],
  },
  '07-fork': {
    path: [
      ['T', 0, 6, 'RUNNING', 0],
      ['C', 6, 7, 'PREEMPTED', 1],
      ['C', 7, 20, 'RUNNING', 1],
      ['T', 20, 21, 'PREEMPTED', 0],
      ['T', 21, 30, 'RUNNING', 0],
    ],
    uncertain: ['active-path.no-interrupts'],
  },
  '08-nested': {
    path: [
      ['T', 0, 1, 'RUNNING', 0],
      ['B', 1, 2, 'RUNNING', 1],
      ['C', 2, 3, 'RUNNING', 2],
      ['D', 3, 4, 'RUNNING', 3],
      ['C', 4, 5, 'RUNNING', 2],
      ['B', 5, 6, 'RUNNING', 1],
      ['T', 6, 7, 'RUNNING', 0],
    ],
    uncertain: ['active-path.no-interrupts'],
  },
  '09-interleave': {
    path: [
      ['T', 0, 6, 'RUNNING', 0],
      ['B', 6, 8, 'RUNNING', 1],
      ['C', 8, 10, 'RUNNING', 1],
      ['T', 10, 12, 'RUNNING', 0],
    ],
    uncertain: ['active-path.no-interrupts'],
  },
  '10-mutual': {
    // B's own wait [1, 2] (woken by T) is before T's wait: not expanded.
    path: [
      ['T', 0, 3, 'RUNNING', 0],
      ['B', 3, 4, 'RUNNING', 1],
      ['T', 4, 5, 'RUNNING', 0],
    ],
    uncertain: ['active-path.no-interrupts'],
  },
  '11-missing-wake': {
    path: [
      ['T', 0, 4, 'RUNNING', 0],
      ['T', 4, 6, 'BLOCKED', 0, 'no wake-up seen'],
      ['T', 6, 8, 'RUNNING', 0],
    ],
    uncertain: ['active-path.missing-wakeup', 'active-path.no-waking'],
  },
  '12-spurious': {
    // The waking at 5 (T running), the sched_wakeup at 20 and the waking at 21 (T runnable) change nothing.
    path: [
      ['T', 0, 10, 'RUNNING', 0],
      ['B', 10, 20, 'RUNNING', 1],
      ['T', 20, 25, 'PREEMPTED', 0],
      ['T', 25, 30, 'RUNNING', 0],
    ],
    uncertain: ['active-path.no-interrupts'],
  },
  '13-network': {
    path: [
      ['T', 0, 10, 'RUNNING', 0],
      ['T', 10, 42, 'NETWORK', 0, 'softirq NET_RX'],
      ['T', 42, 44, 'PREEMPTED', 0],
      ['T', 44, 50, 'RUNNING', 0],
    ],
  },
};

/** LTTng has no flags column: the same line is a wake-up from the idle CPU, as in 04. */
const LTTNG_EXPECTED: Record<string, { path: Expected[]; uncertain?: string[] }> = {
  ...EXPECTED,
  '04b-wrong-path-softirq-flag': EXPECTED['04-wrong-path']!,
};

describe('active path: the scenarios of critical-path.md §7 (babeltrace2 text)', () => {
  for (const s of SCENARIOS) {
    it(s.name, () => {
      const text = fs.readFileSync(path.join(FIXTURES, `${s.name}.lttng.txt`), 'utf8');
      const evs = lttngEvents(text);
      const p = activePath(evs, { tid: 100 });
      const want = LTTNG_EXPECTED[s.name]!;
      expect(simplify(p, firstTs(evs))).toEqual(want.path);
      expect(p.uncertain.map((u) => u.code).sort()).toEqual([...(want.uncertain ?? [])].sort());
      expect(p.segments.some((x) => x.tid === 0)).toBe(false);
    });
  }

  it('the fixtures are the renderings of the scenarios (UPDATE_FIXTURES=1 rewrites them)', () => {
    for (const s of SCENARIOS) {
      for (const [ext, text] of [
        ['lttng', renderLttng(s)],
        ['ftrace', renderFtrace(s)],
      ] as const) {
        const f = path.join(FIXTURES, `${s.name}.${ext}.txt`);
        if (process.env.UPDATE_FIXTURES) fs.writeFileSync(f, text);
        expect(fs.readFileSync(f, 'utf8'), f).toBe(text);
      }
    }
  });
});

describe('active path outputs', () => {
  const evs = lttngEvents(renderLttng(SCENARIOS.find((s) => s.name === '08-nested')!));
  const p = activePath(evs, { tid: 100 });
  const base = firstTs(evs);

  it('CSV: one row per segment with the hand-off depth', () => {
    const rows = pathCsv(p).trimEnd().split('\n');
    expect(rows[0]).toBe('start_ns,end_ns,dur_ns,worker_tid,worker_comm,state,reason,depth');
    expect(rows.slice(1).map((r) => r.split(',').slice(2))).toEqual([
      ['1000', '100', 'T', 'RUNNING', '', '0'],
      ['1000', '200', 'B', 'RUNNING', '', '1'],
      ['1000', '300', 'C', 'RUNNING', '', '2'],
      ['1000', '400', 'D', 'RUNNING', '', '3'],
      ['1000', '300', 'C', 'RUNNING', '', '2'],
      ['1000', '200', 'B', 'RUNNING', '', '1'],
      ['1000', '100', 'T', 'RUNNING', '', '0'],
    ]);
    expect(Number(rows[1]!.split(',')[0]) - base).toBe(0);
  });

  it('top: time per worker and per state, ranked, with shares', () => {
    const t = pathTop(p);
    expect(t.split('\n')[0]).toMatch(/^Active path of T \(100\) from .*: 0\.007 ms, 7 segments, 6 hand-offs$/);
    const worker = t.slice(t.indexOf('by worker'), t.indexOf('by state')).trim().split('\n').slice(1);
    expect(worker.map((l) => l.trim().split(/\s{2,}/))).toEqual([
      ['B (200)', '0.002', '28.6%'],
      ['C (300)', '0.002', '28.6%'],
      ['T (100)', '0.002', '28.6%'],
      ['D (400)', '0.001', '14.3%'],
    ]);
    expect(t).toMatch(/by state\s+ms\s+share\nRUNNING\s+0\.007\s+100\.0%/);
  });

  it('track events: a slice per segment, a flow at each hand-off', () => {
    const evs2 = pathTrackEvents(p, 99);
    expect(evs2[0]).toEqual({ kind: 'track', track: { kind: 'global', id: 99, name: 'Active path: T (100)' } });
    const begins = evs2.filter((e): e is Extract<TraceEvent, { kind: 'begin' }> => e.kind === 'begin');
    expect(begins.map((b) => b.name)).toEqual(['T (100)', 'B (200)', 'C (300)', 'D (400)', 'C (300)', 'B (200)', 'T (100)']);
    expect(begins.map((b) => [b.terminatingFlowIds ?? [], b.flowIds ?? []])).toEqual([
      [[], [1]],
      [[1], [2]],
      [[2], [3]],
      [[3], [4]],
      [[4], [5]],
      [[5], [6]],
      [[6], []],
    ]);
    expect(evs2.filter((e) => e.kind === 'end').length).toBe(7);
  });
});

describe('active path: what the trace shows beyond switches', () => {
  const sw = (ts: number, cpu: number, prev: number, st: number, next: number): TraceEvent => ({ kind: 'sched-switch', ts, cpu, prevTid: prev, prevComm: prev ? `t${prev}` : 'swapper/1', prevPrio: 120, prevState: st, nextTid: next, nextComm: next ? `t${next}` : 'swapper/1', nextPrio: 120 });

  it('a woken task whose switch-in is missing runs from its first own event (not preempted till its switch-out)', () => {
    // As on 6.18 ftrace captures: woken from idle CPU 1 in softirq context, then its syscalls show it running.
    const evs: TraceEvent[] = [
      { kind: 'track', track: { kind: 'thread', id: 0, pid: 11, tid: 11, name: 't11', processName: 't11' } },
      sw(0, 1, 0, 0, 11),
      sw(10, 1, 11, 2, 0),
      { kind: 'softirq', phase: 'entry', ts: 20, cpu: 1, tid: 0, vec: 4 },
      { kind: 'sched-waking', ts: 21, cpu: 1, wakerTid: 0, tid: 11, comm: 't11', prio: 120, targetCpu: 1, context: 'softirq' },
      { kind: 'softirq', phase: 'exit', ts: 22, cpu: 1, tid: 0, vec: 4 },
      { kind: 'begin', ts: 25, track: 0, name: 'read', cat: 'syscall', depth: 0 },
      { kind: 'end', ts: 26, track: 0, name: 'read', cat: 'syscall', start: 25, depth: 0, selfNs: 1 },
      sw(40, 1, 11, 1, 0),
    ];
    const p = activePath(evs, { tid: 11, to: 40 });
    expect(p.segments.map((s) => [s.start, s.end, s.state])).toEqual([
      [0, 10, 'RUNNING'],
      [10, 21, 'BLOCK_DEVICE'],
      [21, 25, 'PREEMPTED'],
      [25, 40, 'RUNNING'],
    ]);
    expect(p.uncertain.map((u) => u.code)).toEqual(['active-path.lost-events']);
    expect(p.uncertain[0]!.message).toMatch(/1 task\(s\) ran with no sched_switch to them/);
  });

  it('a synthesised enclosing slice (an exit whose entry predates the trace) is not taken as running', () => {
    const evs: TraceEvent[] = [
      { kind: 'track', track: { kind: 'thread', id: 0, pid: 11, tid: 11, name: 't11', processName: 't11' } },
      { kind: 'begin', ts: 0, track: 0, name: '[truncated] read', cat: 'syscall', depth: 0 },
      sw(5, 1, 0, 0, 11),
      { kind: 'end', ts: 8, track: 0, name: '[truncated] read', cat: 'syscall', start: 0, depth: 0, selfNs: 8 },
      sw(10, 1, 11, 1, 0),
    ];
    const p = activePath(evs, { tid: 11, to: 10 });
    expect(p.from).toBe(5);
    expect(p.segments.map((s) => [s.start, s.end, s.state])).toEqual([[5, 10, 'RUNNING']]);
  });

  it('lost events in the trace (babeltrace\'s warning) make the path uncertain', () => {
    const s = SCENARIOS.find((x) => x.name === '01-task-wake')!;
    const lines = renderLttng(s).split('\n');
    lines.splice(3, 0, 'WARNING: Tracer discarded 12 events between [00:00:01.000010000] and [00:00:01.000030000] in trace "t"');
    const p = activePath(lttngEvents(lines.join('\n')), { tid: 100 });
    const lost = p.uncertain.find((u) => u.code === 'active-path.lost-events');
    expect(lost?.count).toBe(1);
    expect(lost?.message).toMatch(/^events were lost \(1 report\(s\)\)/);
    // The path itself is still the one the events show.
    expect(p.segments.map((x) => x.comm)).toEqual(['T', 'B', 'T', 'T']);
  });
});

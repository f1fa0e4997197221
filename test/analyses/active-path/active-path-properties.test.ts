/**
 * Properties of the active path over generated schedules (any order of switches, wake-ups and
 * interrupts on a few CPUs, consistent or not): the segments cover the window exactly, in order;
 * each segment says what its worker really did; a foreign worker only appears inside a wait of
 * the traced thread that it explains; swapper never appears; the result is deterministic.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { activePath, buildHistories } from '../../../src/analyses/active-path/index.js';
import type { ThreadHistory } from '../../../src/analyses/active-path/index.js';
import type { TraceEvent } from '../../../src/model/events.js';

const TIDS = [0, 11, 12, 13, 14, 15];
const STATES = [0, 1, 2, 256, 128, 16];

const step = fc.record({
  dt: fc.integer({ min: 0, max: 40 }),
  cpu: fc.integer({ min: 0, max: 3 }),
  op: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom('switch', 'waking') },
    { weight: 1, arbitrary: fc.constantFrom('wakeup', 'irq', 'irq-exit', 'softirq', 'softirq-exit', 'ipi', 'ipi-exit') },
  ),
  a: fc.constantFrom(...TIDS),
  b: fc.constantFrom(...TIDS),
  state: fc.constantFrom(...STATES),
  vec: fc.integer({ min: 0, max: 9 }),
  ctx: fc.constantFrom(undefined, undefined, undefined, undefined, 'task', 'hardirq', 'softirq'),
});

/**
 * Turns steps into model events. Faithful schedules follow a scheduler's rules (a switch takes
 * the CPU's current task off, preferably for a woken one; a wake-up preferably targets a
 * sleeping task); the others take the generated tids as they come, as a trace with lost or
 * garbled events would.
 */
function schedule(steps: fc.RecordValue<fc.ArbitraryValue<typeof step>>[], faithful: boolean): TraceEvent[] {
  const out: TraceEvent[] = [{ kind: 'track', track: { kind: 'cpu', id: 0, cpu: 0, name: 'CPU 0 vectors' } }];
  const cur = new Map<number, number>();
  const state = new Map<number, 'run' | 'ready' | 'sleep'>(TIDS.slice(1).map((t) => [t, 'sleep']));
  const pick = (want: 'ready' | 'sleep', k: number, fallback: number) => {
    const l = [...state].filter(([, v]) => v === want).map(([t]) => t);
    return l.length ? l[k % l.length]! : fallback;
  };
  let ts = 1000;
  for (const s of steps) {
    ts += s.dt;
    const cpu = s.cpu;
    switch (s.op) {
      case 'switch': {
        const prev = faithful ? (cur.get(cpu) ?? 0) : s.a;
        const next = faithful ? (s.b === 0 ? 0 : pick('ready', s.b, s.b)) : s.b;
        if (faithful && next !== 0 && state.get(next) === 'run') break;
        const prevState = faithful ? [0, 1, 2, 256][s.vec % 4]! : s.state;
        out.push({ kind: 'sched-switch', ts, cpu, prevTid: prev, prevComm: `t${prev}`, prevPrio: 120, prevState, nextTid: next, nextComm: `t${next}`, nextPrio: 120 });
        if (prev) state.set(prev, prevState === 1 || prevState === 2 ? 'sleep' : 'ready');
        if (next) state.set(next, 'run');
        cur.set(cpu, next);
        break;
      }
      case 'waking':
      case 'wakeup': {
        const tid = faithful ? pick('sleep', s.a, s.a) : s.a;
        if (tid && state.get(tid) === 'sleep') state.set(tid, 'ready');
        // Most wake-ups come from running tasks.
        let on = cpu;
        for (let k = 0; faithful && k < 4 && !cur.get(on); k++) on = (cpu + k) % 4;
        const w: TraceEvent = { kind: 'sched-waking', ts, cpu: on, tid, comm: `t${tid}`, prio: 120, targetCpu: s.vec % 4, source: s.op };
        if (s.ctx) w.context = s.ctx as 'task';
        out.push(w);
        break;
      }
      case 'irq':
      case 'irq-exit':
        out.push({ kind: 'irq', phase: s.op === 'irq' ? 'entry' : 'exit', ts, cpu, tid: 0, irq: s.vec, name: `dev${s.vec}` });
        break;
      case 'softirq':
      case 'softirq-exit':
        out.push({ kind: 'softirq', phase: s.op === 'softirq' ? 'entry' : 'exit', ts, cpu, tid: 0, vec: s.vec });
        break;
      case 'ipi':
        if (cpu === 0) out.push({ kind: 'begin', ts, track: 0, name: 'reschedule', cat: 'irq', depth: 0 });
        break;
      case 'ipi-exit':
        if (cpu === 0) out.push({ kind: 'end', ts, track: 0, name: 'reschedule', cat: 'irq', start: ts, depth: 0, selfNs: 0 });
        break;
    }
  }
  return out;
}

function stateAt(h: ThreadHistory, start: number, end: number): string[] {
  return h.intervals.filter((iv) => iv.start < end && iv.end > start).map((iv) => iv.state);
}

const arb = fc.record({
  steps: fc.array(step, { minLength: 1, maxLength: 120, size: 'max' }),
  faithful: fc.boolean(),
  tid: fc.constantFrom(11, 12, 13, 14, 15),
  cut: fc.option(fc.tuple(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 1, max: 2000 }))),
});

describe('active path properties over generated schedules', () => {
  it('covers the window exactly and in order, never with swapper, deterministically', () => {
    const seen = { paths: 0, handoffs: 0, nested: 0, labelled: 0 };
    fc.assert(
      fc.property(arb, ({ steps, faithful, tid, cut }) => {
        const evs = schedule(steps, faithful);
        const { threads } = buildHistories(evs);
        const h = threads.get(tid);
        if (!h) return;
        const opts = cut ? { tid, from: 1000 + cut[0], to: 1000 + cut[0] + cut[1] } : { tid };
        let p;
        try {
          p = activePath(evs, opts);
        } catch (e) {
          // Only an empty default window (a thread seen at one instant) may be refused.
          expect(cut).toBeNull();
          expect((e as Error).message).toMatch(/window is empty/);
          return;
        }
        const seg = p.segments;
        seen.paths++;
        if (seg.some((s) => s.depth > 0)) seen.handoffs++;
        if (seg.some((s) => s.depth > 1)) seen.nested++;
        if (seg.some((s) => s.state !== 'RUNNING' && s.state !== 'PREEMPTED' && s.state !== 'BLOCKED' && s.state !== 'UNKNOWN')) seen.labelled++;
        expect(seg.length).toBeGreaterThan(0);
        expect(seg[0]!.start).toBe(p.from);
        expect(seg[seg.length - 1]!.end).toBe(p.to);
        for (let i = 0; i < seg.length; i++) {
          const s = seg[i]!;
          expect(s.end).toBeGreaterThan(s.start);
          if (i > 0) expect(s.start).toBe(seg[i - 1]!.end);
          expect(s.tid).toBeGreaterThan(0);
          expect(s.depth === 0).toBe(s.tid === tid);
          const w = threads.get(s.tid)!;
          const st = stateAt(w, s.start, s.end);
          // A worker's running or preempted segment is exactly what its history says.
          if (s.state === 'RUNNING' || s.state === 'PREEMPTED') expect(st).toEqual([s.state]);
          else if (s.state !== 'UNKNOWN') expect(st).toEqual(['BLOCKED']);
        }
        // Foreign time lies inside one of T's waits, which a task woke at or after its end.
        for (let i = 0; i < seg.length; ) {
          if (seg[i]!.depth === 0) {
            i++;
            continue;
          }
          let j = i;
          while (j < seg.length && seg[j]!.depth > 0) j++;
          const a = seg[i]!.start;
          const b = seg[j - 1]!.end;
          const wait = h.intervals.find((iv) => iv.start <= a && a < iv.end);
          if (wait) {
            expect(wait.state).toBe('BLOCKED');
            expect(wait.wake?.kind).toBe('task');
            expect(wait.end).toBeGreaterThanOrEqual(b);
          } else {
            // Before T's history: its creator's time, not before the window.
            expect(a).toBeGreaterThanOrEqual(p.from);
            expect(h.creator).toBeDefined();
          }
          i = j;
        }
        expect(JSON.stringify(activePath(evs, opts))).toBe(JSON.stringify(p));
      }),
      { numRuns: 3000, seed: 1403 },
    );
    // The schedules do reach nested hand-offs and interrupt-context wake-ups.
    expect(seen.paths).toBeGreaterThan(2000);
    expect(seen.handoffs).toBeGreaterThan(400);
    expect(seen.nested).toBeGreaterThan(20);
    expect(seen.labelled).toBeGreaterThan(200);
  });

  it('terminates on wake-up cycles at one instant', () => {
    // Garbled input: each thread is also left current on a second CPU (its switch-out there was
    // lost), so after blocking it still wakes the next one, all at the same instant.
    const evs: TraceEvent[] = [];
    const sw = (ts: number, cpu: number, prev: number, st: number, next: number): TraceEvent => ({ kind: 'sched-switch', ts, cpu, prevTid: prev, prevComm: `t${prev}`, prevPrio: 120, prevState: st, nextTid: next, nextComm: `t${next}`, nextPrio: 120 });
    const wk = (ts: number, cpu: number, tid: number): TraceEvent => ({ kind: 'sched-waking', ts, cpu, tid, comm: `t${tid}`, prio: 120, targetCpu: 0 });
    for (const [c, t] of [[0, 11], [1, 12], [2, 13]] as const) evs.push(sw(0, c, 0, 0, t), sw(1, c + 3, 0, 0, t));
    for (const [c, t] of [[0, 11], [1, 12], [2, 13]] as const) evs.push(sw(5, c, t, 1, 0));
    evs.push(wk(9, 4, 11), wk(9, 5, 12), wk(9, 3, 13));
    for (const [c, t] of [[0, 11], [1, 12], [2, 13]] as const) evs.push(sw(10, c, 0, 0, t), sw(12, c, t, 1, 0));
    const p = activePath(evs, { tid: 11 });
    expect(p.segments[1]!.reason).toBe('woken by t11 (11): a wake-up cycle');
    expect(p.segments.map((s) => [s.comm, s.start, s.end, s.state, s.depth])).toEqual([
      ['t11', 0, 5, 'RUNNING', 0],
      // t11's wait [5, 9] is woken by t12, whose wait is woken by t13, whose wait is woken by t11.
      ['t13', 5, 9, 'BLOCKED', 2],
      ['t11', 9, 10, 'PREEMPTED', 0],
      ['t11', 10, 12, 'RUNNING', 0],
    ]);
  });
});

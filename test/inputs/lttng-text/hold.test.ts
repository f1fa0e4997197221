import { describe, expect, it } from 'vitest';
import { Context } from '../../../src/inputs/lttng-text/context.js';
import { CpuHold, PREFIX_LIMIT, StartHold } from '../../../src/inputs/lttng-text/hold.js';
import { domainOf } from '../../../src/inputs/lttng-text/meaning.js';
import { type LttngRecord, tokenize } from '../../../src/inputs/lttng-text/tokenize.js';
import type { Diagnostic } from '../../../src/model/diagnostics.js';
import { DiagnosticCollector } from '../../../src/model/diagnostics.js';
import type { TraceEvent } from '../../../src/model/events.js';

function setup(limits?: { count: number; bytes: number }) {
  const diags: Diagnostic[] = [];
  const c = new DiagnosticCollector('t', (d) => diags.push(d));
  const cx = new Context({ file: 't', report: c.report, options: {} });
  const hold = new CpuHold(cx, limits);
  const route = (line: string, no: number) => {
    const r = tokenize(line, no) as LttngRecord;
    r.ts = cx.clock.time(r);
    hold.route(r, domainOf(r));
  };
  return { cx, hold, route, diags };
}
const ev = (cpu: number, k: number, pad = '') => `[10:00:00.${String(k).padStart(9, '0')}] (+0.000000001) h some_event: { cpu_id = ${cpu} }, { n = ${k}${pad} }`;
const sw = (cpu: number, k: number, prev: number, next: number) =>
  `[10:00:00.${String(k).padStart(9, '0')}] (+0.000000001) h sched_switch: { cpu_id = ${cpu} }, { prev_comm = "t${prev}", prev_tid = ${prev}, prev_prio = 20, prev_state = 1, next_comm = "t${next}", next_tid = ${next}, next_prio = 20 }`;
const threadOf = (evs: TraceEvent[]) => {
  const names = new Map<number, string>();
  for (const e of evs) if (e.kind === 'track' && e.track.kind === 'thread') names.set(e.track.id, `${e.track.name}:${e.track.tid}`);
  return evs.flatMap((e) => (e.kind === 'instant' ? [`${e.args?.n}@${names.get(e.track)}`] : []));
};

describe('lttng-text CPU hold', () => {
  it('holds a CPU until a switch names its task, then draws what waited on that task in order', () => {
    const { cx, route } = setup();
    route(ev(0, 1), 1);
    route(ev(1, 2), 2);
    route(ev(0, 3), 3);
    expect(threadOf(cx.b.take())).toEqual([]);
    route(sw(0, 4, 7, 8), 4);
    expect(threadOf(cx.b.take())).toEqual(['1@t7:7', '3@t7:7']);
    route(ev(0, 5), 5);
    expect(threadOf(cx.b.take())).toEqual(['5@t8:8']);
    expect(cx.tasks.current(0)).toBe(8);
    expect(cx.tasks.current(1)).toBe(-1);
  });

  it('gives up at the byte bound before the count bound, and says which one it was', () => {
    const { cx, hold, route, diags } = setup({ count: 1000, bytes: 4000 });
    const pad = `, s = "${'x'.repeat(500)}"`;
    for (let k = 1; k <= 6; k++) route(ev(k % 2, k, pad), k);
    expect(diags.map((d) => [d.code, d.line])).toEqual([['lttng-text.pending-overflow', 5]]);
    expect(diags[0]!.message).toContain('more than 4000 bytes of events');
    // Everything held came out on the CPUs' pseudo-threads, and later records do not wait.
    expect(threadOf(cx.b.take())).toEqual(['1@CPU 1:1073741825', '3@CPU 1:1073741825', '5@CPU 1:1073741825', '2@CPU 0:1073741824', '4@CPU 0:1073741824', '6@CPU 0:1073741824']);
    // A switch still names the task from then on; a witness of another kind no longer does.
    route(sw(0, 7, 3, 4), 7);
    route(ev(0, 8), 8);
    expect(threadOf(cx.b.take())).toEqual(['8@t4:4']);
    hold.flush(true);
    expect(diags.map((d) => d.code)).toEqual(['lttng-text.pending-overflow', 'lttng-text.unknown-task', 'lttng-text.unknown-task']);
  });

  it('counts records over all CPUs against the count bound', () => {
    const { diags, route } = setup({ count: 3, bytes: 1 << 30 });
    for (let k = 1; k <= 4; k++) route(ev(k % 3, k), k);
    expect(diags.map((d) => d.message)).toEqual(['more than 3 events before the first sched_switch of some CPUs: their task stays unknown']);
  });
});

describe('lttng-text start hold', () => {
  const r = (name: string) => tokenize(`[10:00:00.000000001] (+?.?????????) h ${name}: { cpu_id = 0 }, { }`, 1) as LttngRecord;

  it('ends at the end of the statedump', () => {
    const h = new StartHold();
    expect(h.push(r('lttng_statedump_start'))).toBe(false);
    h.note({ kind: 'discarded', count: 3, what: 'events', text: 'x', line: 2 });
    expect(h.push(r('lttng_statedump_process_state'))).toBe(false);
    expect(h.push(r('lttng_statedump_end'))).toBe(true);
    expect(h.end()!.map((x) => ('kind' in x ? x.kind : x.name))).toEqual(['lttng_statedump_start', 'discarded', 'lttng_statedump_process_state', 'lttng_statedump_end']);
    expect(h.active).toBe(false);
    expect(h.end()).toBeUndefined();
  });

  it('waits less when no statedump started, and never more than its bound', () => {
    const h = new StartHold();
    let n = 0;
    while (!h.push(r('other'))) n++;
    expect(n + 1).toBe(10_000);
    const g = new StartHold();
    g.push(r('lttng_statedump_start'));
    n = 1;
    while (!g.push(r('lttng_statedump_process_state'))) n++;
    expect(n + 1).toBe(PREFIX_LIMIT);
  });
});

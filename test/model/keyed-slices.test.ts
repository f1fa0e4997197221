import { describe, expect, it } from 'vitest';
import type { DiagnosticCode } from '../../src/model/diagnostics.js';
import type { TraceEvent } from '../../src/model/events.js';
import { KeyedSlices, MAX_INFLIGHT } from '../../src/model/keyed-slices.js';
import { SliceBuilder } from '../../src/model/slices.js';

function setup(firstTs = 0) {
  const seen: string[] = [];
  const report = (code: DiagnosticCode, line: number) => void seen.push(`${line} ${code}`);
  const b = new SliceBuilder(report, { unmatchedExit: 'lttng-text.unmatched-exit', unclosedEntry: 'lttng-text.unclosed-entry' });
  const k = new KeyedSlices(b, report, { unmatchedExit: 'lttng-text.unmatched-exit', lostExit: 'lttng-text.lost-exit' }, () => firstTs);
  return { b, k, seen };
}
const slices = (evs: TraceEvent[]) => evs.flatMap((e) => (e.kind === 'begin' ? [`B ${e.name}@${e.ts}`] : e.kind === 'end' ? [`E ${e.name ?? ''}@${e.ts}${e.args?.truncated ? ' truncated' : ''}${e.args?.reissued ? ' reissued' : ''}`] : e.kind === 'instant' ? [`I ${e.name}@${e.ts}`] : []));

describe('KeyedSlices', () => {
  it('closes the entry an exit names, and the entries that lost their exits inside it', () => {
    const { b, k, seen } = setup();
    const t = b.thread(5, 'x');
    k.open(t, 10, 'read', 'read', 'syscall', 1);
    k.open(t, 20, 'f', 'f', 'function', 2);
    expect(k.top(t)).toEqual({ key: 'f', cat: 'function', name: 'f' });
    k.close(t, 30, 'read', 'syscall', 'read', 3);
    expect(k.top(t)).toBeUndefined();
    expect(seen).toEqual(['3 lttng-text.lost-exit']);
    const ev = slices(b.take());
    expect(ev.slice(0, 2)).toEqual(['B read@10', 'B f@20']);
    expect(ev.filter((e) => e.startsWith('E'))).toHaveLength(2);
    expect(ev.some((e) => e.endsWith('truncated'))).toBe(true);
  });

  it('keeps an exit that matches nothing open as an instant, and synthesises a call that began before the trace', () => {
    const { b, k, seen } = setup(5);
    const t = b.thread(5, 'x');
    k.open(t, 10, 'f', 'f', 'function', 1);
    k.close(t, 12, 'write', 'syscall', 'write', 2);
    expect(seen).toEqual(['2 lttng-text.unmatched-exit']);
    expect(slices(b.take())).toContain('I write (exit)@12');
    const u = b.thread(6, 'y');
    k.close(u, 40, undefined, 'syscall', 'poll', 3);
    const ends = b.take().filter((e): e is Extract<TraceEvent, { kind: 'end' }> => e.kind === 'end');
    // The builder names the enclosing slice it synthesised.
    expect(ends.map((e) => [e.name, e.ts])).toEqual([['[truncated] poll', 40]]);
  });

  it('gives each block request in flight a lane of its device and frees it on completion', () => {
    const { b, k } = setup();
    k.blockIssue('8:0', '8,0', '100', 1, 'W', 1);
    k.blockIssue('8:0', '8,0', '200', 2, 'R', 2);
    expect(k.blockComplete('8:0', '100', 3, 3)).toBe(true);
    expect(k.blockComplete('8:0', '100', 4, 4)).toBe(false);
    k.blockIssue('8:0', '8,0', '300', 5, 'W', 5); // takes the freed first lane
    k.blockIssue('8:0', '8,0', '200', 6, 'W', 6); // reissued: the old one ends
    const names = b.take().flatMap((e) => (e.kind === 'track' && e.track.kind === 'global' ? [e.track.name] : []));
    expect(names).toEqual(['block 8,0', 'block 8,0 #2']);
  });

  it('takes the oldest lane of a device when too many requests are in flight', () => {
    const { b, k, seen } = setup();
    for (let i = 0; i <= MAX_INFLIGHT; i++) k.blockIssue('1', '0,1', String(i), i, 'W', i + 1);
    expect(seen).toEqual([`${MAX_INFLIGHT + 1} lttng-text.lost-exit`]);
    const evs = b.take();
    expect(evs.filter((e) => e.kind === 'track')).toHaveLength(MAX_INFLIGHT);
    expect(slices(evs).filter((e) => e.endsWith('truncated'))).toHaveLength(1);
    // The request whose lane was taken is no longer in flight.
    expect(k.blockComplete('1', '0', 300, 300)).toBe(false);
    expect(k.blockComplete('1', String(MAX_INFLIGHT), 300, 300)).toBe(true);
  });
});

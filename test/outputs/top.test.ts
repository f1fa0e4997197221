import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../src/model/events.js';
import { outputForPath } from '../../src/outputs/registry.js';
import { top, TOP_LIMIT } from '../../src/outputs/top.js';
import { SAMPLES, run } from '../support/convert-helpers.js';

function write(events: TraceEvent[], opts: Parameters<typeof top.createWriter>[0] = {}): string {
  const w = top.createWriter({ inputName: 'in', ...opts });
  w.push(events);
  return String(w.end());
}

const sample = (frames: string[], weight: number, extra: Partial<Extract<TraceEvent, { kind: 'sample' }>> = {}): TraceEvent => ({
  kind: 'sample',
  ts: 0,
  track: 0,
  frames: frames.map((name) => ({ name })),
  weight,
  ...extra,
});

describe('top output', () => {
  it('is picked by the .txt extension', () => {
    expect(outputForPath('report.txt')?.name).toBe('top');
  });

  it('ranks distinct stacks by summed count, with shares, leaf first', () => {
    const text = write([
      { kind: 'info', format: 'dmesg', variant: 'kernel log', clock: 'boot' },
      sample(['root', 'a'], 1, { title: 'WARNING: x', reason: 'WARNING' }),
      sample(['root', 'b'], 2, { reason: 'dump_stack' }),
      sample(['root', 'a'], 2, { title: 'WARNING: y', reason: 'WARNING' }),
    ]);
    expect(text).toBe(
      [
        '# tracebridge top: input: in; format: dmesg (kernel log)',
        '# 2 distinct stacks from 3 observations, total count 5',
        '',
        '#1  3  60.00%  WARNING: x [WARNING] (2 observations)',
        '    a',
        '    root',
        '',
        '#2  2  40.00%  [dump_stack]',
        '    b',
        '    root',
        '',
        '',
      ].join('\n'),
    );
  });

  it('prints frame labels as the other outputs do (modules, offsets, `?`)', () => {
    const text = write([
      { kind: 'sample', ts: 0, track: 0, weight: 1, frames: [{ name: 'r' }, { name: 'f', offset: '0x1/0x2', module: 'm', unreliable: true }] },
    ]);
    expect(text).toContain('#1  1  100.00%\n    ? f+0x1/0x2 [m]\n    r\n');
  });

  it('states the histogram total next to the sum', () => {
    const info: TraceEvent = { kind: 'info', format: 'dmesg', clock: 'none', notes: { stated_total: '4', histogram_total: '3' } };
    expect(write([info, sample(['a'], 3)])).toContain('# stated total 4 (the listed stacks sum to 3, -1)\n');
    const same: TraceEvent = { kind: 'info', format: 'dmesg', clock: 'none', notes: { stated_total: '3', histogram_total: '3' } };
    expect(write([same, sample(['a'], 3)])).toContain('# stated total 3 (matches)\n');
  });

  it(`prints at most ${TOP_LIMIT} entries and sums the rest`, () => {
    const evs = Array.from({ length: TOP_LIMIT + 5 }, (_, i) => sample([`f${String(i).padStart(3, '0')}`], 1000 - i));
    const text = write(evs);
    expect(text.split('\n').filter((l) => /^#\d/.test(l)).length).toBe(TOP_LIMIT);
    const rest = [TOP_LIMIT, TOP_LIMIT + 1, TOP_LIMIT + 2, TOP_LIMIT + 3, TOP_LIMIT + 4].reduce((s, i) => s + 1000 - i, 0);
    expect(text).toContain(`# ... 5 more stacks: ${rest} (`);
  });

  it('says so when there is nothing to rank, and lists diagnostic counts', () => {
    const text = write([], { diagnostics: () => ({ 'dmesg.prose': 3 }) });
    expect(text).toBe('# tracebridge top: input: in\n# no stacks and no calls in the input\n\n# diagnostics: dmesg.prose ×3\n');
  });

  it('function_graph input: call paths ranked by self time, total time or calls', () => {
    const evs: TraceEvent[] = [
      { kind: 'begin', ts: 0, track: 1, name: 'outer', cat: 'function', depth: 0 },
      { kind: 'begin', ts: 1000, track: 1, name: 'inner', cat: 'function', depth: 1 },
      { kind: 'end', ts: 4000, track: 1, name: 'inner', cat: 'function', start: 1000, depth: 1, selfNs: 3000 },
      { kind: 'begin', ts: 5000, track: 1, name: 'inner', cat: 'function', depth: 1 },
      { kind: 'end', ts: 6000, track: 1, name: 'inner', cat: 'function', start: 5000, depth: 1, selfNs: 1000 },
      { kind: 'end', ts: 10000, track: 1, name: 'outer', cat: 'function', start: 0, depth: 0, selfNs: 6000 },
      { kind: 'instant', ts: 2000, track: 1, name: 'marker', cat: 'marker' },
    ];
    expect(write(evs)).toContain('# 2 distinct call paths by self time (us), total 10\n\n#1  6  60.00%  (1 call)\n    outer\n\n#2  4  40.00%  (2 calls)\n    inner\n    outer\n');
    expect(write(evs, { weight: 'total' })).toContain('#1  10  71.43%  (1 call)\n    outer\n\n#2  4  28.57%  (2 calls)\n');
    expect(write(evs, { weight: 'count' })).toContain('#1  2  66.67%  (2 calls)\n    inner\n    outer\n');
  });

  it('a real function_graph sample gives a ranked report', async () => {
    const { text } = await run(path.join(SAMPLES, 'function-graph', 'seed-004-recvfrom-pasted.txt'), 'top');
    expect(text.split('\n')[1]).toMatch(/^# \d+ distinct call paths by self time \(us\), total \d+$/);
    // The 6 ms wait for the packet, in schedule_timeout (the paste's extra lines resynchronised).
    expect(text).toMatch(/\n#1  60\d\d  9\d\.\d\d%  \(1 call\)\n    __schedule\n    schedule\n    schedule_timeout\n/);
  });
});

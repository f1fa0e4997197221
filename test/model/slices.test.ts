import { describe, expect, it } from 'vitest';
import type { DiagnosticCode } from '../../src/model/diagnostics.js';
import type { SliceBegin, SliceEnd, TraceEvent } from '../../src/model/events.js';
import { MAX_DEPTH } from '../../src/model/limits.js';
import { TraceSink } from '../../src/model/sink.js';
import { isSynthesizedName, SliceBuilder, synthesizedName } from '../../src/model/slices.js';

interface Reported {
  code: DiagnosticCode;
  line: number;
  message?: string;
}

function builder(sink?: TraceSink) {
  const reported: Reported[] = [];
  const b = new SliceBuilder(
    (code, line, message) => reported.push({ code, line, message }),
    { unmatchedExit: 'function-graph.unmatched-exit', unclosedEntry: 'function-graph.unclosed-entry', nameMismatch: 'function-graph.name-mismatch', timeBackwards: 'function-graph.time-backwards' },
    sink,
  );
  return { b, reported };
}

const slices = (evs: TraceEvent[]) => evs.filter((e): e is SliceBegin | SliceEnd => e.kind === 'begin' || e.kind === 'end');
const brief = (evs: TraceEvent[]) =>
  slices(evs).map((e) => (e.kind === 'begin' ? `B ${e.name} @${e.ts} d${e.depth}` : `E ${e.name} @${e.ts} d${e.depth} self ${e.selfNs}`));

describe('SliceBuilder nesting and self time', () => {
  it('nests begins and ends per track and gives each slice its self time', () => {
    const { b, reported } = builder();
    const t = b.thread(1, 'a');
    b.begin(t, 100, 'outer', 'function', 1);
    b.begin(t, 110, 'inner', 'function', 2);
    b.end(t, 130, 3);
    b.complete(t, 140, 10, 'leaf', 'function', 4);
    b.end(t, 200, 5);
    expect(brief(b.take())).toEqual([
      'B outer @100 d0',
      'B inner @110 d1',
      'E inner @130 d1 self 20',
      'B leaf @140 d1',
      'E leaf @150 d1 self 10',
      'E outer @200 d0 self 70',
    ]);
    expect(reported).toEqual([]);
  });

  it('keeps tracks apart', () => {
    const { b } = builder();
    const t1 = b.thread(1, 'a');
    const t2 = b.thread(2, 'b');
    b.begin(t1, 10, 'f', 'function', 1);
    b.begin(t2, 20, 'g', 'function', 2);
    b.end(t1, 30, 3);
    b.end(t2, 40, 4);
    const ends = slices(b.take()).filter((e): e is SliceEnd => e.kind === 'end');
    expect(ends.map((e) => [e.track, e.name, e.start, e.ts, e.depth])).toEqual([
      [t1, 'f', 10, 30, 0],
      [t2, 'g', 20, 40, 0],
    ]);
  });

  it('never lets time go backwards on a track, and reports large steps back', () => {
    const { b, reported } = builder();
    const t = b.thread(1, 'a');
    b.begin(t, 5000, 'f', 'function', 1);
    b.begin(t, 4500, 'g', 'function', 2); // 500 ns back: moved up, not reported
    b.end(t, 1000, 3); // an end never goes before its begin
    b.begin(t, 1000, 'h', 'function', 4); // 4000 ns back: moved up and reported
    b.end(t, 5200, 5);
    b.end(t, 6000, 6);
    expect(brief(b.take())).toEqual(['B f @5000 d0', 'B g @5000 d1', 'E g @5000 d1 self 0', 'B h @5000 d1', 'E h @5200 d1 self 200', 'E f @6000 d0 self 800']);
    expect(reported).toEqual([{ code: 'function-graph.time-backwards', line: 4, message: undefined }]);
    expect(b.lastTime(t)).toBe(6000);
  });

  it('checks the name an exit gives against the open call', () => {
    const { b, reported } = builder();
    const t = b.thread(1, 'a');
    b.begin(t, 0, 'f', 'function', 1);
    b.end(t, 10, 2, 'g');
    expect(reported.map((r) => [r.code, r.line])).toEqual([['function-graph.name-mismatch', 2]]);
    expect(brief(b.take())).toContain('E f @10 d0 self 10');
  });

  it('records the CPU of the line on the slices it begins', () => {
    const { b } = builder();
    const t = b.thread(1, 'a');
    b.cpu = 3;
    b.begin(t, 0, 'f', 'function', 1);
    b.cpu = undefined;
    b.begin(t, 1, 'g', 'function', 2);
    const begins = slices(b.take()).filter((e): e is SliceBegin => e.kind === 'begin');
    expect(begins.map((e) => e.cpu)).toEqual([3, undefined]);
  });

  it('exposes the open stack to adapters that resynchronise', () => {
    const { b } = builder();
    const t = b.thread(1, 'a');
    expect(b.depth(t)).toBe(0);
    expect(b.openStart(t)).toBeUndefined();
    b.begin(t, 10, 'f', 'function', 1);
    b.begin(t, 20, 'g', 'function', 2);
    expect(b.depth(t)).toBe(2);
    expect(b.openStart(t)).toBe(20);
    expect(b.openAt(t, 0)!.name).toBe('g');
    expect(b.openAt(t, 1)).toMatchObject({ name: 'f', start: 10 });
    expect(b.openAt(t, 2)).toBeUndefined();
  });
});

describe('SliceBuilder synthesised enclosing slices', () => {
  it('an exit with a printed duration inside the window: [truncated] name, enclosing the roots it covers', () => {
    const { b, reported } = builder();
    const t = b.thread(1, 'a');
    b.observe(0);
    b.complete(t, 100, 50, 'child', 'function', 1);
    b.end(t, 300, 2, 'outer', 250);
    expect(brief(b.take())).toEqual(['B child @100 d0', 'E child @150 d0 self 50', 'B [truncated] outer @50 d0', 'E [truncated] outer @300 d0 self 200']);
    expect(reported.map((r) => [r.code, r.line])).toEqual([['function-graph.unmatched-exit', 2]]);
    expect(reported[0]!.message).toContain('[truncated] outer');
  });

  it('begins 1 ns before the first root it encloses, so sorting by time keeps the nesting', () => {
    const { b } = builder();
    const t = b.thread(1, 'a');
    b.complete(t, 1000, 100, 'first', 'function', 1);
    b.complete(t, 1200, 100, 'second', 'function', 2);
    b.end(t, 1400, 3);
    const evs = slices(b.take());
    const begin = evs.find((e) => e.kind === 'begin' && isSynthesizedName(e.name))!;
    // No duration and nothing before the track's first time: the window starts at 1000.
    expect(begin).toMatchObject({ name: '[before trace start]', ts: 999, depth: 0 });
    const end = evs[evs.length - 1] as SliceEnd;
    // Observed time from the window start (1000) to 1400, less the two roots' 200 ns.
    expect(end).toMatchObject({ name: '[before trace start]', start: 999, ts: 1400, selfNs: 200 });
  });

  it('a printed duration reaching before the observed window starts at the window; unobserved time weighs nothing', () => {
    const { b } = builder();
    const t = b.thread(1, 'a');
    const u = b.thread(2, 'b');
    b.complete(u, 500, 10, 'elsewhere', 'function', 1); // the input begins at 500
    b.end(t, 800, 2, 'long', 10_000);
    const evs = slices(b.take()).filter((e) => e.track === t);
    expect(brief(evs)).toEqual(['B [truncated] long @500 d0', 'E [truncated] long @800 d0 self 300']);
  });

  it('without a name, says whether the entry was lost inside the window or before it', () => {
    expect(synthesizedName(undefined, true)).toBe('[entry lost]');
    expect(synthesizedName(undefined, false)).toBe('[before trace start]');
    expect(synthesizedName('f', true)).toBe('[truncated] f');
    const { b } = builder();
    const t = b.thread(1, 'a');
    b.observe(0);
    b.end(t, 100, 1, undefined, 40);
    expect(brief(b.take())).toEqual(['B [entry lost] @60 d0', 'E [entry lost] @100 d0 self 40']);
  });

  it('encloses only the roots ending after it began; later slices nest under nothing', () => {
    const { b } = builder();
    const t = b.thread(1, 'a');
    b.observe(0);
    b.complete(t, 10, 10, 'early', 'function', 1); // ends at 20, before the enclosing slice
    b.complete(t, 50, 10, 'late', 'function', 2);
    b.end(t, 100, 3, 'outer', 70); // begins at 30
    b.complete(t, 120, 5, 'after', 'function', 4);
    const evs = b.take();
    const outer = slices(evs).find((e): e is SliceEnd => e.kind === 'end' && e.name === '[truncated] outer')!;
    expect(outer.start).toBe(30);
    expect(outer.selfNs).toBe(70 - 10);
    expect(brief(evs).slice(-2)).toEqual(['B after @120 d0', 'E after @125 d0 self 5']);
  });
});

describe('SliceBuilder truncated ends and limits', () => {
  it('closes open slices at the last time of their track, marked truncated and reported at their entry line', () => {
    const { b, reported } = builder();
    const t = b.thread(1, 'a');
    b.begin(t, 10, 'outer', 'function', 7);
    b.begin(t, 20, 'inner', 'function', 8);
    b.instant(t, 50, 'mark', 'marker', 9);
    b.closeAll();
    const evs = b.take();
    const ends = slices(evs).filter((e): e is SliceEnd => e.kind === 'end');
    expect(ends.map((e) => [e.name, e.ts, e.selfNs, e.args])).toEqual([
      ['inner', 50, 30, { truncated: true }],
      ['outer', 50, 10, { truncated: true }],
    ]);
    expect(reported.map((r) => [r.code, r.line])).toEqual([
      ['function-graph.unclosed-entry', 8],
      ['function-graph.unclosed-entry', 7],
    ]);
  });

  it('closeTrack closes one track at a given time and leaves the others open', () => {
    const { b } = builder();
    const t1 = b.thread(1, 'a');
    const t2 = b.thread(2, 'b');
    b.begin(t1, 0, 'f', 'function', 1);
    b.begin(t2, 0, 'g', 'function', 2);
    b.closeTrack(t1, 40);
    expect(b.depth(t1)).toBe(0);
    expect(b.depth(t2)).toBe(1);
    expect(brief(b.take()).pop()).toBe('E f @40 d0 self 40');
  });

  it('counts calls beyond the depth limit in the call at the limit and reports it once', () => {
    const { b, reported } = builder();
    const t = b.thread(1, 'a');
    for (let k = 0; k < MAX_DEPTH + 3; k++) b.begin(t, k, `f${k}`, 'function', k + 1);
    expect(b.depth(t)).toBe(MAX_DEPTH);
    for (let k = 0; k < MAX_DEPTH + 3; k++) b.end(t, 10_000, 5000 + k);
    expect(b.depth(t)).toBe(0);
    expect(reported.map((r) => r.code)).toEqual(['limit.depth']);
    const evs = slices(b.take());
    expect(evs.filter((e) => e.kind === 'begin')).toHaveLength(MAX_DEPTH);
    expect(evs.filter((e) => e.kind === 'end')).toHaveLength(MAX_DEPTH);
  });

  it('takes times outside 0..2^53-1 ns as the track’s last time, and a bad duration as 0', () => {
    const { b, reported } = builder();
    const t = b.thread(1, 'a');
    b.instant(t, 70, 'a', 'marker', 1);
    b.instant(t, Number.NaN, 'b', 'marker', 2);
    b.complete(t, 80, -5, 'c', 'function', 3);
    const evs = b.take().filter((e) => e.kind === 'instant' || e.kind === 'end');
    expect(evs.map((e) => e.ts)).toEqual([70, 70, 80]);
    expect(reported.map((r) => [r.code, r.line])).toEqual([
      ['limit.number-range', 2],
      ['limit.number-range', 3],
    ]);
  });
});

describe('SliceBuilder over a sink', () => {
  it('shares one event order with the sink and makes slices on tracks declared before it', () => {
    const sink = new TraceSink();
    const early = sink.thread(5, 'early');
    const { b } = builder(sink);
    sink.push({ kind: 'info', format: 'function-graph', clock: 'boot' });
    b.begin(early, 1, 'f', 'function', 1);
    const late = sink.global('late');
    b.instant(late, 2, 'i', 'marker', 2);
    b.out.push({ kind: 'instant', ts: 3, track: late, name: 'pushed', cat: 'marker' });
    b.end(early, 4, 3);
    expect(b.take().map((e) => e.kind)).toEqual(['track', 'info', 'begin', 'track', 'instant', 'instant', 'end']);
    expect(sink.take()).toEqual([]);
  });
});

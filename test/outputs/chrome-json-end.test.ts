import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../src/model/events.js';
import { CHUNK_BYTES } from '../../src/outputs/byte-out.js';
import { chromeJson } from '../../src/outputs/chrome-json.js';

/** 40 threads, each with 300 outermost calls still held by the per-thread order at the end. */
function events(): TraceEvent[] {
  const evs: TraceEvent[] = [];
  const name = 'a_function_with_a_name_long_enough_to_fill_the_held_buffers_quickly';
  for (let t = 0; t < 40; t++) {
    evs.push({ kind: 'track', track: { kind: 'thread', id: t, pid: 100 + t, tid: 100 + t, name: `w${t}`, processName: `w${t}` } });
    for (let k = 0; k < 300; k++) {
      const ts = 1000 + k * 10;
      evs.push({ kind: 'begin', ts, track: t, name, cat: 'function', depth: 0 });
      evs.push({ kind: 'end', ts: ts + 5, track: t, name, cat: 'function', start: ts, depth: 0, selfNs: 5 });
    }
  }
  return evs;
}

describe('chrome-json end', () => {
  it('hands out what threads still hold in pieces, the same bytes as end()', () => {
    const a = chromeJson.createWriter({});
    const headA = a.push(events());
    const pieces = [...a.endChunks!()];
    const b = chromeJson.createWriter({});
    const headB = b.push(events());
    const whole = b.end() as Uint8Array;
    expect(Buffer.from(headA as Uint8Array).equals(Buffer.from(headB as Uint8Array))).toBe(true);
    expect(pieces.length).toBeGreaterThan(2);
    for (const p of pieces.slice(0, -1)) expect(p.length).toBeLessThan(2 * CHUNK_BYTES);
    expect(Buffer.concat(pieces.map((p) => Buffer.from(p as Uint8Array))).equals(Buffer.from(whole))).toBe(true);
    const json = JSON.parse(Buffer.concat([Buffer.from(headA as Uint8Array), Buffer.from(whole)]).toString('utf8')) as { traceEvents: unknown[] };
    expect(json.traceEvents.length).toBeGreaterThan(40 * 300 * 2);
  });
});

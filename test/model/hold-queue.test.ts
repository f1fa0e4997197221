import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HOLD_BYTES, HoldQueue } from '../../src/model/hold-queue.js';

describe('HoldQueue', () => {
  it('holds items per key and gives them back in order', () => {
    const q = new HoldQueue<number, string>({ count: 10, bytes: HOLD_BYTES });
    expect(q.has(0)).toBe(false);
    expect(q.take(0)).toBeUndefined();
    q.push(1, 'a', 1);
    q.push(0, 'b', 1);
    q.push(1, 'c', 1);
    expect(q.has(1)).toBe(true);
    expect(q.count).toBe(3);
    expect(q.keys()).toEqual([1, 0]);
    expect(q.take(1)).toEqual(['a', 'c']);
    expect(q.has(1)).toBe(false);
    expect(q.count).toBe(1);
    expect(q.take(1)).toBeUndefined();
    expect(q.takeAll()).toEqual([[0, ['b']]]);
    expect(q.count).toBe(0);
    expect(q.bytes).toBe(0);
  });

  it('counts a started hold without items as holding', () => {
    const q = new HoldQueue<string, number>({ count: 1, bytes: 1 });
    q.start('cpu0');
    expect(q.has('cpu0')).toBe(true);
    expect(q.count).toBe(0);
    expect(q.take('cpu0')).toEqual([]);
    expect(q.has('cpu0')).toBe(false);
  });

  it('says when the count bound is passed, over all keys, and still holds the item', () => {
    const q = new HoldQueue<number, number>({ count: 3, bytes: HOLD_BYTES });
    expect([q.push(0, 1, 0), q.push(1, 2, 0), q.push(0, 3, 0)]).toEqual([true, true, true]);
    expect(q.push(1, 4, 0)).toBe(false);
    expect(q.count).toBe(4);
    expect(q.takeAll()).toEqual([
      [0, [1, 3]],
      [1, [2, 4]],
    ]);
    // What was taken no longer counts.
    expect(q.push(0, 5, 0)).toBe(true);
  });

  it('says when the byte bound is passed before the count bound', () => {
    const q = new HoldQueue<number, string>({ count: 1000, bytes: 100 });
    expect(q.push(0, 'x', 60)).toBe(true);
    expect(q.push(1, 'y', 40)).toBe(true);
    expect(q.bytes).toBe(100);
    expect(q.push(1, 'z', 1)).toBe(false);
    q.take(0);
    expect(q.bytes).toBe(41);
    expect(q.push(2, 'w', 59)).toBe(true);
  });

  it('keeps count and bytes equal to what is held, whatever the order of holds and takes', () => {
    type Step = { take: boolean; key: number; bytes: number };
    const step = fc.record({ take: fc.boolean(), key: fc.integer({ min: 0, max: 3 }), bytes: fc.integer({ min: 0, max: 50 }) });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 80 }), (steps: Step[]) => {
        const q = new HoldQueue<number, number>({ count: 20, bytes: 400 });
        const model = new Map<number, number[]>();
        let n = 0;
        for (const s of steps) {
          if (s.take) {
            expect(q.take(s.key) ?? null).toEqual(model.get(s.key) ?? null);
            model.delete(s.key);
          } else {
            const within = q.push(s.key, s.bytes, s.bytes);
            if (!model.has(s.key)) model.set(s.key, []);
            model.get(s.key)!.push(s.bytes);
            const all = [...model.values()].flat();
            expect(within).toBe(all.length <= 20 && all.reduce((a, b) => a + b, 0) <= 400);
          }
          n++;
          const all = [...model.values()].flat();
          expect(q.count).toBe(all.length);
          expect(q.bytes).toBe(all.reduce((a, b) => a + b, 0));
          expect(q.keys()).toEqual([...model.keys()]);
        }
        return n === steps.length;
      }),
    );
  });
});

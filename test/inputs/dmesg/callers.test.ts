import { describe, expect, it } from 'vitest';
import { CallerStates, Slots } from '../../../src/inputs/dmesg/callers.js';
import { newCallerState, resetCallerState, type CallerState } from '../../../src/inputs/dmesg/state.js';

describe('dmesg caller states', () => {
  const make = (limit: number) => {
    let n = 0;
    return new CallerStates(limit, () => ({ id: n++ }));
  };

  it('gives each caller id one state, made on first use', () => {
    const c = make(4);
    const a = c.get('T1', () => {});
    expect(c.get('T1', () => {})).toBe(a);
    expect(c.get('C0', () => {})).not.toBe(a);
  });

  it('pushes out the least recently used state when full, and says which', () => {
    const c = make(3);
    const evicted: number[] = [];
    const ev = (s: { id: number }) => evicted.push(s.id);
    c.get('a', ev); // 0
    c.get('b', ev); // 1
    c.get('c', ev); // 2
    c.get('a', ev); // a is now the most recent: b is the least
    c.get('d', ev); // 3 pushes out b
    expect(evicted).toEqual([1]);
    c.get('e', ev); // pushes out c
    expect(evicted).toEqual([1, 2]);
    // b comes back as a new state.
    expect(c.get('b', ev).id).toBe(5);
    expect(evicted).toEqual([1, 2, 0]);
  });

  it('drains every state least recently used first, and keeps none', () => {
    const c = make(8);
    for (const k of ['a', 'b', 'c', 'd']) c.get(k, () => {});
    c.get('b', () => {});
    c.get('a', () => {});
    c.get('a', () => {});
    expect(c.drain().map((s) => s.id)).toEqual([2, 3, 1, 0]);
    expect(c.drain()).toEqual([]);
    expect(c.get('a', () => {}).id).toBe(4);
  });

  it.each([
    [16, 40, 5000],
    [256, 3000, 60000],
    [3, 5, 2000],
  ])('keeps the order of a Map refreshed by delete and set (the order dmesg outputs depend on): %i states, %i ids', (limit, ids, steps) => {
    const c = make(limit);
    const model = new Map<string, number>();
    const outC: number[] = [];
    const outM: number[] = [];
    let seed = 7;
    let next = 0;
    for (let k = 0; k < steps; k++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const key = `${seed % 3 === 0 ? 'C' : 'T'}${(seed >> 4) % ids}`;
      c.get(key, (s) => outC.push(s.id));
      const v = model.get(key);
      if (v !== undefined) {
        model.delete(key);
        model.set(key, v);
      } else {
        if (model.size >= limit) {
          const [old, id] = model.entries().next().value as [string, number];
          outM.push(id);
          model.delete(old);
        }
        model.set(key, next++);
      }
    }
    expect(outC).toEqual(outM);
    expect(c.drain().map((s) => s.id)).toEqual([...model.values()]);
  });

  it('with a reset, a pushed-out state is finished, made new and taken over by the new id', () => {
    let made = 0;
    const c = new CallerStates<{ id: number; used: boolean }>(2, () => ({ id: made++, used: false }), (s) => (s.used = false));
    const finished: boolean[] = [];
    const ev = (s: { used: boolean }) => finished.push(s.used);
    c.get('a', ev).used = true;
    c.get('b', ev).used = true;
    const d = c.get('d', ev); // a's state, finished while still in use, then reset
    expect(finished).toEqual([true]);
    expect(d).toEqual({ id: 0, used: false });
    expect(made).toBe(2);
    expect(c.get('d', ev)).toBe(d);
    expect(c.get('b', ev).id).toBe(1);
  });

  it('resetCallerState leaves a state as newCallerState makes it, every field', () => {
    const st = newCallerState();
    for (const k of Object.keys(st) as (keyof CallerState)[]) (st as unknown as Record<string, unknown>)[k] = k === 'emitted' ? 9 : { stale: k };
    resetCallerState(st);
    expect(st).toEqual(newCallerState());
  });

  it('the slot table finds every entry after deletions inside runs, across the table end too', () => {
    const t = new Slots<{ key: string }>(4); // 16 slots
    const byHome = new Map<number, string[]>();
    for (let n = 0; n < 5000; n++) {
      const k = `T${n}`;
      const h = t.hash(k);
      if (!byHome.has(h)) byHome.set(h, []);
      byHome.get(h)!.push(k);
    }
    const home = (h: number, i: number) => byHome.get(h)![i]!;
    // A run from slot 14 over the end: two keys at home 14, one at home 15, one at home 0.
    const scenario = (gone: string, keys: string[]) => {
      const s = new Slots<{ key: string }>(4);
      for (const k of keys) s.add({ key: k });
      s.delete(gone);
      for (const k of keys) expect(s.get(k)?.key ?? null, `${k} after deleting ${gone}`).toBe(k === gone ? null : k);
    };
    const keys = [home(14, 0), home(14, 1), home(15, 0), home(0, 0), home(0, 1), home(1, 0)];
    for (const gone of keys) scenario(gone, keys);
    // An entry at its own home right after the hole, across the end, stays.
    scenario(home(15, 0), [home(15, 0), home(0, 0)]);
    scenario(home(15, 0), [home(15, 0), home(15, 1), home(0, 0)]);
  });
});

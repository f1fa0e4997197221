import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Frame } from '../../src/model/events.js';
import { frameText, StackBuilder, stackOptions, type RawFrame } from '../../src/model/stacks.js';
import { frameLabel } from '../../src/outputs/common.js';
import { stackKey, StackTable } from '../../src/outputs/stack-table.js';

const leafFirst: RawFrame[] = [
  { name: 'dump_stack', offset: '0x5c/0x7b' },
  { name: 'tick_sched_do_timer', offset: '0x50/0x50', unreliable: true },
  { name: 'amdgpu_job_timedout', offset: '0x151/0x180', module: 'amdgpu', context: 'irq' },
  { name: 'entry_SYSCALL_64', offset: '0x44/0xa9' },
];

describe('StackBuilder', () => {
  it('turns leaf-first frames into root-first ones', () => {
    const b = new StackBuilder();
    expect(b.build(leafFirst).frames.map((f) => f.name)).toEqual(['entry_SYSCALL_64', 'amdgpu_job_timedout', 'dump_stack']);
  });

  it('defaults: offsets dropped, `?` frames dropped, modules kept', () => {
    const r = new StackBuilder({}).build(leafFirst);
    expect(r.frames).toEqual([
      { name: 'entry_SYSCALL_64' },
      { name: 'amdgpu_job_timedout', module: 'amdgpu', context: 'irq' },
      { name: 'dump_stack' },
    ]);
    expect(r.droppedUnreliable).toBe(1);
    expect(r.onlyUnreliable).toBe(false);
  });

  it('--offsets keeps offsets, --unreliable keeps `?` frames marked, --no-modules drops modules', () => {
    const r = new StackBuilder({ offsets: true, unreliable: true, modules: false }).build(leafFirst);
    expect(r.frames.map(frameText)).toEqual([
      'entry_SYSCALL_64+0x44/0xa9',
      'amdgpu_job_timedout+0x151/0x180',
      '? tick_sched_do_timer+0x50/0x50',
      'dump_stack+0x5c/0x7b',
    ]);
    expect(r.droppedUnreliable).toBe(0);
  });

  it('keeps every frame, marked, when all of them are `?` (and says so)', () => {
    const all = [{ name: 'a', unreliable: true }, { name: 'b', unreliable: true }];
    const r = new StackBuilder().build(all);
    expect(r.frames.map(frameText)).toEqual(['? b', '? a']);
    expect(r.onlyUnreliable).toBe(true);
    // With --unreliable nothing special happened.
    expect(new StackBuilder({ unreliable: true }).build(all).onlyUnreliable).toBe(false);
  });

  it('an empty stack stays empty', () => {
    const r = new StackBuilder().build([]);
    expect(r.frames).toEqual([]);
    expect(r.onlyUnreliable).toBe(false);
  });

  it('stackOptions fills the documented defaults', () => {
    expect(stackOptions(undefined)).toEqual({ offsets: false, unreliable: false, modules: true });
    expect(stackOptions({ modules: false })).toEqual({ offsets: false, unreliable: false, modules: false });
  });

  it('frameText spells every field combination, and is the outputs’ frameLabel', () => {
    expect(frameText({ name: 'f' })).toBe('f');
    expect(frameText({ name: 'f', offset: '0x1a/0x40' })).toBe('f+0x1a/0x40');
    expect(frameText({ name: 'f', module: 'btrfs' })).toBe('f [btrfs]');
    expect(frameText({ name: 'f', offset: '5', module: 'btrfs', unreliable: true })).toBe('? f+5 [btrfs]');
    expect(frameText({ name: 'f', unreliable: true, context: 'irq' })).toBe('? f');
    // One function: outputs and model cannot drift apart.
    expect(frameLabel).toBe(frameText);
  });
});

describe('StackTable', () => {
  const A: Frame[] = [{ name: 'root' }, { name: 'a' }];
  const B: Frame[] = [{ name: 'root' }, { name: 'b' }];
  const C: Frame[] = [{ name: 'root' }, { name: 'c', module: 'm' }];

  it('sums weights of equal stacks and ranks by weight, then by stack', () => {
    const t = new StackTable();
    t.add(A, 3, 'first A', 'WARNING');
    t.add(B, 5);
    t.add(A, 2, 'second A', 'BUG');
    t.add(C, 5);
    expect(t.size).toBe(3);
    expect(t.total).toBe(15);
    expect(t.observations).toBe(4);
    const r = t.ranked();
    // Equal weights: ordered by the stack text.
    expect(r.map((e) => [e.key, e.weight, e.observations])).toEqual([
      ['root;a', 5, 2],
      ['root;b', 5, 1],
      ['root;c [m]', 5, 1],
    ]);
    // The first observation names the entry.
    expect(r[0]!.title).toBe('first A');
    expect(r[0]!.reason).toBe('WARNING');
    t.add(C, 1);
    expect(t.ranked()[0]!.key).toBe('root;c [m]');
  });

  it('stackKey tells frames with and without modules or `?` apart', () => {
    expect(stackKey([{ name: 'f' }])).not.toBe(stackKey([{ name: 'f', module: 'm' }]));
    expect(stackKey([{ name: 'f' }])).not.toBe(stackKey([{ name: 'f', unreliable: true }]));
    expect(stackKey([{ name: 'a' }, { name: 'b' }])).toBe('a;b');
  });

  it('total equals the sum of all weights added (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(A, B, C), fc.integer({ min: 0, max: 1000 }))), (adds) => {
        const t = new StackTable();
        for (const [s, w] of adds) t.add(s, w);
        const sum = adds.reduce((x, [, w]) => x + w, 0);
        return t.total === sum && t.ranked().reduce((x, e) => x + e.weight, 0) === sum;
      }),
    );
  });
});

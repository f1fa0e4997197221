import { describe, expect, it } from 'vitest';
import type { TraceEvent, TrackInfo } from '../../src/model/events.js';
import { cpuPseudoTid, idleTid, PSEUDO_TID_BASE, TraceSink } from '../../src/model/sink.js';

const tracks = (evs: TraceEvent[]): TrackInfo[] => evs.flatMap((e) => (e.kind === 'track' ? [e.track] : []));

describe('TraceSink', () => {
  it('declares each track once, with dense ids in declaration order', () => {
    const s = new TraceSink();
    expect(s.thread(42, 'bash')).toBe(0);
    expect(s.global('kernel log')).toBe(1);
    expect(s.cpuLane(3, 'CPU 3 irq')).toBe(2);
    expect(s.thread(42, 'bash')).toBe(0);
    expect(s.global('kernel log')).toBe(1);
    expect(s.cpuLane(3, 'CPU 3 irq')).toBe(2);
    expect(s.cpuLane(4, 'CPU 3 irq')).toBe(3);
    expect(s.trackCount).toBe(4);
    expect(tracks(s.take())).toEqual([
      { kind: 'thread', id: 0, pid: 42, tid: 42, name: 'bash', processName: 'bash' },
      { kind: 'global', id: 1, name: 'kernel log' },
      { kind: 'cpu', id: 2, cpu: 3, name: 'CPU 3 irq' },
      { kind: 'cpu', id: 3, cpu: 4, name: 'CPU 3 irq' },
    ]);
  });

  it('keeps events in the order they were appended, tracks among them, and hands them out once', () => {
    const s = new TraceSink();
    s.push({ kind: 'info', format: 'dmesg', clock: 'none' });
    const t = s.thread(7, 'init');
    s.push({ kind: 'instant', ts: 5, track: t, name: 'x', cat: 'event' });
    const first = s.take();
    expect(first.map((e) => e.kind)).toEqual(['info', 'track', 'instant']);
    expect(s.take()).toEqual([]);
    // A known track is not declared again.
    s.thread(7, 'init');
    expect(s.take()).toEqual([]);
  });

  it('renames a thread by declaring its track again; an empty name renames nothing', () => {
    const s = new TraceSink();
    const t = s.thread(9, 'pid 9');
    s.take();
    expect(s.thread(9, 'kworker/0:1')).toBe(t);
    expect(tracks(s.take())).toEqual([{ kind: 'thread', id: t, pid: 9, tid: 9, name: 'kworker/0:1', processName: 'kworker/0:1' }]);
    expect(s.thread(9, '')).toBe(t);
    expect(s.take()).toEqual([]);
    expect(s.track(t).name).toBe('kworker/0:1');
  });

  it('a renamed thread of another process keeps its process name', () => {
    const s = new TraceSink();
    const t = s.thread(101, 'worker', 100, 'server');
    s.take();
    s.thread(101, 'worker-2');
    expect(tracks(s.take())).toEqual([{ kind: 'thread', id: t, pid: 100, tid: 101, name: 'worker-2', processName: 'server' }]);
  });

  it('gives idle tasks and unknown CPU tasks pseudo tids above any Linux pid, one lane per CPU', () => {
    const s = new TraceSink();
    const idle0 = s.idleThread(0);
    const idle1 = s.idleThread(1);
    const cpu0 = s.cpuThread(0);
    expect(new Set([idle0, idle1, cpu0]).size).toBe(3);
    expect(s.idleThread(1)).toBe(idle1);
    const [a, b, c] = tracks(s.take());
    expect(a).toEqual({ kind: 'thread', id: idle0, pid: idleTid(0), tid: idleTid(0), name: 'swapper/0', processName: 'swapper/0', cpu: 0 });
    expect(b!.name).toBe('swapper/1');
    expect(c).toEqual({ kind: 'thread', id: cpu0, pid: cpuPseudoTid(0), tid: cpuPseudoTid(0), name: 'CPU 0', processName: 'CPU 0', cpu: 0 });
    expect(cpuPseudoTid(0)).toBeGreaterThanOrEqual(PSEUDO_TID_BASE);
    expect(idleTid(1023)).toBeLessThan(2 ** 31);
    expect(idleTid(0)).not.toBe(cpuPseudoTid(0));
  });

  it('tells its listeners of every track declared after they listen, in order', () => {
    const s = new TraceSink();
    s.global('before');
    const seen: number[] = [];
    s.onTrack((info) => seen.push(info.id));
    s.thread(1, 'a');
    s.thread(1, 'b'); // a rename declares no new track
    s.cpuLane(0, 'CPU 0 softirq');
    expect(seen).toEqual([1, 2]);
  });
});

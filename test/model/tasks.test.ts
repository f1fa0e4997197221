import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../src/model/events.js';
import { idleTid, SliceBuilder } from '../../src/model/slices.js';
import { TaskTable } from '../../src/model/tasks.js';

function table() {
  const b = new SliceBuilder(() => {}, { unmatchedExit: 'ftrace-events.unmatched-exit', unclosedEntry: 'ftrace-events.unclosed-entry' });
  return { b, t: new TaskTable(b) };
}
const tracks = (evs: TraceEvent[]) => evs.flatMap((e) => (e.kind === 'track' ? [e.track] : []));

describe('TaskTable', () => {
  it('follows the task running on each CPU', () => {
    const { t } = table();
    expect(t.current(0)).toBe(-1);
    t.setCurrent(0, 42);
    t.setCurrent(1, 0);
    expect(t.current(0)).toBe(42);
    expect(t.current(1)).toBe(0);
    expect(t.cpus()).toEqual([0, 1]);
  });

  it('lets strong names replace and weak names only fill, and never takes <...>', () => {
    const { t } = table();
    expect(t.setComm(7, 'init', false)).toBe(true);
    expect(t.setComm(7, 'kt-workload')).toBe(true);
    expect(t.setComm(7, 'init', false)).toBe(false);
    expect(t.setComm(7, '<...>')).toBe(false);
    expect(t.comm(7)).toBe('kt-workload');
    expect(t.setComm(0, 'swapper/0')).toBe(false);
  });

  it('declares a thread in its process, keeps that process, renames it when its name changes', () => {
    const { b, t } = table();
    t.setPid(101, 100);
    t.setProcess(100, 'server');
    t.setComm(101, 'worker');
    const id = t.track(101, 0);
    expect(t.track(101, 1)).toBe(id);
    t.setPid(101, 555);
    t.setComm(101, 'worker-2');
    expect(t.track(101, 0)).toBe(id);
    const ts = tracks(b.take());
    expect(ts).toEqual([
      { kind: 'thread', id, pid: 100, tid: 101, name: 'worker', processName: 'server' },
      { kind: 'thread', id, pid: 100, tid: 101, name: 'worker-2', processName: 'server' },
    ]);
  });

  it('gives the idle task one lane per CPU and an unknown thread a name', () => {
    const { b, t } = table();
    const a = t.track(0, 0);
    const c = t.track(0, 1);
    expect(a).not.toBe(c);
    t.track(9, 0);
    const ts = tracks(b.take());
    expect(ts.map((x) => (x.kind === 'thread' ? [x.tid, x.name] : []))).toEqual([
      [idleTid(0), 'swapper/0'],
      [idleTid(1), 'swapper/1'],
      [9, 'tid 9'],
    ]);
  });

  it('names a process after its main thread and leaves out threads declared elsewhere', () => {
    const { t } = table();
    t.setPid(5, 5);
    t.setProcess(5, 'sh', 1);
    t.setComm(5, 'cat');
    expect(t.process(5)).toEqual({ name: 'cat', ppid: 1 });
    t.setComm(6, 'other');
    t.track(6, 0); // declared in its own process 6
    expect(t.processEvent(5, [{ tid: 5, name: 'cat' }, { tid: 6, name: 'other' }])).toEqual({
      kind: 'process',
      pid: 5,
      ppid: 1,
      name: 'cat',
      threads: [{ tid: 5, name: 'cat' }],
    });
    expect(t.pid(6)).toBe(6);
    t.markExited(6);
    expect(t.exited(6)).toBe(true);
  });
});

describe('TaskTable options and whole process facts', () => {
  it('takes every non-empty name when the input has no placeholder comm', () => {
    const b = new SliceBuilder(() => {}, { unmatchedExit: 'lttng-text.unmatched-exit', unclosedEntry: 'lttng-text.unclosed-entry' });
    const t = new TaskTable(b, { placeholderComm: null });
    expect(t.setComm(7, '<...>')).toBe(true);
    expect(t.comm(7)).toBe('<...>');
    expect(t.setComm(7, '')).toBe(false);
    expect(table().t.setComm(7, '<...>')).toBe(false);
  });

  it('replaces a process whole with putProcess, and merges with setProcess', () => {
    const { t } = table();
    t.setProcess(5, 'sh', 1);
    t.setProcess(5, '');
    expect(t.process(5)).toEqual({ name: 'sh', ppid: 1 });
    t.putProcess(5, { name: '' });
    expect(t.process(5)).toEqual({ name: '' });
    expect(t.processEvent(5, [{ tid: 5, name: 'x' }])).toEqual({ kind: 'process', pid: 5, name: '', threads: [{ tid: 5, name: 'x' }] });
  });
});

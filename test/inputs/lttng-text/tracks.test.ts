import { describe, expect, it } from 'vitest';
import { Context } from '../../../src/inputs/lttng-text/context.js';
import { domainOf } from '../../../src/inputs/lttng-text/meaning.js';
import { type LttngRecord, tokenize } from '../../../src/inputs/lttng-text/tokenize.js';
import { trackOf } from '../../../src/inputs/lttng-text/tracks.js';
import type { TraceEvent } from '../../../src/model/events.js';

const setup = () => new Context({ file: 't', report: () => {}, options: {} });
const rec = (line: string) => tokenize(line, 1) as LttngRecord;
const thread = (evs: TraceEvent[], id: number) => {
  const t = evs.filter((e) => e.kind === 'track' && e.track.id === id).pop();
  return t?.kind === 'track' && t.track.kind === 'thread' ? `${t.track.processName}(${t.track.pid})/${t.track.name}(${t.track.tid})` : undefined;
};
const at = (cx: Context, line: string) => {
  const r = rec(line);
  return trackOf(cx, r, domainOf(r), 0);
};

describe('lttng-text tracks', () => {
  it('draws a record with thread context on its thread, in its process', () => {
    const cx = setup();
    const id = at(cx, '[10:00:00.000000001] (+?.?????????) h app:ev: { cpu_id = 0 }, { vpid = 40, vtid = 41, procname = "worker" }, { }');
    expect(thread(cx.b.take(), id)).toBe('pid 40(40)/worker(41)');
  });

  it('draws a UST record without a thread on its process, named by the header', () => {
    const cx = setup();
    const id = at(cx, '[10:00:00.000000001] (+?.?????????) h:app:(50) app:ev: { cpu_id = 0 }, { }');
    expect(thread(cx.b.take(), id)).toBe('app(50)/app(50)');
  });

  it('draws a kernel record on the task running on its CPU, else on the CPU, and counts those', () => {
    const cx = setup();
    const r = '[10:00:00.000000001] (+?.?????????) h some_event: { cpu_id = 0 }, { }';
    const a = at(cx, r);
    expect(thread(cx.b.take(), a)).toBe('CPU 0(1073741824)/CPU 0(1073741824)');
    expect(cx.cpuState(0).unknownTask).toBe(1);
    cx.tasks.setCurrent(0, 7);
    cx.setComm(7, 'seven');
    const b = at(cx, r);
    expect(thread(cx.b.take(), b)).toBe('seven(7)/seven(7)');
    cx.tasks.setCurrent(0, 0);
    const c = at(cx, r);
    expect(thread(cx.b.take(), c)).toBe('swapper/0(1073807360)/swapper/0(1073807360)');
    expect(cx.cpuState(0).unknownTask).toBe(1);
  });

  it('gives DPDK threads a pseudo process, one per name', () => {
    const cx = setup();
    const a = at(cx, '[10:00:00.000000001] (+?.?????????) h lib.eal.thread: { name = "lcore-1" }, { }');
    const b = at(cx, '[10:00:00.000000002] (+?.?????????) h lib.eal.thread: { name = "lcore-2" }, { }');
    expect(at(cx, '[10:00:00.000000003] (+?.?????????) h lib.eal.x: { name = "lcore-1" }, { }')).toBe(a);
    const evs = cx.b.take();
    expect([thread(evs, a), thread(evs, b)]).toEqual(['DPDK(1073938432)/lcore-1(1073938433)', 'DPDK(1073938432)/lcore-2(1073938434)']);
  });

  it('declares a process again when its main thread is renamed', () => {
    const cx = setup();
    cx.tasks.setPid(5, 5);
    cx.tasks.putProcess(5, { name: 'sh', ppid: 1 });
    cx.setComm(5, 'sh');
    expect(cx.b.take()).toEqual([]);
    cx.setComm(5, 'make');
    expect(cx.b.take()).toEqual([{ kind: 'process', pid: 5, ppid: 1, name: 'make', threads: [{ tid: 5, name: 'make' }] }]);
    cx.setComm(6, 'other'); // not a main thread of a known process
    expect(cx.b.take()).toEqual([]);
  });
});

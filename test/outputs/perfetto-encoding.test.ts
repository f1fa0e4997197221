/**
 * The Perfetto writer encodes packets by hand (src/outputs/perfetto/). These tests hold it to
 * the schema in proto/: its field numbers are the schema's, and on every sample of every input
 * (and on events made to reach the encoder's edges) its bytes decode to the same messages as
 * the bytes protobufjs's reflection encoder makes of the same packets (test/support/perfetto-reflection.ts),
 * and are in fact the same bytes.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inputs } from '../../src/inputs/registry.js';
import type { TraceEvent } from '../../src/model/events.js';
import { FIELDS } from '../../src/outputs/perfetto/fields.js';
import { perfetto, perfettoSchema } from '../../src/outputs/perfetto/index.js';
import type { OutputWriter } from '../../src/outputs/types.js';
import { readEvents } from '../../src/pipeline/read-events.js';
import { SAMPLES, samplesOf } from '../support/convert-helpers.js';
import { createReflectionWriter } from '../support/perfetto-reflection.js';

function runWriter(w: OutputWriter, events: TraceEvent[], batch: number): Buffer {
  const parts: Buffer[] = [];
  const add = (b: Uint8Array | string | null) => {
    if (b !== null) parts.push(Buffer.from(b as Uint8Array));
  };
  for (let i = 0; i < events.length; i += batch) add(w.push(events.slice(i, i + batch)));
  add(w.end());
  return Buffer.concat(parts);
}

const opts = { inputName: 'x', producer: 'tracebridge test', diagnostics: () => ({ 'a.b': 2 }) };

function decoded(bytes: Uint8Array): unknown[] {
  const Trace = perfettoSchema().lookupType('perfetto.protos.Trace');
  const obj = Trace.toObject(Trace.decode(bytes), { longs: String, bytes: String, defaults: false }) as { packet?: unknown[] };
  return obj.packet ?? [];
}

function compare(events: TraceEvent[], batch = 97) {
  // Both writers see the same event objects, one after the other.
  const mine = runWriter(perfetto.createWriter(opts), events, batch);
  const ref = runWriter(createReflectionWriter(opts), events, batch);
  expect(decoded(mine)).toEqual(decoded(ref));
  expect(mine.equals(ref)).toBe(true);
  return mine;
}

describe('field numbers', () => {
  it('are the schema’s', () => {
    const root = perfettoSchema();
    let checked = 0;
    for (const [message, fields] of Object.entries(FIELDS)) {
      const type = root.lookupType(`perfetto.protos.${message}`);
      for (const [name, id] of Object.entries(fields)) {
        expect(type.fields[name]?.id, `${message}.${name}`).toBe(id);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(95);
  });
});

describe('hand encoding equals reflection encoding', () => {
  for (const a of inputs) {
    for (const sample of samplesOf(a.name)) {
      it(`${a.name}/${sample}`, async () => {
        const { events } = await readEvents({ input: path.join(SAMPLES, a.name, sample), from: a.name });
        const bytes = compare(events);
        expect(bytes.length).toBeGreaterThan(0);
      });
    }
  }

  it('at the edges: long and non-ASCII text, negative and large numbers, repeats, counters, flows', () => {
    const long = 'x'.repeat(200);
    const huge = 'é'.repeat(9000);
    const events: TraceEvent[] = [
      { kind: 'info', format: 'test', clock: 'boot', notes: { kernel_release: '5.15.0', machine: 'aarch64' } },
      { kind: 'process', pid: 7, name: 'early', threads: [{ tid: 8, name: 'ëarly thread' }] },
      { kind: 'track', track: { kind: 'thread', id: 0, pid: -1, tid: 2 ** 31 - 1, name: huge, processName: long } },
      { kind: 'track', track: { kind: 'cpu', id: 1, cpu: 3, name: 'CPU 3 ∑' } },
      { kind: 'track', track: { kind: 'global', id: 5, name: '' } },
      { kind: 'begin', ts: 2 ** 53 - 1, track: 0, name: huge, cat: 'function', depth: 0, args: { neg: -5, big: 2 ** 40, f: 1.5, nan: NaN, t: true, s: long, u: 'ü' }, flowIds: [1, 2 ** 40], terminatingFlowIds: [3] },
      { kind: 'end', ts: 2 ** 53 - 1, track: 0, name: huge, cat: 'function', start: 0, depth: 0, selfNs: 0, args: { ret: -1 } },
      { kind: 'instant', ts: 5, track: 0, name: 'earlier', cat: 'marker' },
      { kind: 'instant', ts: 5, track: 5, name: 'lane', cat: 'marker', args: {} },
      { kind: 'counter', ts: 9, track: 1, name: 'freq', value: 1.25 },
      { kind: 'counter', ts: 10, track: 1, name: 'freq', value: -3 },
      { kind: 'sample', ts: 11, track: 5, frames: [{ name: 'a' }, { name: 'b', module: 'm', offset: '0x1/0x2', unreliable: true }], weight: 3, cpu: 1, pid: -1, tid: 4, reason: 'WARNING', title: 'WARNING: x', comm: 'ç', args: { k: 1 } },
      { kind: 'sample', ts: 12, track: 0, frames: [{ name: 'a' }], weight: 0 },
      { kind: 'sample', ts: 12, track: 0, frames: [{ name: 'a' }], weight: 1, profile: { event: 'cycles', period: 100, root: 'p' } },
      { kind: 'sample', ts: 13, track: 0, frames: [], weight: 1 },
      { kind: 'sched-switch', ts: 14, cpu: 0, prevTid: 1, prevComm: 'a', prevPrio: -1, prevState: 2 ** 40, nextTid: 0, nextComm: huge, nextPrio: 120 },
      { kind: 'sched-waking', ts: 15, cpu: 2, tid: 9, comm: 'w', prio: 100, targetCpu: 1 },
      { kind: 'sched-waking', ts: 15, cpu: 2, wakerTid: 3, tid: 9, comm: 'w', prio: 100, targetCpu: 1 },
      { kind: 'irq', phase: 'entry', ts: 16, cpu: 0, tid: 1, irq: -2 },
      { kind: 'irq', phase: 'exit', ts: 17, cpu: 0, tid: 1, irq: 5, ret: 0 },
      { kind: 'irq', phase: 'entry', ts: 16, cpu: 0, tid: 1, irq: 5, name: 'eth0' },
      { kind: 'softirq', phase: 'entry', ts: 18, cpu: 1, tid: 0, vec: 3 },
      { kind: 'softirq', phase: 'exit', ts: 19, cpu: 1, tid: 0, vec: 3 },
      { kind: 'process', pid: 2 ** 31 - 1, ppid: -1, name: long },
      // Raw syscalls become sys_enter/sys_exit ftrace events, argument words past 2^53 included.
      { kind: 'track', track: { kind: 'thread', id: 7, pid: 40, tid: 42, name: 'sys', processName: 'sys' } },
      { kind: 'begin', ts: 30, track: 7, name: 'read', cat: 'syscall', depth: 0, cpu: 1, syscall: { nr: 0, args: ['ffffffffffffffff', '3', '0'] } },
      { kind: 'begin', ts: 30, track: 7, name: 'inner', cat: 'function', depth: 1 },
      { kind: 'end', ts: 31, track: 7, name: 'inner', cat: 'function', start: 30, depth: 1, selfNs: 1 },
      { kind: 'end', ts: 32, track: 7, name: 'read', cat: 'syscall', start: 30, depth: 0, selfNs: 1, syscall: { nr: 0, ret: -11, cpu: 1 } },
      { kind: 'begin', ts: 33, track: 7, name: 'write', cat: 'syscall', depth: 0, syscall: { nr: 1, args: [] } },
      { kind: 'end', ts: 34, track: 7, name: 'write', cat: 'syscall', start: 33, depth: 0, selfNs: 1 },
    ];
    // Enough ftrace events to fill bundles, on several CPUs.
    for (let i = 0; i < 1500; i++) events.push({ kind: 'softirq', phase: i % 2 ? 'exit' : 'entry', ts: 20 + i, cpu: i % 3, tid: i, vec: i % 10 });
    const text = JSON.stringify(decoded(compare(events, 1)));
    expect(text).toContain('"sysEnter":{"id":"0","args":["18446744073709551615","3","0"]}');
    expect(text).toContain('"sysExit":{"id":"0","ret":"-11"}');
    compare(events, 7);
    compare(events, 100000);
  });
});

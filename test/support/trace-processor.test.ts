// Proves the trace-processor harness works, and that it can fail.

import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {encodeTrace, type ProtoObject, utf8} from './perfetto-proto.js';
import {ensureTraceProcessor, queryTrace, type TpResult} from './trace-processor.js';

const SLOW = 300_000;

const SLICES_SQL = `
  select s.name, s.ts, s.dur, s.depth, t.tid, t.name as thread_name, p.pid, p.name as process_name
  from slice s
  left join thread_track tt on s.track_id = tt.id
  left join thread t using (utid)
  left join process p using (upid)
  order by s.ts, s.depth`;

// Chrome JSON: two nested B/E slices on one thread (ts in µs).
function chromeJson(): string {
  const ev = (name: string, ph: string, ts: number): object => ({name, cat: 'test', ph, pid: 7, tid: 8, ts});
  return JSON.stringify({
    traceEvents: [
      {name: 'thread_name', ph: 'M', pid: 7, tid: 8, args: {name: 'json-thread'}},
      ev('outer', 'B', 100),
      ev('inner', 'B', 110),
      ev('inner', 'E', 125),
      ev('outer', 'E', 160),
    ],
  });
}

const SEQ = 1;
const PROC_UUID = 1001;
const THREAD_UUID = 1002;
const CLEARED = 1; // TracePacket.SequenceFlags.SEQ_INCREMENTAL_STATE_CLEARED
const NEEDS = 2; // TracePacket.SequenceFlags.SEQ_NEEDS_INCREMENTAL_STATE
const BEGIN = 1; // TrackEvent.Type.TYPE_SLICE_BEGIN
const END = 2; // TrackEvent.Type.TYPE_SLICE_END

// Perfetto protobuf, following docs/perfetto.md §0.2 / §1.2: the first
// packet of the sequence carries CLEARED, packets that use interned names
// carry NEEDS, END events carry no name. Timestamps in ns.
function perfettoPackets(withCleared: boolean): ProtoObject[] {
  return [
    {
      timestamp: 999_999, trusted_packet_sequence_id: SEQ,
      ...(withCleared ? {sequence_flags: CLEARED} : {}),
      track_descriptor: {uuid: PROC_UUID, process: {pid: 42, process_name: 'demo-process'}},
    },
    {
      timestamp: 999_999, trusted_packet_sequence_id: SEQ,
      track_descriptor: {
        uuid: THREAD_UUID, parent_uuid: PROC_UUID,
        thread: {pid: 42, tid: 43, thread_name: 'demo-thread'},
      },
    },
    {
      timestamp: 1_000_000, trusted_packet_sequence_id: SEQ, sequence_flags: NEEDS,
      interned_data: {event_names: [{iid: 1, name: 'outer'}, {iid: 2, name: 'inner'}]},
      track_event: {type: BEGIN, track_uuid: THREAD_UUID, name_iid: 1, categories: ['test']},
    },
    {
      timestamp: 1_000_250, trusted_packet_sequence_id: SEQ, sequence_flags: NEEDS,
      track_event: {
        type: BEGIN, track_uuid: THREAD_UUID, name_iid: 2,
        debug_annotations: [{name: 'bytes', uint_value: 4096}],
      },
    },
    {timestamp: 1_000_750, trusted_packet_sequence_id: SEQ, track_event: {type: END, track_uuid: THREAD_UUID}},
    {timestamp: 1_002_000, trusted_packet_sequence_id: SEQ, track_event: {type: END, track_uuid: THREAD_UUID}},
  ];
}

function expectClean(r: TpResult): void {
  expect(r.error).toBeUndefined();
  expect(r.ok).toBe(true);
  expect(r.importErrors).toEqual([]);
  expect(r.infoDrops).toEqual([]);
}

describe.concurrent('Perfetto trace processor harness', () => {
  let dir = '';

  beforeAll(async () => {
    await ensureTraceProcessor();
    dir = await mkdtemp(path.join(os.tmpdir(), 'tracebridge-tp-test-'));
  }, SLOW);

  afterAll(async () => {
    if (dir) await rm(dir, {recursive: true, force: true});
  });

  it('imports a Chrome JSON trace with nested slices', async () => {
    const file = path.join(dir, 'nested.json');
    await writeFile(file, chromeJson());
    const r = await queryTrace(file, [SLICES_SQL, 'select count(*) as n from slice']);
    expectClean(r);
    expect(r.traceType).toBe('json');
    expect(r.rows[1]).toEqual([{n: 2}]);
    expect(r.rows[0]).toEqual([
      {name: 'outer', ts: 100_000, dur: 60_000, depth: 0, tid: 8, thread_name: 'json-thread', pid: 7, process_name: null},
      {name: 'inner', ts: 110_000, dur: 15_000, depth: 1, tid: 8, thread_name: 'json-thread', pid: 7, process_name: null},
    ]);
  }, SLOW);

  it('imports a Perfetto protobuf trace with interned names', async () => {
    const bytes = encodeTrace(perfettoPackets(true));
    expect(bytes[0]).toBe(0x0a);
    const r = await queryTrace(bytes, [
      SLICES_SQL,
      `select a.key, a.int_value from slice s join args a using (arg_set_id)
         where s.name = 'inner' and a.key = 'debug.bytes'`,
      `select category from slice where name = 'outer'`,
    ]);
    expectClean(r);
    expect(r.traceType).toBe('proto');
    expect(r.rows[0]).toEqual([
      {name: 'outer', ts: 1_000_000, dur: 2_000, depth: 0, tid: 43, thread_name: 'demo-thread', pid: 42, process_name: 'demo-process'},
      {name: 'inner', ts: 1_000_250, dur: 500, depth: 1, tid: 43, thread_name: 'demo-thread', pid: 42, process_name: 'demo-process'},
    ]);
    expect(r.rows[1]).toEqual([{key: 'debug.bytes', int_value: 4096}]);
    expect(r.rows[2]).toEqual([{category: 'test'}]);
  }, SLOW);

  it('reports silently dropped packets (NEEDS_INCREMENTAL_STATE before any CLEARED)', async () => {
    const r = await queryTrace(encodeTrace(perfettoPackets(false)), ['select count(*) as n from slice']);
    expect(r.ok).toBe(true);
    expect(r.rows[0]).toEqual([{n: 0}]);
    const names = r.infoDrops.map((s) => s.name);
    expect(names).toContain('packet_skipped_seq_needs_incremental_state_invalid');
    expect(names).toContain('interned_data_skipped_incremental_state_invalid');
    const skipped = r.infoDrops.find((s) => s.name === 'packet_skipped_seq_needs_incremental_state_invalid');
    expect(skipped?.value).toBe(2);
    expect(skipped?.severity).toBe('info');
  }, SLOW);

  it('reports rejected traces and failing SQL', async () => {
    const [rejected, badSql] = await Promise.all([
      queryTrace(new TextEncoder().encode('[]'), ['select 1']),
      queryTrace(encodeTrace(perfettoPackets(true)), ['select no_such_column from slice', 'select 1 as one']),
    ]);
    expect(rejected.ok).toBe(false);
    expect(rejected.error).toMatch(/Unknown trace type/);
    expect(rejected.traceType).toBeNull();

    expect(badSql.ok).toBe(false);
    expect(badSql.error).toMatch(/no such column/);
    expect(badSql.queryErrors[0]).toMatch(/no such column/);
    expect(badSql.queryErrors[1]).toBeNull();
    expect(badSql.rows[1]).toEqual([{one: 1}]);
  }, SLOW);

  it('turns a hung or crashed engine into an error instead of hanging the test', async () => {
    const r = await queryTrace(encodeTrace(perfettoPackets(true)), ['select 1'], {timeoutMs: 1});
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/timed out/);
    expect(r.queryErrors).toHaveLength(1);
  }, SLOW);

  it('shows each trace alone when one engine serves several in turn, also after a rejected one and a time-out', async () => {
    const file = path.join(dir, 'alone.json');
    await writeFile(file, chromeJson());
    const sql = ['select count(*) as n from slice', 'select count(*) as n from thread', 'select name from slice order by ts'];
    const first = await queryTrace(file, sql);
    const proto = await queryTrace(encodeTrace(perfettoPackets(true)), sql);
    const rejected = await queryTrace(new TextEncoder().encode('[]'), sql);
    const timedOut = await queryTrace(file, sql, {timeoutMs: 1});
    const again = await queryTrace(file, sql);
    expectClean(first);
    expectClean(again);
    expect(proto.rows[0]).toEqual([{n: 2}]);
    expect(rejected.ok).toBe(false);
    expect(timedOut.ok).toBe(false);
    // No slice, thread or stat of the traces in between is left behind.
    expect(again.rows).toEqual(first.rows);
    // Stats that time the engine's own steps (`*_duration_ns`) differ from run to run.
    const lasting = (r: TpResult) => r.stats.filter((st) => !st.name.endsWith('_duration_ns'));
    expect(lasting(again)).toEqual(lasting(first));
    expect(again.traceType).toBe('json');
  }, SLOW);

  it('keeps bytes fields as given (InternedString.str must be a Uint8Array)', () => {
    // Guard for a protobufjs trap: a JS string given for a `bytes` field is
    // base64-decoded, not UTF-8 encoded.
    const good = encodeTrace([{interned_data: {kernel_symbols: [{iid: 1, str: utf8('vfs_read')}]}}]);
    expect(Buffer.from(good).includes(Buffer.from('vfs_read'))).toBe(true);
    expect(() => encodeTrace([{track_event: {nmae: 'typo'}}])).toThrow(/no field "nmae"/);
  });
});

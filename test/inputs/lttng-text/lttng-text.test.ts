import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lttngText } from '../../../src/inputs/lttng-text/index.js';
import { PENDING_LIMIT } from '../../../src/inputs/lttng-text/interpret.js';
import { PrevStateMapper, STATE } from '../../../src/inputs/lttng-text/task-state.js';
import { type LttngRecord, tokenize } from '../../../src/inputs/lttng-text/tokenize.js';
import { addArg, EnumValue, type Fields, intOf, ValueReader } from '../../../src/inputs/lttng-text/values.js';
import type { Diagnostic } from '../../../src/model/diagnostics.js';
import { DiagnosticCollector } from '../../../src/model/diagnostics.js';
import type { Args, TraceEvent, TraceInfo } from '../../../src/model/events.js';
import { SAMPLES, samplesOf } from '../../support/convert-helpers.js';

const fields = (s: string): Fields => {
  const r = new ValueReader(s);
  const v = r.struct();
  expect(r.error).toBeUndefined();
  return v as Fields;
};
const rec = (line: string) => {
  const r = tokenize(line, 1);
  expect('line' in r, JSON.stringify(r)).toBe(true);
  return r as LttngRecord;
};

function parse(text: string): { events: TraceEvent[]; diags: Diagnostic[] } {
  const diags: Diagnostic[] = [];
  const c = new DiagnosticCollector('t', (d) => diags.push(d));
  const p = lttngText.createParser({ file: 't', report: c.report, options: {} });
  const ls = text.replace(/^\n/, '').split('\n');
  const events = [...p.push(ls, 1), ...p.end()];
  return { events, diags };
}
const of = <K extends TraceEvent['kind']>(evs: TraceEvent[], kind: K) => evs.filter((e): e is Extract<TraceEvent, { kind: K }> => e.kind === kind);
const codes = (d: Diagnostic[]) => d.map((x) => x.code);
/** Track id → name, from the track events. */
const trackNames = (evs: TraceEvent[]) => {
  const m = new Map<number, string>();
  for (const e of of(evs, 'track')) m.set(e.track.id, e.track.kind === 'thread' ? `${e.track.name}:${e.track.tid}` : e.track.name);
  return m;
};

describe('lttng-text field values', () => {
  it('reads structures, arrays, sequences and nested structures', () => {
    expect(fields('{ a = 1, b = -20, c = [ [0] = 1, [1] = 2 ], d = { e = { f = "x" } }, g = { } }')).toEqual({
      a: 1,
      b: -20,
      c: [1, 2],
      d: { e: { f: 'x' } },
      g: {},
    });
    expect(fields('{ }')).toEqual({});
    expect(fields('{ arr = [ 1, 2, 3 ] }')).toEqual({ arr: [1, 2, 3] });
  });
  it('keeps hex, octal and binary integers as text and knows their value', () => {
    const f = fields('{ h = 0x1F, o = 0755, z = 0, b = 0b101, big = 18446744073709551615 }');
    expect(f).toEqual({ h: '0x1F', o: '0755', z: 0, b: '0b101', big: '18446744073709551615' });
    expect([intOf(f.h), intOf(f.o), intOf(f.b)]).toEqual([31, 493, 5]);
  });
  it('reads reals, booleans, variants, options and enumerations', () => {
    const f = fields(
      '{ r = 0.25, e = 1e+21, n = -inf, t = true, v = { 42 }, vs = { { x = 1 } }, o = <none>, en = ( "RUNNING" : container = 1 ), fl = ( "A", "B" : container = 3 ), u = ( <unknown> : container = 9 ) }',
    );
    expect(f.r).toBe(0.25);
    expect(f.e).toBe(1e21);
    expect(f.n).toBe('-inf'); // text: JSON has no infinities
    expect(f.t).toBe(true);
    expect(f.v).toBe(42);
    expect(f.vs).toEqual({ x: 1 });
    expect(f.o).toBeNull();
    expect(f.en).toEqual(new EnumValue(['RUNNING'], 1));
    expect(f.fl).toEqual(new EnumValue(['A', 'B'], 3));
    expect(f.u).toEqual(new EnumValue([], 9));
    expect(intOf(f.u)).toBe(9);
  });
  it('unescapes babeltrace2 strings and keeps babeltrace 1 raw backslashes', () => {
    expect(fields(String.raw`{ s = "a\nb \"q\" \\ \t\x01\?" }`).s).toBe('a\nb "q" \\ \t\x01?');
    // babeltrace 1 prints `\*` (a backslash and a star) as is; babeltrace2 prints `\\*`.
    expect(fields(String.raw`{ s = "\*" }`).s).toBe('\\*');
    expect(fields(String.raw`{ s = "\\*" }`).s).toBe('\\*');
    // A babeltrace 1 string ending in a backslash: the last quote closes it.
    expect(fields(String.raw`{ p = "C:\dir\", n = 1 }`)).toEqual({ p: 'C:\\dir\\', n: 1 });
    // Commas and braces inside strings are text.
    expect(fields('{ s = "a, b = { c }", t = 2 }')).toEqual({ s: 'a, b = { c }', t: 2 });
  });
  it('reports unreadable field text and keeps what came before', () => {
    const r = new ValueReader('{ a = 1, b = "open }');
    const v = r.struct() as Fields;
    expect(r.error).toMatch(/unterminated string/);
    expect(v.a).toBe(1);
  });
  it('flattens structures into dotted args, arrays into one cell, enumerations into their label', () => {
    const out: Args = {};
    addArg(out, 'ctx', fields('{ d = { bin = "x", n = [ 1, 2 ] }, e = ( "A" : container = 1 ), u = ( <unknown> : container = 7 ), o = <none> }'));
    expect(out).toEqual({ 'ctx.d.bin': 'x', 'ctx.d.n': '[1, 2]', 'ctx.e': 'A', 'ctx.u': 7, 'ctx.o': '<none>' });
  });
  it('round-trips any string babeltrace2 prints (property)', () => {
    const esc = (s: string) =>
      s.replace(/[\\'"?\x00-\x1f\x7f]/g, (c) => {
        const named: Record<string, string> = { '\\': '\\\\', "'": "\\'", '"': '\\"', '?': '\\?', '\0': '\\0', '\n': '\\n', '\t': '\\t', '\r': '\\r' };
        return named[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
      });
    fc.assert(
      fc.property(fc.string(), fc.integer(), (s, n) => {
        const f = fields(`{ s = "${esc(s)}", n = ${n} }`);
        expect(f).toEqual({ s, n });
      }),
    );
  });
});

describe('lttng-text tokenizer', () => {
  it('reads every timestamp form', () => {
    expect(rec('[21:41:12.250167676] (+?.?????????) qemu0 irq_handler_exit: { cpu_id = 0 }, { irq = 23, ret = 1 }')).toMatchObject({
      tsKind: 'tod',
      sec: 21 * 3600 + 41 * 60 + 12,
      nsec: 250_167_676,
      name: 'irq_handler_exit',
      host: 'qemu0',
      ctx: { cpu_id: 0 },
      payload: { irq: 23, ret: 1 },
    });
    expect(rec('[2014-11-30 21:41:12.250167676] (+0.000659911) qemu0 x: { cpu_id = 0 }, { }')).toMatchObject({
      tsKind: 'date',
      sec: Date.UTC(2014, 10, 30, 21, 41, 12) / 1000,
      nsec: 250_167_676,
    });
    expect(rec('[1417383672.250167676] (+0.000659911) qemu0 x: { cpu_id = 0 }, { }')).toMatchObject({ tsKind: 'seconds', sec: 1417383672, nsec: 250_167_676 });
    expect(rec('[-1.250000000] x: { }')).toMatchObject({ tsKind: 'seconds', sec: -2, nsec: 750_000_000 });
    expect(rec('[00000000195250164156] (+????????????) qemu0 x: { cpu_id = 0 }, { }')).toMatchObject({ tsKind: 'cycles', sec: 195, nsec: 250_164_156, printer: 2 });
    expect(rec('[00000000195250824067] (+0.000659911) qemu0 x: { cpu_id = 0 }, { }')).toMatchObject({ tsKind: 'cycles', sec: 195 });
    expect(rec('[21:41:12.250167676] qemu0 irq_handler_entry: { cpu_id = 0 }, { irq = 23 }')).toMatchObject({ tsKind: 'tod', name: 'irq_handler_entry' });
  });
  it('reads hostnames, process names and vpids of both printers, and lines without a hostname', () => {
    expect(rec('[17:48:17.586558519] (+?.?????????) wk-heartbeat:(3208) heartbeat:msg: { cpu_id = 2 }, { vtid = 3214, vpid = 3208 }, { msg = "heartbeat" }')).toMatchObject({
      procname: 'wk-heartbeat',
      vpid: 3208,
      printer: 2,
      name: 'heartbeat:msg',
      ctx: { cpu_id: 2, vtid: 3214, vpid: 3208 },
      payload: { msg: 'heartbeat' },
    });
    const bt1 = rec('[19:57:48.350556749] (+?.?????????) smarchi-efficios:hello-ust:10352 lttng_ust_statedump:start: { cpu_id = 2 }, { }');
    expect(bt1).toMatchObject({ host: 'smarchi-efficios', procname: 'hello-ust', vpid: 10352, printer: 1 });
    const fall = rec(
      '[19:57:48.350556749] (+?.?????????) succeed/session-rotation/a/1/ust/pid/10352 smarchi-efficios:ust:hello-ust:10352:TRACE_DEBUG_LINE (13) lttng_ust_statedump:start: { cpu_id = 2 }, { }',
    );
    expect(fall).toMatchObject({ host: 'smarchi-efficios', domain: 'ust', procname: 'hello-ust', vpid: 10352, name: 'lttng_ust_statedump:start' });
    expect(rec('[21:41:12.250167676] (+?.?????????) flipping-endianness qemu0:kernel irq_handler_entry: { cpu_id = 0 }, { irq = 23 }')).toMatchObject({
      host: 'qemu0',
      domain: 'kernel',
    });
    const none = rec('[14:03:17.101237211] (+?.?????????) sched:sched_switch: { cpu_id = 1 }, { prev_pid = 0 }');
    expect(none.host).toBeUndefined();
    expect(none.name).toBe('sched:sched_switch');
  });
  it('reads --names=all lines, with all fields', () => {
    const r = rec(
      'timestamp = 1795294147.860351528, delta = +0.000005796, trace = vm/ust/uid/0/64-bit, , trace:hostname = vm, trace:domain = ust, loglevel = TRACE_DEBUG_LINE (13), name = lttng_ust_statedump:procname, stream.packet.context = { cpu_id = 0 }, stream.event.context = { vpid = 18413, vtid = 18414 }, event.fields = { procname = "workload-fi" }',
    );
    expect(r).toMatchObject({
      tsKind: 'seconds',
      sec: 1795294147,
      host: 'vm',
      domain: 'ust',
      name: 'lttng_ust_statedump:procname',
      ctx: { cpu_id: 0, vpid: 18413, vtid: 18414 },
      payload: { procname: 'workload-fi' },
      printer: 2,
    });
    expect(rec('timestamp = 19:57:48.350556750, delta = +?.?????????, trace:hostname = h, trace:procname = p, trace:vpid = (10352), name = a:b, stream.packet.context = { cpu_id = 2 }, event.fields = { }')).toMatchObject({
      procname: 'p',
      vpid: 10352,
      payload: {},
    });
  });
  it('tells blank lines, discarded-event warnings and other text apart', () => {
    expect(tokenize('', 1)).toEqual({ kind: 'blank' });
    expect(tokenize('   \r', 1)).toEqual({ kind: 'blank' });
    expect(tokenize('\x1b[1m\x1b[33mWARNING\x1b[0m: Tracer discarded 5 events between [a] and [b] in trace "t"', 1)).toMatchObject({ kind: 'discarded', count: 5, what: 'events' });
    expect(tokenize('[warning] Tracer lost 3 trace packets between [..]', 1)).toMatchObject({ kind: 'discarded', count: 3, what: 'packets' });
    expect(tokenize('Trace class:', 1)).toMatchObject({ kind: 'unparsed' });
    expect(tokenize('[    0.000000] Linux version 6.1.0', 1)).toMatchObject({ kind: 'unparsed' });
  });
  it('keeps what it read of a damaged line and says why', () => {
    const r = rec('[12:00:00.000960000] (+0.000160000) demo irq_handler_entry: { cpu_id = 0 }, { irq = 10, name = "eth0 }');
    expect(r.malformed).toMatch(/unterminated string/);
    expect(r.payload.irq).toBe(10);
  });
});

describe('prev_state mapping', () => {
  it('maps the report layout as it is', () => {
    const m = new PrevStateMapper();
    expect([0, 1, 2, 4, 8, 16, 32, 64, 128, 256].map((v) => m.map(v, false))).toEqual([0, 1, 2, 4, 8, 16, 32, 64, 128, 256]);
  });
  it('maps raw states of kernels before 4.14', () => {
    const m = new PrevStateMapper();
    expect(m.map(1024, false)).toBe(STATE.Rplus); // < 4.2: TASK_STATE_MAX = preempted
    expect(m.layout).toBe('pre-4.14');
    expect(m.map(130, false)).toBe(STATE.D); // TASK_KILLABLE
    expect(m.map(64, false)).toBe(STATE.X); // TASK_DEAD
    expect(m.map(2048, false)).toBe(STATE.Rplus); // 4.2 – 4.10 preempted
    expect(m.map(1026, false)).toBe(STATE.I); // TASK_IDLE
    expect(m.map(4096, false)).toBe(STATE.Rplus); // 4.11+ preempted
  });
  it('maps the raw 4.14 layout (lttng-modules 2.10)', () => {
    const m = new PrevStateMapper();
    expect(m.map(258, false)).toBe(STATE.D);
    expect(m.layout).toBe('4.14-raw');
    expect(m.map(128, false)).toBe(STATE.X);
    expect(m.map(64, false)).toBe(STATE.P);
  });
  it('a task past sched_process_exit is dead whatever the number', () => {
    const m = new PrevStateMapper();
    expect(m.map(64, true)).toBe(STATE.X);
    expect(m.map(128, true)).toBe(STATE.X);
    expect(m.map(64, false)).toBe(STATE.P);
  });
});

describe('lttng-text meaning', () => {
  it('gives events before a CPU first switch to the task that switch takes off the CPU', () => {
    const { events, diags } = parse(`
[10:00:00.000000100] (+?.?????????) h syscall_entry_read: { cpu_id = 1 }, { fd = 3, count = 10 }
[10:00:00.000000200] (+0.000000100) h irq_handler_entry: { cpu_id = 1 }, { irq = 5, name = "eth0" }
[10:00:00.000000300] (+0.000000100) h irq_handler_exit: { cpu_id = 1 }, { irq = 5, ret = 1 }
[10:00:00.000000400] (+0.000000100) h syscall_exit_read: { cpu_id = 1 }, { ret = 10, buf = 1 }
[10:00:00.000000500] (+0.000000100) h sched_switch: { cpu_id = 1 }, { prev_comm = "app", prev_tid = 77, prev_prio = 20, prev_state = 1, next_comm = "swapper/1", next_tid = 0, next_prio = 20 }
`);
    expect(codes(diags)).toEqual([]);
    const names = trackNames(events);
    const read = of(events, 'end').find((e) => e.name === 'read')!;
    expect(names.get(read.track)).toBe('app:77');
    expect(read.ts - read.start).toBe(300);
    const irq = of(events, 'irq');
    expect(irq.map((e) => [e.phase, e.tid])).toEqual([
      ['entry', 77],
      ['exit', 77],
    ]);
    const sw = of(events, 'sched-switch')[0]!;
    expect(sw).toMatchObject({ cpu: 1, prevTid: 77, prevPrio: 120, prevState: STATE.S, nextTid: 0, nextPrio: 120 });
  });
  it('follows a syscall that blocks on one CPU and returns on another', () => {
    const { events } = parse(`
[10:00:00.000000100] (+?.?????????) h sched_switch: { cpu_id = 0 }, { prev_comm = "swapper/0", prev_tid = 0, prev_prio = 20, prev_state = 0, next_comm = "db", next_tid = 9, next_prio = 20 }
[10:00:00.000000200] (+0.000000100) h syscall_entry_fsync: { cpu_id = 0 }, { fd = 3 }
[10:00:00.000000300] (+0.000000100) h sched_switch: { cpu_id = 0 }, { prev_comm = "db", prev_tid = 9, prev_prio = 20, prev_state = 2, next_comm = "swapper/0", next_tid = 0, next_prio = 20 }
[10:00:00.000000400] (+0.000000100) h sched_waking: { cpu_id = 1 }, { comm = "db", tid = 9, prio = 20, target_cpu = 1 }
[10:00:00.000000500] (+0.000000100) h sched_switch: { cpu_id = 1 }, { prev_comm = "swapper/1", prev_tid = 0, prev_prio = 20, prev_state = 0, next_comm = "db", next_tid = 9, next_prio = 20 }
[10:00:00.000000600] (+0.000000100) h syscall_exit_fsync: { cpu_id = 1 }, { ret = 0 }
`);
    const fsync = of(events, 'end').find((e) => e.name === 'fsync')!;
    expect([fsync.start, fsync.ts]).toEqual([200, 600]);
    expect(of(events, 'sched-waking')[0]).toMatchObject({ cpu: 1, tid: 9, prio: 120, targetCpu: 1, wakerTid: 0 });
  });
  it('counts days when the time of day passes midnight', () => {
    const { events, diags } = parse(`
[23:59:59.999999900] (+?.?????????) h a: { cpu_id = 0 }, { tid = 1 }
[00:00:00.000000100] (+0.000000200) h b: { cpu_id = 0 }, { tid = 1 }
`);
    const ts = of(events, 'instant').map((e) => e.ts);
    expect(ts[1]! - ts[0]!).toBe(200);
    expect(codes(diags)).toContain('lttng-text.day-rollover');
    const info = events.find((e): e is TraceInfo => e.kind === 'info')!;
    expect(info).toMatchObject({ clock: 'absolute', clockOriginNs: String((23 * 3600 + 59 * 60 + 59) * 1e9) });
  });
  it('rebases epoch clocks below 2^53 and records the origin', () => {
    const { events } = parse(`
[1795294147.860345732] (+?.?????????) vm a:b: { cpu_id = 0 }, { vpid = 5, vtid = 5 }, { }
[1795294148.000000001] (+0.139654269) vm a:b: { cpu_id = 0 }, { vpid = 5, vtid = 5 }, { }
`);
    expect(of(events, 'instant').map((e) => e.ts)).toEqual([860_345_732, 1_000_000_001]);
    expect(events.find((e): e is TraceInfo => e.kind === 'info')!.clockOriginNs).toBe('1795294147000000000');
  });
  it('makes sched_wakeup a wake-up only when the trace has no sched_waking', () => {
    const line = (ev: string) => `[10:00:00.000000100] (+?.?????????) h ${ev}: { cpu_id = 0 }, { comm = "x", tid = 5, prio = 20, target_cpu = 0 }`;
    expect(of(parse(line('sched_wakeup')).events, 'sched-waking')).toHaveLength(1);
    const both = parse(`${line('sched_waking')}\n${line('sched_wakeup')}`).events;
    expect(of(both, 'sched-waking')).toHaveLength(1);
    expect(of(both, 'instant').map((e) => e.name)).toEqual(['sched_wakeup']);
  });
  it('synthesises a switch when events were lost between two switches of a CPU', () => {
    const { events, diags } = parse(`
[10:00:00.000000100] (+?.?????????) h sched_switch: { cpu_id = 0 }, { prev_comm = "swapper/0", prev_tid = 0, prev_prio = 20, prev_state = 0, next_comm = "a", next_tid = 1, next_prio = 20 }
[10:00:00.000000200] (+0.000000100) h sched_switch: { cpu_id = 0 }, { prev_comm = "b", prev_tid = 2, prev_prio = 20, prev_state = 1, next_comm = "swapper/0", next_tid = 0, next_prio = 20 }
`);
    expect(of(events, 'sched-switch').map((e) => `${e.prevTid}>${e.nextTid}`)).toEqual(['0>1', '1>2', '2>0']);
    expect(codes(diags)).toEqual(['lttng-text.sched-mismatch']);
  });
  it('handles clone returning in the child, exec renaming, and exit_group ending with the task', () => {
    const { events, diags } = parse(fs.readFileSync(path.join(SAMPLES, 'lttng-text', 'handmade-kernel-midnight-block-timers-ipi.txt'), 'utf8'));
    expect(codes(diags)).toEqual(['lttng-text.day-rollover']);
    const names = trackNames(events);
    const sys = of(events, 'end').filter((e) => e.cat === 'syscall');
    expect(sys.map((e) => `${names.get(e.track)} ${e.name}`)).toEqual(['dd:4810 write', 'dd:4810 clone', 'sync:4811 execve', 'sync:4811 exit_group']);
    expect(of(events, 'instant').filter((e) => e.cat === 'syscall').map((e) => e.name)).toEqual(['clone (child returns)']);
    const procs = of(events, 'process');
    expect(procs.map((p) => `${p.pid}:${p.name}`)).toEqual(['4811:dd', '4811:sync']);
    // Two requests in flight on one disk: two lanes, each from issue to completion.
    const io = of(events, 'end').filter((e) => e.cat === 'io');
    expect(io.map((e) => [names.get(e.track), e.name, e.ts - e.start])).toEqual([
      ['block 8,0', 'W', 8400],
      ['block 8,0 #2', 'WS', 36000],
    ]);
    // Timers and interrupt vectors are slices on their CPU.
    expect(of(events, 'end').filter((e) => e.cat === 'timer' || e.cat === 'irq').map((e) => `${names.get(e.track)} ${e.name}`)).toEqual([
      'CPU 0 vectors call_function_single',
      'CPU 1 timers hrtimer 0xFFFFFFFF810F2A30',
      'CPU 1 vectors local_timer',
      'CPU 0 timers timer 0xFFFFFFFF81098C30',
      'CPU 1 vectors reschedule',
    ]);
    expect(of(events, 'sched-switch').at(-1)).toMatchObject({ prevTid: 4811, prevState: STATE.Z });
  });
  it('nests cyg_profile functions per thread, named by debug_info when babeltrace resolved them', () => {
    const { events, diags } = parse(fs.readFileSync(path.join(SAMPLES, 'lttng-text', 'handmade-ust-debug-info-variants-escapes.txt'), 'utf8'));
    expect(codes(diags)).toEqual([]);
    const names = trackNames(events);
    expect(of(events, 'end').map((e) => `${names.get(e.track)} ${e.depth} ${e.name}`)).toEqual([
      'func-entry-exit:12179 1 compute',
      'worker:12180 0 0x5580C8C63300',
      'func-entry-exit:12179 0 main',
    ]);
    const state = of(events, 'instant').find((e) => e.name === 'my_app:state')!;
    expect(state.args).toMatchObject({
      ok: true,
      ratio: 0.25,
      kind: 'RUNNING',
      flags: 'A|B',
      unknown: 9,
      choice: 42,
      opt: '<none>',
      'nested.inner.x': -5,
      perms: '0755',
      msg: 'line\nnext "quoted"\ttab \\ and \x01',
      'debug_info.func': 'compute+0x61',
      vtid: 12179,
    });
  });
  it('closes functions whose exits were lost, and cyg_profile_fast exits without an address', () => {
    const l = (ev: string, f: string) => `[10:00:00.000000100] (+?.?????????) h lttng_ust_cyg_profile${ev}: { cpu_id = 0 }, { vpid = 1, vtid = 1 }, { ${f} }`;
    const { events, diags } = parse(
      [l(':func_entry', 'addr = 0xA, call_site = 0x1'), l(':func_entry', 'addr = 0xB, call_site = 0x1'), l(':func_exit', 'addr = 0xA, call_site = 0x1'), l('_fast:func_entry', 'addr = 0xC'), l('_fast:func_exit', '')].join('\n'),
    );
    expect(of(events, 'end').map((e) => `${e.name}@${e.depth}`)).toEqual(['0xB@1', '0xA@0', '0xC@0']);
    expect(codes(diags)).toEqual(['lttng-text.lost-exit']);
  });
  it('reads perf-converted CTF: kernel prio, perf_tid threads, ftrace field names', () => {
    const { events, diags } = parse(fs.readFileSync(path.join(SAMPLES, 'lttng-text', 'handmade-perf-ctf-sched-syscalls.txt'), 'utf8'));
    expect(codes(diags)).toEqual([]);
    const names = trackNames(events);
    expect(of(events, 'sched-switch')[0]).toMatchObject({ prevTid: 0, nextTid: 5520, nextPrio: 120 });
    expect(of(events, 'sched-switch').at(-1)).toMatchObject({ prevTid: 5521, prevComm: 'ls', prevState: STATE.Rplus });
    expect(of(events, 'sched-waking')[0]).toMatchObject({ tid: 5521, wakerTid: 5520, prio: 120 });
    expect(of(events, 'end').map((e) => `${names.get(e.track)} ${e.name}`)).toEqual(['bash:5520 sys_0', 'bash:5520 openat']);
    expect(of(events, 'softirq').map((e) => e.vec)).toEqual([4, 4]);
  });
  it('reads DPDK traces: hex CPU ids, threads named by the packet context', () => {
    const { events, diags } = parse(fs.readFileSync(path.join(SAMPLES, 'lttng-text', 'handmade-dpdk-eal-ethdev.txt'), 'utf8'));
    expect(codes(diags)).toEqual([]);
    const names = trackNames(events);
    expect(of(events, 'instant').map((e) => `${names.get(e.track)?.split(':')[0]} ${e.name}`)).toEqual([
      'dpdk-testpmd lib.eal.generic.str',
      'dpdk-testpmd lib.eal.thread.remote.launch',
      'dpdk-testpmd lib.ethdev.rxq.setup',
      'dpdk-worker3 lib.eal.generic.u64',
      'dpdk-worker3 lib.eal.generic.float',
      'dpdk-testpmd lib.ethdev.start',
    ]);
  });
  it('counts what is not babeltrace output, and keeps discarded-event warnings as markers', () => {
    const { events, diags } = parse(fs.readFileSync(path.join(SAMPLES, 'lttng-text', 'handmade-discarded-warnings-and-noise.txt'), 'utf8'));
    expect(diags.map((d) => `${d.line} ${d.code}`).sort()).toEqual(
      ['1 lttng-text.unparsed-line', '10 lttng-text.unparsed-line', '3 lttng-text.unclosed-entry', '4 lttng-text.discarded-events', '5 lttng-text.sched-mismatch', '6 lttng-text.discarded-events', '7 lttng-text.malformed-fields'].sort(),
    );
    expect(of(events, 'instant').filter((e) => e.name === 'events discarded').map((e) => e.args?.count)).toEqual([137, 12]);
  });
  it('holds at most a bounded number of events waiting for a first sched_switch', () => {
    const lines: string[] = [];
    for (let k = 0; k <= PENDING_LIMIT; k++) lines.push(`[10:00:00.${String(k).padStart(9, '0')}] (+0.000000001) h some_event: { cpu_id = 0 }, { n = ${k} }`);
    const { events, diags } = parse(lines.join('\n'));
    expect(codes(diags)).toContain('lttng-text.pending-overflow');
    expect(of(events, 'instant')).toHaveLength(PENDING_LIMIT + 1);
    const names = trackNames(events);
    expect(new Set(of(events, 'instant').map((e) => names.get(e.track)))).toEqual(new Set(['CPU 0:1073741824']));
  });
});

describe('lttng-text sniffing', () => {
  it('claims every lttng-text sample', () => {
    for (const s of samplesOf('lttng-text')) expect(lttngText.sniff(fs.readFileSync(path.join(SAMPLES, 'lttng-text', s), 'utf8')), s).toBe('yes');
  });
  it('does not claim function_graph or dmesg text', () => {
    for (const s of samplesOf('function-graph')) expect(lttngText.sniff(fs.readFileSync(path.join(SAMPLES, 'function-graph', s), 'utf8')), s).toBe('no');
    for (const s of samplesOf('dmesg')) expect(lttngText.sniff(fs.readFileSync(path.join(SAMPLES, 'dmesg', s), 'utf8')), s).toBe('no');
    expect(lttngText.sniff('[    0.000000] Linux version 6.1.0 (gcc)\n[    1.234567] usb 1-1: new device\n')).toBe('no');
    expect(lttngText.sniff('   <idle>-0     [001] d..2  1234.567890: sched_switch: prev_comm=swapper/1 prev_pid=0\n')).toBe('no');
  });
});

describe('lttng-text block requests', () => {
  it('gives each request in flight a lane, and bounds the lanes when completions are lost', () => {
    const issue = (k: number) =>
      `[10:00:00.${String(k).padStart(9, '0')}] (+0.000000001) h block_rq_issue: { cpu_id = 0 }, { dev = 8388608, sector = ${k * 8}, nr_sector = 8, bytes = 4096, tid = 5, rwbs = 4, comm = "x" }`;
    const { events, diags } = parse(Array.from({ length: 300 }, (_, k) => issue(k + 1)).join('\n'));
    const names = trackNames(events);
    const lanes = new Set(of(events, 'begin').map((e) => names.get(e.track)));
    expect(lanes.size).toBe(256);
    expect(diags.filter((d) => d.code === 'lttng-text.lost-exit')).toHaveLength(300 - 256);
    expect(of(events, 'begin').every((e) => e.name === 'R')).toBe(true);
  });
});

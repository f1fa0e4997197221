/**
 * ftrace event text under the options that change a line the most: context-info off,
 * latency-format with verbose, raw and hex (the kernel's own entries), kprobe/kretprobe pairs,
 * and raw syscall numbers named by the x86_64 table. Lines are written from the kernel's printf
 * formats (trace_output.c, trace_kprobe.c); the samples are real captures or the same formats.
 */
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../../src/model/events.js';
import { ftraceEvents, sniffVerdict } from '../../../src/inputs/ftrace-events/index.js';
import { tokenizeLine, verboseFlags } from '../../../src/inputs/ftrace-events/line.js';
import { probeHit } from '../../../src/inputs/ftrace-events/probes.js';
import { ctxText, rawEntry } from '../../../src/inputs/ftrace-events/raw.js';
import { machineOf, x86_64Syscall } from '../../../src/inputs/ftrace-events/syscalls-x86_64.js';
import { lines, run } from '../../support/convert-helpers.js';

function parse(text: string): { evs: TraceEvent[]; codes: [string, number][] } {
  const codes: [string, number][] = [];
  const parser = ftraceEvents.createParser({ file: 't', report: (code, line) => codes.push([code, line]), options: {} });
  const evs = [...parser.push(text.replace(/^\n/, '').split('\n'), 1), ...parser.end()];
  return { evs, codes };
}

const of = <K extends TraceEvent['kind']>(evs: TraceEvent[], kind: K) => evs.filter((e): e is Extract<TraceEvent, { kind: K }> => e.kind === kind);

describe('raw syscalls named by the x86_64 table', () => {
  it('knows the table and the machine a release names', () => {
    expect([0, 1, 2, 3, 59, 60, 231, 257, 262, 332, 334, 424, 435, 462, 469].map(x86_64Syscall)).toEqual([
      'read', 'write', 'open', 'close', 'execve', 'exit', 'exit_group', 'openat', 'newfstatat', 'statx', 'rseq', 'pidfd_send_signal', 'clone3', 'mseal', 'file_setattr',
    ]);
    expect(x86_64Syscall(335)).toBeUndefined();
    expect(x86_64Syscall(470)).toBeUndefined();
    expect(['6.18.44-fc-v1098', '7.3.4+deb13-amd64', '6.1.0-18-arm64', '5.10.43-android12-9-aarch64', '6.1.0-9-686-pae'].map(machineOf)).toEqual(['x86_64', 'x86_64', 'aarch64', 'aarch64', 'i686']);
  });

  it('names slices sys_NAME, keeps the number, argument words, return value and CPU for Perfetto', () => {
    const { evs } = parse(`
# tracer: nop
             cat-2001    [001] .....   100.000100: sys_enter: NR 257 (ffffff9c, 7ffd1000, 0, 0, 0, 0)
             cat-2001    [000] .....   100.000109: sys_exit: NR 257 = 3
             cat-2001    [000] .....   100.000200: sys_enter: NR 600 (0, 0, 0, 0, 0, 0)
             cat-2001    [000] .....   100.000201: sys_exit: NR 600 = -38
`);
    const begins = of(evs, 'begin');
    expect(begins.map((b) => [b.name, b.syscall])).toEqual([
      ['sys_openat', { nr: 257, args: ['ffffff9c', '7ffd1000', '0', '0', '0', '0'] }],
      ['sys_600', { nr: 600, args: ['0', '0', '0', '0', '0', '0'] }],
    ]);
    expect(of(evs, 'end').map((e) => e.syscall)).toEqual([{ nr: 257, ret: 3, cpu: 0 }, { nr: 600, ret: -38, cpu: 0 }]);
    expect(of(evs, 'info').at(-1)!.notes!.machine).toBe('x86_64');
  });

  it('keeps numbers for a trace from another architecture', () => {
    const { evs } = parse(`
# nop latency trace v1.1.5 on 6.1.0-18-arm64
    bash-12247     1..... 12456us : sys_enter: NR 63 (3, 0, 10, 0, 0, 0)
    bash-12247     1..... 12457us : sys_exit: NR 63 = 10
`);
    expect(of(evs, 'begin').map((b) => b.name)).toEqual(['sys_63']);
    expect(of(evs, 'info').at(-1)!.notes!.machine).toBe('aarch64');
  });
});

describe('context-info off', () => {
  const text = `
# tracer: nop
#
sys_enter: NR 0 (3, 7ffd0000, 340, 0, 0, 0)
sched_switch: prev_comm=sh prev_pid=6673 prev_prio=120 prev_state=D ==> next_comm=rcu_preempt next_pid=15 next_prio=120
sys_exit: NR 0 = 340
tracing_mark_write: mark-begin
vfs_read <-ksys_read
<stack trace>
 => ksys_read
 => do_syscall_64
`;
  it('is recognised: a bare payload line, sniffed after a tracer header or by known names', () => {
    expect(tokenizeLine('sched_waking: comm=sh pid=6673 prio=120 target_cpu=000')).toEqual({ kind: 'bare', payload: 'sched_waking: comm=sh pid=6673 prio=120 target_cpu=000' });
    expect(tokenizeLine('sys_openat(dfd: ffffff9c, filename: 7ffd1234, flags: 0)')).toMatchObject({ kind: 'bare' });
    expect(tokenizeLine('vfs_read <-ksys_read')).toMatchObject({ kind: 'bare' });
    expect(tokenizeLine('hello world')).toMatchObject({ kind: 'unparsed' });
    expect(sniffVerdict(text.replace(/^\n/, ''))).toMatchObject({ answer: 'yes', level: 3 });
    expect(sniffVerdict('sched_switch: prev_pid=1 ==> next_pid=2\nsys_enter: NR 0 (0)\nsys_exit: NR 0 = 0\n')).toMatchObject({ answer: 'yes', level: 2 });
    expect(sniffVerdict('foo: bar\nbaz: qux\n')).toMatchObject({ answer: 'no' });
  });

  it('keeps every event in order, 1 µs apart, on one lane, and says so once', () => {
    const { evs, codes } = parse(text);
    expect(codes).toEqual([['ftrace-events.no-context', 3]]);
    const inst = of(evs, 'instant');
    expect(inst.map((e) => [e.ts, e.name])).toEqual([
      [1000, 'sys_enter'],
      [2000, 'sched_switch'],
      [3000, 'sys_exit'],
      [4000, 'tracing_mark_write'],
    ]);
    expect(inst[0]!.args).toMatchObject({ syscall: 'sys_read' });
    expect(inst[1]!.args).toMatchObject({ prev_pid: 6673, next_pid: 15 });
    expect(new Set(inst.map((e) => e.track)).size).toBe(1);
    const samples = of(evs, 'sample');
    expect(samples.map((s) => [s.ts, s.reason, s.frames.map((f) => f.name).join(';'), s.tid])).toEqual([
      [5000, 'function', 'ksys_read;vfs_read', undefined],
      [5000, 'stack trace', 'do_syscall_64;ksys_read', undefined],
    ]);
    expect(of(evs, 'sched-switch')).toEqual([]);
    expect(of(evs, 'info').at(-1)!.notes!.timestamps).toMatch(/context-info off/);
  });

  it('stays foreign text in a trace whose lines print their context', () => {
    const { codes } = parse(`
          <idle>-0       [000] d..2.   327.318977: sched_switch: prev_comm=swapper/0 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=a next_pid=15 next_prio=120
sched_switch: prev_comm=a prev_pid=15 prev_prio=120 prev_state=S ==> next_comm=swapper/0 next_pid=0 next_prio=120
`);
    expect(codes).toEqual([['ftrace-events.unparsed-line', 2]]);
  });
});

describe('latency-format with verbose', () => {
  it('reads comm, pid, cpu, the flags byte, preempt count and the hex µs time', () => {
    const t = tokenizeLine('              sh    6681   1 9 00000002 0000023a [26c56723e] 35.501ms (+0.024ms): sched_waking: comm=sleep pid=6683 prio=120 target_cpu=001');
    expect(t).toMatchObject({ kind: 'event', comm: 'sh', pid: 6681, cpu: 1, flags: 'd.h2.', ts: 0x26c56723e * 1000, time: 'decimal', layout: 'verbose' });
    expect(t.kind === 'event' && t.payload).toBe('sched_waking: comm=sleep pid=6683 prio=120 target_cpu=001');
    // A comm with spaces; a counter clock prints `[%016llx] %lld (+%lld)`.
    expect(tokenizeLine('   npm exec tsc    12230   0 0 00000000 00000001 [0000000000abcdef] 12 (+3): sys_exit: NR 0 = 1')).toMatchObject({ comm: 'npm exec tsc', pid: 12230, cpu: 0, ts: 0xabcdef, time: 'integer' });
  });

  it('turns TRACE_FLAG_* bits into the letters the default layout prints', () => {
    expect(verboseFlags(0, 0)).toBe('.....');
    expect(verboseFlags(0x01 | 0x04 | 0x20, 1)).toBe('dN.1.');
    expect(verboseFlags(0x01 | 0x80 | 0x08 | 0x10, 0x12)).toBe('D.H21');
    expect(verboseFlags(0x40 | 0x08, 0)).toBe('..Z..');
    expect(verboseFlags(0x10 | 0x80, 0)).toBe('b.s..');
  });
});

describe('raw and hex kernel entries', () => {
  it('reads the context-switch and wake-up records in raw, hex and text form alike', () => {
    const want = { kind: 'ctx', prevPid: 1229, prevPrio: 120, prevState: 'S', nextCpu: 0, nextPid: 0, nextPrio: 120, nextState: 'R' };
    expect(rawEntry('1229 120 S 0 0 120 R', false)).toEqual(want);
    expect(rawEntry('000004cd 00000078 53 00000000 00000000 00000078 52 ', true)).toEqual(want);
    expect(ctxText('1229:120:S ==> [000]       0:120:R swapper/0')).toEqual({ ...want, nextComm: 'swapper/0' });
    expect(rawEntry('0 120 + 1 1230 120 R', false)).toMatchObject({ kind: 'wake', prevPid: 0, nextCpu: 1, nextPid: 1230 });
    expect(rawEntry('00000000 ffffff9c 2b 00000001 000004ce 00000078 52', true)).toMatchObject({ kind: 'wake', prevPrio: -100, nextPid: 1230 });
    expect(rawEntry('ffffffff8110b2c0 ffffffff8110c1a8', false)).toEqual({ kind: 'fn', ip: 'ffffffff8110b2c0', parent: 'ffffffff8110c1a8' });
    expect(rawEntry('type: 4', true)).toEqual({ kind: 'type', type: 4, entry: 'kernel_stack' });
    expect(rawEntry('type: 761', false)).toEqual({ kind: 'type', type: 761 });
    expect(rawEntry('# ffffffff86922746 hello', false)).toEqual({ kind: 'print', text: 'hello' });
  });

  it('makes sched events of them; type N stays an instant named by its number, counted', () => {
    const { evs, codes } = parse(`
# tracer: wakeup
1229 0 353026000000 1229 120 S 0 0 120 R
0 0 353026100000 0 120 + 0 1229 120 R
00000000 00000000 0000005231fecb20 00000000 00000078 52 00000000 000004cd 00000078 52 
1229 0 353026400000 type: 304
`);
    expect(of(evs, 'sched-switch').map((s) => [s.prevTid, s.prevState, s.nextTid])).toEqual([
      [1229, 1, 0],
      [0, 0, 1229],
    ]);
    expect(of(evs, 'sched-waking')).toMatchObject([{ wakerTid: 0, tid: 1229, targetCpu: 0, source: 'wakeup' }]);
    expect(of(evs, 'instant').map((e) => [e.name, e.args?.type])).toEqual([['type 304', 304]]);
    expect(codes).toEqual([['ftrace-events.raw-type', 5]]);
  });
});

describe('kprobe/kretprobe pairs', () => {
  it('reads entry, return, uprobe and uretprobe hits', () => {
    expect(probeHit('(do_sys_openat2+0x0/0xe0) dfd=0xffffff9c')).toEqual({ kind: 'entry', func: 'do_sys_openat2', site: 'do_sys_openat2+0x0', offset: 0, args: { dfd: '0xffffff9c' } });
    expect(probeHit('(__x64_sys_openat+0x54/0xa0 <- do_sys_openat2) ret=3')).toEqual({ kind: 'return', func: 'do_sys_openat2', caller: '__x64_sys_openat+0x54/0xa0', args: { ret: 3 } });
    expect(probeHit('(my_fn+0x0/0x40 [my_mod])')).toMatchObject({ kind: 'entry', func: 'my_fn' });
    expect(probeHit('(0x55d0c0a1b2c0)')).toMatchObject({ kind: 'entry', func: '0x55d0c0a1b2c0', offset: 0 });
    expect(probeHit('(0x55d0c0a0f123 <- 0x55d0c0a1b2c0) arg1="ls"')).toMatchObject({ kind: 'return', func: '0x55d0c0a1b2c0' });
    expect(probeHit('(sched.sched_switch) prev=1')).toBeUndefined();
    expect(probeHit('prev_pid=1')).toBeUndefined();
  });

  const head = (t: string, ev: string) => `             cat-2001    [000] .....   100.${t}: ${ev}`;
  it('joins a hit and its return, nests recursion, and keeps the unmatched as reported instants', () => {
    const { evs, codes } = parse(
      [
        head('000090', 'r_orphan: (ksys_read+0x9a/0xe0 <- vfs_read) ret=0x5'),
        head('000100', 'p_walk: (walk_component+0x0/0x1c0)'),
        head('000101', 'r_walk: (link_path_walk+0x1a4/0x3c0 <- walk_component) ret=0x0'),
        head('000200', 'p_walk: (walk_component+0x0/0x1c0) depth=1'),
        head('000201', 'p_walk: (walk_component+0x0/0x1c0) depth=2'),
        head('000203', 'r_walk: (link_path_walk+0x1a4/0x3c0 <- walk_component) ret=0x0'),
        head('000204', 'r_walk: (link_path_walk+0x1a4/0x3c0 <- walk_component) ret=0x0'),
        head('000250', 'p_lone: (vfs_fstat+0x0/0x80) fd=3'),
        head('000260', 'p_mid: (vfs_fstat+0x3c/0x80) fd=3'),
      ].join('\n'),
    );
    const slices = evs.filter((e) => e.kind === 'begin' || e.kind === 'end').map((e) => `${e.kind} ${e.ts / 1000 - 100000000} ${e.kind === 'begin' ? e.depth : ''}`);
    expect(slices).toEqual(['begin 100 0', 'end 101 ', 'begin 200 0', 'begin 201 1', 'end 203 ', 'end 204 ']);
    expect(of(evs, 'begin')[1]!.args).toMatchObject({ probe: 'p_walk', depth: 1 });
    expect(of(evs, 'end')[0]!.args).toMatchObject({ return_probe: 'r_walk', caller: 'link_path_walk+0x1a4/0x3c0', ret: '0x0' });
    expect(of(evs, 'instant').map((e) => e.name)).toEqual(['r_orphan', 'p_lone', 'p_mid']);
    expect(of(evs, 'instant')[2]!.args).toMatchObject({ site: 'vfs_fstat+0x3c' });
    expect(codes).toEqual([
      ['ftrace-events.unmatched-probe', 1],
      ['ftrace-events.unmatched-probe', 8],
    ]);
  });

  it('nests the pair inside the syscall around it (folded counts it as a call)', async () => {
    const text = [
      head('000100', 'sys_enter: NR 257 (ffffff9c, 7ffd1000, 0, 0, 0, 0)'),
      head('000100', 'p_openat2: (do_sys_openat2+0x0/0xe0) dfd=0xffffff9c'),
      head('000109', 'r_openat2: (__x64_sys_openat+0x54/0xa0 <- do_sys_openat2) ret=3'),
      head('000109', 'sys_exit: NR 257 = 3'),
    ].join('\n');
    const { text: folded } = await run(lines(text), 'folded', { from: 'ftrace-events' });
    expect(folded.trim().split('\n').sort()).toEqual(['sys_openat;do_sys_openat2 9']);
  });
});

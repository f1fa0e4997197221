import { describe, expect, it } from 'vitest';
import { classify, kernelState, parseBlock, parseKv, parseSwitch, parseWakeup, pluginState } from '../../../src/inputs/ftrace-events/fields.js';
import { ftraceEvents, sniffFtraceEvents } from '../../../src/inputs/ftrace-events/index.js';
import { tokenizeLine } from '../../../src/inputs/ftrace-events/line.js';
import { lines, run } from '../../support/convert-helpers.js';

describe('ftrace-events line heads', () => {
  it('reads the tracefs default line, a comm with spaces and dashes, and the payload', () => {
    const t = tokenizeLine(' npm exec tsc -p-12230   [001] d.h..   441.903212: hrtimer_expire_entry: hrtimer=000000002fad2164');
    expect(t).toMatchObject({ kind: 'event', comm: 'npm exec tsc -p', pid: 12230, tgid: -1, cpu: 1, flags: 'd.h..', ts: 441903212000, time: 'decimal', layout: 'tracefs' });
    expect(t.kind === 'event' && t.payload).toBe('hrtimer_expire_entry: hrtimer=000000002fad2164');
  });

  it('reads record-tgid (number and dashes), irq-info off and 4-character flags', () => {
    expect(tokenizeLine('             npm-12241   (  12230) [001]    441.952709: sched_switch: x')).toMatchObject({ pid: 12241, tgid: 12230, cpu: 1, flags: '' });
    expect(tokenizeLine('          <idle>-0       (-------) [000] d..2.   349.114075: sched_switch: x')).toMatchObject({ comm: '<idle>', pid: 0, tgid: -1, flags: 'd..2.' });
    expect(tokenizeLine('           bash-1977  [000] d..1 17284.993652: sys_close <-system_call_fastpath')).toMatchObject({ pid: 1977, flags: 'd..1', ts: 17284993652000 });
  });

  it('reads counter clocks as integers and latency-format as microseconds since the buffer start', () => {
    expect(tokenizeLine('     kt-workload-604     [000] d..2.       707102: __css_rstat_updated <-x')).toMatchObject({ ts: 707102, time: 'integer' });
    expect(tokenizeLine('kt-workl-1527      1dBs4. 49240us+: sched_wakeup: comm=ksoftirqd/1 pid=25')).toMatchObject({ comm: 'kt-workl', pid: 1527, cpu: 1, flags: 'dBs4.', ts: 49240000, time: 'latency-us', layout: 'latency' });
    expect(tokenizeLine('rcu_pree-15        1.l.1. 5667610us : rcu_report_qs_rdp <-rcu_gp_init')).toMatchObject({ cpu: 1, flags: '.l.1.', ts: 5667610000 });
  });

  it('reads trace-cmd report: 5-wide pids, -t nine digits, -l, --ts-diff', () => {
    expect(tokenizeLine('     kt-workload-2023  [001]   746.909489: function:             vfs_open')).toMatchObject({ pid: 2023, cpu: 1, ts: 746909489000 });
    expect(tokenizeLine('           mkdir-2024  [001]   746.944205123: irq_handler_entry:    irq=36')).toMatchObject({ ts: 746944205123, fracDigits: 9 });
    expect(tokenizeLine('kt-workl-1824    0...1.   376.021152: funcgraph_entry:      x')).toMatchObject({ cpu: 0, flags: '...1.', ts: 376021152000, layout: 'latency' });
    const d = tokenizeLine('       trace-cmd-1823  [001]   376.028585: (+7433)  sched_switch:      x');
    expect(d.kind === 'event' && d.payload).toBe('sched_switch:      x');
  });

  it('reads raw and hex prefixes, lost events, annotate, headers, frames and trace-cmd banners', () => {
    expect(tokenizeLine('1379 0 340638660130 type: 761')).toMatchObject({ pid: 1379, cpu: 0, ts: 340638660130, layout: 'raw', payload: 'type: 761' });
    expect(tokenizeLine('000005ae 00000001 0000004ff6c54bb6 type: 303')).toMatchObject({ pid: 0x5ae, cpu: 1, ts: 0x4ff6c54bb6, layout: 'hex' });
    expect(tokenizeLine('CPU:1 [LOST 6 EVENTS]')).toEqual({ kind: 'lost', cpu: 1, count: 6 });
    expect(tokenizeLine('CPU:3 [LOST EVENTS]')).toEqual({ kind: 'lost', cpu: 3, count: -1 });
    expect(tokenizeLine('CPU:0 [12 EVENTS DROPPED]')).toEqual({ kind: 'lost', cpu: 0, count: 12 });
    expect(tokenizeLine('##### CPU 1 buffer started ####')).toEqual({ kind: 'buffer-started', cpu: 1 });
    expect(tokenizeLine('# tracer: function')).toEqual({ kind: 'header', tracer: 'function' });
    expect(tokenizeLine('# nop latency trace v1.1.5 on 7.3.4+deb13-amd64')).toEqual({ kind: 'header', release: '7.3.4+deb13-amd64' });
    expect(tokenizeLine('# entries-in-buffer/entries-written: 1663/1663   #P:2')).toEqual({ kind: 'header', cpus: 2 });
    expect(tokenizeLine(' =>  <000000000047b5e1>')).toEqual({ kind: 'frame', text: '<000000000047b5e1>' });
    expect(tokenizeLine('cpus=2')).toEqual({ kind: 'cpus', cpus: 2 });
    expect(tokenizeLine('hello world')).toMatchObject({ kind: 'unparsed' });
  });

  it('knows the wakeup latency summary of trace-cmd report -w, and its switch lines', () => {
    for (const l of ['Average wakeup latency: 4.748 usecs', 'Maximum Latency: 16.504 usecs at timestamp: 3307.464734', 'Minimum Latency: 1.252 usecs at timestamp: 3307.461110', 'RT task timings:']) {
      expect(tokenizeLine(l), l).toEqual({ kind: 'header' });
    }
    expect(tokenizeLine('Average wakeup latency: lots')).toMatchObject({ kind: 'unparsed' });
    const sw = tokenizeLine('            bash-17083 [001]  3307.496422: sched_switch:         bash:17083 [120] X ==> bash:17081 [120] Latency: 2.944 usecs');
    expect(sw).toMatchObject({ kind: 'event', pid: 17083, cpu: 1 });
  });
});

describe('ftrace-events payloads', () => {
  it('tells trace events, syscalls, function lines and stack starts apart', () => {
    expect(classify('sched_wakeup: comm=rcu_preempt pid=15')).toEqual({ kind: 'event', name: 'sched_wakeup', rest: 'comm=rcu_preempt pid=15' });
    expect(classify('sys_openat(dfd: 4294967196, flags: O_RDONLY)')).toEqual({ kind: 'sys-enter', name: 'openat', rest: 'dfd: 4294967196, flags: O_RDONLY' });
    expect(classify('sys_openat -> 0x0')).toEqual({ kind: 'sys-exit', name: 'openat', ret: '0x0' });
    expect(classify('__rcu_read_lock <-__pte_offset_map')).toEqual({ kind: 'function', fn: '__rcu_read_lock', parent: '__pte_offset_map' });
    expect(classify('complete_walk')).toEqual({ kind: 'function', fn: 'complete_walk' });
    expect(classify('vm_normal_page+0x4/0x130 <ffffffff86ad09b4> <-__zap_vma_range+0x614/0x1a30 <ffffffff86ad15a4>')).toEqual({ kind: 'function', fn: 'vm_normal_page', parent: '__zap_vma_range' });
    expect(classify('vfs_open(path=0xff5b, file=0xff17) <-path_openat')).toEqual({ kind: 'function', fn: 'vfs_open', parent: 'path_openat', args: { path: '0xff5b', file: '0xff17' } });
    expect(classify('static_key_count <-security_vm_enough_memory_mm (repeats: 8, last_ts:   114.013216)')).toEqual({
      kind: 'function',
      fn: 'static_key_count',
      parent: 'security_vm_enough_memory_mm',
      repeats: 8,
      lastTs: '114.013216',
    });
    expect(classify('function:                vfs_statx <-- vfs_fstatat')).toEqual({ kind: 'function', fn: 'vfs_statx', parent: 'vfs_fstatat' });
    expect(classify('function:              ip=vfs_open parent_ip=path_openat args=ARRAY[]')).toEqual({ kind: 'function', fn: 'vfs_open', parent: 'path_openat' });
    expect(classify('<stack trace>')).toEqual({ kind: 'stack', user: false });
    expect(classify('<user stack trace>')).toEqual({ kind: 'stack', user: true });
    expect(classify('kernel_stack:         <stack trace >')).toEqual({ kind: 'stack', user: false });
  });

  it('reads key=value fields with spaces inside values and bracketed keys', () => {
    expect(parseKv('vec=9 [action=RCU]')).toEqual({ vec: 9, action: 'RCU' });
    expect(parseKv('comm=npm exec tsc -p pid=12230 prio=120 target_cpu=001')).toEqual({ comm: 'npm exec tsc -p', pid: 12230, prio: 120, target_cpu: 1 });
    expect(parseKv('hello 42')).toEqual({ text: 'hello 42' });
  });

  it('gives every layout of one sched_switch the same kernel bits', () => {
    const k = parseSwitch('prev_comm=rcu_preempt prev_pid=15 prev_prio=120 prev_state=I ==> next_comm=swapper/0 next_pid=0 next_prio=120')!;
    const p = parseSwitch('rcu_preempt:15 [120] W ==> swapper/0:0 [120]')!;
    const r = parseSwitch('prev_comm=rcu_preempt prev_pid=15 prev_prio=120 prev_state=128 next_comm=swapper/0 next_pid=0 next_prio=120')!;
    expect(k.f).toEqual({ prevComm: 'rcu_preempt', prevPid: 15, prevPrio: 120, prevState: 128, nextComm: 'swapper/0', nextPid: 0, nextPrio: 120 });
    expect(p.f).toEqual(k.f);
    expect(r.f).toEqual(k.f);
    expect(parseSwitch('prev_comm=a b prev_pid=3 prev_prio=120 prev_state=R+ ==> next_comm=c next_pid=4 next_prio=100')!.f).toMatchObject({ prevComm: 'a b', prevState: 0x100 });
  });

  it('maps every prev_state letter', () => {
    expect(['R', 'S', 'D', 'T', 't', 'X', 'Z', 'P', 'I', 'R+', 'D|K', 'S|W'].map(kernelState)).toEqual([0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 2, 1]);
    expect(kernelState('Q')).toBeNaN();
    expect(['R', 'S', 'D', 'T', 't', 'Z', 'X', 'x', 'W', 'S|D'].map(pluginState)).toEqual([0, 1, 2, 4, 8, 16, 32, 64, 128, 3]);
  });

  it('reads wake-ups with and without success=, and block requests old and new', () => {
    expect(parseWakeup('rcu_preempt:15 [120] success=1 CPU:000')!.f).toEqual({ comm: 'rcu_preempt', pid: 15, prio: 120, targetCpu: 0, success: 1 });
    expect(parseWakeup('comm=rcu_preempt pid=15 prio=120 target_cpu=001')!.f).toEqual({ comm: 'rcu_preempt', pid: 15, prio: 120, targetCpu: 1 });
    expect(parseBlock('254,0 RA 4096 () 29947752 + 8 be,0,4 [dd]')).toMatchObject({ dev: '254,0', rwbs: 'RA', sector: '29947752', args: { bytes: 4096, ioprio: 'be,0,4', comm: 'dd' } });
    expect(parseBlock('8,0 WS () 123456 + 8 [0]')).toMatchObject({ dev: '8,0', rwbs: 'WS', args: { error: 0 } });
  });
});

describe('ftrace-events: the fields option', () => {
  it('reads integers printed as `0xHEX (DEC)` by their decimal, so switches and wake-ups keep their meaning', () => {
    const sw = parseSwitch('prev_comm=bash prev_pid=0x42e3 (17123) prev_prio=0x78 (120) prev_state=0x1 (1) next_comm=swapper/0 next_pid=0x0 (0) next_prio=0x78 (120)');
    expect(sw?.f).toEqual({ prevComm: 'bash', prevPid: 17123, prevPrio: 120, prevState: 1, nextComm: 'swapper/0', nextPid: 0, nextPrio: 120 });
    expect(parseWakeup('comm=bash pid=0x42e6 (17126) prio=0x78 (120) target_cpu=0x0 (0)')?.f).toEqual({ comm: 'bash', pid: 17126, prio: 120, targetCpu: 0 });
    expect(parseKv('vec=0x4 (4)')).toEqual({ vec: 4 });
    expect(parseKv('ret=0xfffffffffffffff5 (-11)')).toEqual({ ret: -11 });
    expect(parseKv('now=0x803b2f08d93 (8811980033427) function=tick_nohz_handler+0x0/0x140 (-2126239584)')).toEqual({
      now: 8811980033427,
      function: 'tick_nohz_handler+0x0/0x140',
    });
    // Text that only looks like it stays text.
    expect(parseKv('name=0x10 (x)')).toEqual({ name: '0x10 (x)' });
  });
});

describe('ftrace-events sniff', () => {
  const ev = '# tracer: nop\n          <idle>-0       [000] d..2.   327.318977: sched_switch: a\n'.repeat(3);
  it('says yes to event text and no to any sign of function_graph', () => {
    expect(sniffFtraceEvents(ev)).toBe('yes');
    expect(sniffFtraceEvents('# tracer: function_graph\n' + ev)).toBe('no');
    expect(sniffFtraceEvents(`${ev}     kt-workload-1824  [000]   376.021152:          funcgraph_entry:      ! 235.439 us |  mutex_unlock();\n`)).toBe('no');
    expect(sniffFtraceEvents(' 0)   1.234 us    |  foo();\n')).toBe('no');
    expect(sniffFtraceEvents('hello\nworld\n')).toBe('no');
  });
});

describe('ftrace-events parsing', () => {
  const text = `# tracer: nop
          <idle>-0       [000] dNh2.   327.318606: sched_waking: comm=rcu_preempt pid=15 prio=120 target_cpu=000
          <idle>-0       [000] d..2.   327.318977: sched_switch: prev_comm=swapper/0 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=rcu_preempt next_pid=15 next_prio=120
     rcu_preempt-15      [000] d..2.   327.319794: sched_switch: prev_comm=rcu_preempt prev_pid=15 prev_prio=120 prev_state=Q ==> next_comm=swapper/0 next_pid=0 next_prio=120
 => stray
garbage
     kt-workload-823     [001] .....   327.320000: do_sys_openat2 <-__x64_sys_openat
     kt-workload-823     [001] .....   327.320001: <stack trace>
 => do_sys_openat2
 => __x64_sys_openat
     kt-workload-823     [001] .....   327.320100: vfs_open <-path_openat (repeats: 3, last_ts:   327.320090)
`;
  it('reports each bad line with its number and keeps going', async () => {
    const { diags, result } = await run(lines(text), 'csv', { from: 'ftrace-events' });
    expect(diags.map((d) => [d.code, d.line])).toEqual([
      ['ftrace-events.unknown-state', 4],
      ['ftrace-events.stray-frame', 5],
      ['ftrace-events.unparsed-line', 6],
    ]);
    expect(result.diagnostics).toEqual({ 'ftrace-events.stray-frame': 1, 'ftrace-events.unknown-state': 1, 'ftrace-events.unparsed-line': 1 });
  });

  it('keeps the waking context, lets a stack replace its function pair, weighs repeats', async () => {
    const parser = ftraceEvents.createParser({ file: 't', report: () => {}, options: {} });
    const evs = [...parser.push(text.split('\n'), 1), ...parser.end()];
    expect(evs.find((e) => e.kind === 'sched-waking')).toMatchObject({ tid: 15, wakerTid: 0, cpu: 0, context: 'hardirq' });
    const { text: csv } = await run(lines(text), 'csv', { from: 'ftrace-events' });
    const rows = csv.split('\n');
    const stacks = rows.filter((r) => r.startsWith('stack,'));
    expect(stacks).toHaveLength(2);
    expect(stacks[0]).toContain(',__x64_sys_openat;do_sys_openat2,');
    expect(stacks[0]).toContain('""reason"":""stack trace""');
    expect(stacks[1]).toMatch(/,vfs_open,stack,4,path_openat;vfs_open,/);
  });
});

describe('ftrace-events CPU lanes when times go back', () => {
  // Lines out of time order on one CPU (a shuffled or merged file): the second switch is older
  // than the first, an irq exit older than its entry.
  const text = `# tracer: nop
          <idle>-0       [000] d..2.   100.000100: sched_switch: prev_comm=swapper/0 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=a next_pid=10 next_prio=120
               a-10      [000] d..2.   100.000050: sched_switch: prev_comm=a prev_pid=10 prev_prio=120 prev_state=S ==> next_comm=b next_pid=11 next_prio=120
               b-11      [000] d.h1.   100.000200: irq_handler_entry: irq=24 name=virtio0
               b-11      [000] d.h1.   100.000150: irq_handler_exit: irq=24 ret=handled
               b-11      [000] d..2.   100.000300: sched_switch: prev_comm=b prev_pid=11 prev_prio=120 prev_state=R ==> next_comm=swapper/0 next_pid=0 next_prio=120
`;
  it('keeps each CPU\'s sched and irq events in the order of the text, moved forward and reported', async () => {
    const diags: [string, number][] = [];
    const parser = ftraceEvents.createParser({ file: 't', report: (code, line) => diags.push([code, line]), options: {} });
    const evs = [...parser.push(text.split('\n'), 1), ...parser.end()];
    const cpu = evs.filter((e) => e.kind === 'sched-switch' || e.kind === 'irq').map((e) => [e.kind, (e as { ts: number }).ts]);
    expect(cpu).toEqual([
      ['sched-switch', 100_000_100_000],
      ['sched-switch', 100_000_100_000],
      ['irq', 100_000_200_000],
      ['irq', 100_000_200_000],
      ['sched-switch', 100_000_300_000],
    ]);
    expect(diags).toEqual([
      ['ftrace-events.time-backwards', 3],
      ['ftrace-events.time-backwards', 5],
    ]);
  });
});

describe('user stack traces (options/userstacktrace)', () => {
  const text = `# tracer: nop
          <idle>-0       [001] d.h1.  3676.856547: softirq_raise: vec=9 [action=RCU]
          <idle>-0       [001] d.h1.  3676.856548: <user stack trace>
          md5sum-21429   [000] d.h..  3676.856551: softirq_raise: vec=9 [action=RCU]
          md5sum-21429   [000] d.h..  3676.856551: <user stack trace>
 =>  <00007fd582e91bd1>
 =>  <00007fd582e8f34f>
          md5sum-21429   [000] d.h..  3676.856552: <stack trace>
          md5sum-21429   [000] d.h..  3676.856553: softirq_raise: vec=7 [action=SCHED]
`;
  it('one with frames is a sample; one without (idle, a kernel thread) is counted as info, a kernel one without as a warning', () => {
    const codes: [string, number][] = [];
    const parser = ftraceEvents.createParser({ file: 't', report: (code, line) => codes.push([code, line]), options: {} });
    const evs = [...parser.push(text.split('\n'), 1), ...parser.end()];
    const samples = evs.filter((e) => e.kind === 'sample');
    expect(samples.map((e) => (e.kind === 'sample' ? [e.reason, e.frames.length] : []))).toEqual([['user stack trace', 2]]);
    expect(codes).toEqual([
      ['ftrace-events.empty-user-stack', 3],
      ['ftrace-events.empty-stack', 8],
    ]);
  });
});

describe('function_graph lines among events', () => {
  const mixed = `cpus=2
       trace-cmd-1927  [001]   584.110481: funcgraph_entry:                   |  schedule() {
       trace-cmd-1927  [001]   584.110482: funcgraph_entry:        1.041 us   |    __resched_curr();
       trace-cmd-1927  [001]   584.110570: sched_switch:         trace-cmd:1927 [120] S ==> swapper/1:0 [120]
          <idle>-0     [001]   584.110600: sched_wakeup:         trace-cmd:1927 [120] CPU:001
          <idle>-0     [001]   584.110650: sched_switch:         swapper/1:0 [120] R ==> trace-cmd:1927 [120]
       trace-cmd-1927  [001]   584.110700: funcgraph_exit:       ! 219.000 us |  }
`;
  it('go to the function-graph parser; events keep their meaning; threads meet by tid', async () => {
    const parser = ftraceEvents.createParser({ file: 't', report: () => {}, options: {} });
    const evs = [...parser.push(mixed.split('\n'), 1), ...parser.end()];
    expect(evs.filter((e) => e.kind === 'sched-switch')).toHaveLength(2);
    expect(evs.filter((e) => e.kind === 'sched-waking')).toHaveLength(1);
    const slices = evs.flatMap((e) => (e.kind === 'end' ? [[e.name, e.ts - e.start]] : []));
    expect(slices).toEqual([
      ['__resched_curr', 1041],
      ['schedule', 219_000],
    ]);
    const threads = evs.flatMap((e) => (e.kind === 'track' && e.track.kind === 'thread' ? [e.track.tid] : []));
    expect(new Set(threads).has(1927)).toBe(true);
    const ids = evs.flatMap((e) => (e.kind === 'track' ? [e.track.id] : []));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('give the same slices as the function-graph input for its standard layouts', async () => {
    for (const s of ['trace-cmd-report.txt', 'context-switch-banners.txt', 'abstime-column.txt']) {
      const file = `samples/function-graph/${s}`;
      const a = await run(file, 'folded', { from: 'ftrace-events' });
      const b = await run(file, 'folded', { from: 'function-graph' });
      expect(a.text, s).toBe(b.text);
      expect(a.result.diagnostics['ftrace-events.unparsed-line'] ?? 0).toBe(0);
    }
  });
});

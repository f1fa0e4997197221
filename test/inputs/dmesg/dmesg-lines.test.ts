/**
 * The dmesg adapter's line level: every prefix a kernel log line can carry, and every frame form.
 */
import { describe, expect, it } from 'vitest';
import { newPrefix, stripPrefix } from '../../../src/inputs/dmesg/prefix.js';
import { frameLine, tokenize, type Token } from '../../../src/inputs/dmesg/tokenize.js';

function strip(raw: string) {
  const p = newPrefix();
  stripPrefix(raw, p);
  return { ...p };
}

describe('dmesg prefixes', () => {
  it('printk time → ns since boot, the message keeps its own leading space', () => {
    const p = strip('[   84.000428]  dump_stack+0x5c/0x7b');
    expect(p.bootNs).toBe(84_000_428_000);
    expect(p.text).toBe(' dump_stack+0x5c/0x7b');
    expect(p.kernel).toBe(true);
  });

  it('caller ids, glued to the time or not', () => {
    expect(strip('[  669.483353][    C1] =====')).toMatchObject({ caller: 'C1', text: '=====', bootNs: 669_483_353_000 });
    expect(strip('[   99.057804][ T6051] WARNING: x')).toMatchObject({ caller: 'T6051', text: 'WARNING: x' });
    expect(strip('[ T6051] Call Trace:')).toMatchObject({ caller: 'T6051', text: 'Call Trace:', bootNs: -1, kernel: true });
  });

  it('log levels (`dmesg -r`) and facility columns (`dmesg -x`)', () => {
    expect(strip('<4>[  908.083320] NMI backtrace for cpu 0')).toMatchObject({ text: 'NMI backtrace for cpu 0', bootNs: 908_083_320_000 });
    expect(strip('<12>Call Trace:').text).toBe('Call Trace:');
    expect(strip('kern  :warn  : [  123.456789] Call Trace:')).toMatchObject({ text: 'Call Trace:', bootNs: 123_456_789_000 });
  });

  it('syslog and journalctl lines: time of day, kernel or another program', () => {
    const k = strip('Jul 26 22:35:49 dagon kernel:  dump_stack_lvl+0x44/0x5c');
    expect(k).toMatchObject({ wallKind: 2, wallSec: 22 * 3600 + 35 * 60 + 49, text: ' dump_stack_lvl+0x44/0x5c', kernel: true, foreign: false });
    expect(strip('Jul  6 02:05:09.123456 dagon kernel: x')).toMatchObject({ wallSec: 2 * 3600 + 5 * 60 + 9, wallFracNs: 123_456_000 });
    expect(strip('Jul 26 22:35:49 dagon systemd[1]: Started foo.')).toMatchObject({ foreign: true, text: 'Started foo.' });
    // rsyslog keeps the kernel's own time.
    expect(strip('Nov 21 21:49:46 debian kernel: [  922.606545] Call Trace:')).toMatchObject({ text: 'Call Trace:', bootNs: 922_606_545_000 });
    // journalctl -o short-monotonic.
    expect(strip('[  922.606545] debian kernel: Call Trace:')).toMatchObject({ text: 'Call Trace:', bootNs: 922_606_545_000 });
  });

  it('ISO 8601 stamps (`dmesg --time-format=iso`, rsyslog) → seconds since the epoch', () => {
    const a = strip('2026-11-21T21:50:00,606545+00:00 Call Trace:');
    expect(a).toMatchObject({ wallKind: 1, wallSec: Date.UTC(2026, 10, 21, 21, 50, 0) / 1000, wallFracNs: 606_545_000, text: 'Call Trace:' });
    const b = strip('2024-02-29T03:04:05.5+02:00 host kernel: x');
    expect(b).toMatchObject({ wallSec: Date.UTC(2024, 1, 29, 1, 4, 5) / 1000, wallFracNs: 500_000_000, text: 'x', kernel: true });
    expect(strip('1999-12-31T23:59:59Z msg').wallSec).toBe(Date.UTC(1999, 11, 31, 23, 59, 59) / 1000);
  });

  it('`dmesg --time-format=delta` alone: the deltas summed, from the first line', () => {
    const p = newPrefix();
    const times = ['[<    0.000000>] WARNING: x', '[<    0.000640>] Call Trace:', '[<    1.500000>]  dump_stack+0x5c/0x7b'].map((l) => {
      stripPrefix(l, p);
      return [p.bootNs, p.text, p.kernel];
    });
    expect(times).toEqual([
      [0, 'WARNING: x', true],
      [640_000, 'Call Trace:', true],
      [1_500_640_000, ' dump_stack+0x5c/0x7b', true],
    ]);
    expect(strip('[<  0.5>] x').text).toBe('[<  0.5>] x');
  });

  it('`dmesg --color=always`: the escapes go, the prefix and message stay', () => {
    const p = strip('\u001b[32m[    0.440315] \u001b[0m\u001b[33mNET: \u001b[0mRegistered PF_PACKET protocol family');
    expect(p).toMatchObject({ bootNs: 440_315_000, text: 'NET: Registered PF_PACKET protocol family', kernel: true });
    expect(strip('\u001b[32m[  908.085581] \u001b[0m\u001b[1mCall Trace:\u001b[0m').text).toBe('Call Trace:');
  });

  it('`dmesg -x` before any time format (-T, iso, delta)', () => {
    expect(strip('kern  :warn  : [Wed Dec  2 00:57:34 2026] Call Trace:')).toMatchObject({ wallKind: 2, wallSec: 57 * 60 + 34, text: 'Call Trace:' });
    expect(strip('kern  :warn  : 2026-11-21T21:50:00,606545+00:00 Call Trace:')).toMatchObject({ wallKind: 1, text: 'Call Trace:' });
    expect(strip('kern  :warn  : [<    0.000640>] Call Trace:')).toMatchObject({ bootNs: 640_000, text: 'Call Trace:' });
    // A syslog line's message is not read for a second date.
    expect(strip('Jul 26 22:35:49 dagon kernel: [Wed Dec  2 00:57:34 2026] x').text).toBe('[Wed Dec  2 00:57:34 2026] x');
  });

  it('`dmesg -T` dates in any locale: only the layout counts', () => {
    for (const d of ['[Tue Jul 26 22:35:49 2022]', '[Sa Nov 21 22:35:49 2026]', '[mar. juil. 26 22:35:49 2022]', '[火  7月 26 22:35:49 2022]']) {
      expect(strip(`${d} sysrq: Show State`), d).toMatchObject({ wallKind: 2, wallSec: 22 * 3600 + 35 * 60 + 49, text: 'sysrq: Show State' });
    }
  });

  it('line numbers glued to the prefix, mail quoting, dropped-message notes', () => {
    expect(strip('119[   54.901272]  enqueue_task_fair+0x586/0x1300')).toMatchObject({ numbered: true, bootNs: 54_901_272_000, text: ' enqueue_task_fair+0x586/0x1300' });
    expect(strip('12\t<4>[    1.000000] x')).toMatchObject({ numbered: true, text: 'x' });
    expect(strip('> > [   84.000428]  dump_stack+0x5c/0x7b').text).toBe(' dump_stack+0x5c/0x7b');
    expect(strip('>>  <IRQ>').text).toBe(' <IRQ>');
    expect(strip('** 2395 printk messages dropped ** [   96.027166] BUG fasync_cache')).toMatchObject({ text: 'BUG fasync_cache', bootNs: 96_027_166_000 });
  });

  it('leaves text that only looks like a prefix alone', () => {
    // babeltrace: nine decimals, or a clock time; not printk times and not `dmesg -T` dates.
    expect(strip('[1417383672.250167676] (+?.?????????) qemu0 irq_handler_entry: { cpu_id = 0 }')).toMatchObject({ bootNs: -1, wallKind: 0, kernel: false });
    expect(strip('[12:34:56.123456789] (+0.000001234) host sched_switch: { cpu_id = 0 }')).toMatchObject({ bootNs: -1, wallKind: 0 });
    // A message starting with a number is not a numbered line.
    expect(strip('1 lock held by udevd/95:')).toMatchObject({ numbered: false, text: '1 lock held by udevd/95:' });
    expect(strip('rcu: INFO: rcu_preempt detected stalls').text).toBe('rcu: INFO: rcu_preempt detected stalls');
    expect(strip('[drm:amdgpu_job_timedout [amdgpu]] *ERROR*').text).toBe('[drm:amdgpu_job_timedout [amdgpu]] *ERROR*');
  });
});

const tok = (s: string, bpf = false): Token => tokenize(s, { kernel: true, bpf });

function frames(s: string, bpf = false) {
  const t = tok(s, bpf);
  if (t.t !== 'frames') throw new Error(`not frames: ${JSON.stringify(t)}`);
  return { strong: t.strong, items: t.items };
}

describe('dmesg frame forms', () => {
  it('func+0xoff/0xlen, with and without `?`, modules and build ids', () => {
    expect(frames(' dump_stack+0x5c/0x7b')).toEqual({ strong: true, items: [{ kind: 'frame', frame: { name: 'dump_stack', offset: '0x5c/0x7b' } }] });
    expect(frames(' ? tick_sched_do_timer+0x50/0x50').items[0]).toEqual({
      kind: 'frame',
      frame: { name: 'tick_sched_do_timer', offset: '0x50/0x50', unreliable: true },
    });
    expect(frames(' amdgpu_job_timedout+0x151/0x180 [amdgpu]').items[0]).toMatchObject({ frame: { module: 'amdgpu' } });
    expect(frames(' amdgpu_dm_atomic_commit+0x1a/0x40 [amdgpu 0a2f8c9d3e1b4a5c6d7e8f90a1b2c3d4e5f60718]').items[0]).toMatchObject({
      frame: { name: 'amdgpu_dm_atomic_commit', module: 'amdgpu' },
    });
    expect(frames(' ttwu_do_activate.isra.88+0x3a/0x70').items[0]).toMatchObject({ frame: { name: 'ttwu_do_activate.isra.88' } });
  });

  it('old forms: `[<addr>] func`, bare addresses, powerpc, s390', () => {
    expect(frames(' [<ffffffff81662d11>] dump_stack+0x45/0x56').items[0]).toMatchObject({ frame: { name: 'dump_stack', offset: '0x45/0x56' } });
    expect(frames(' [<ffffffffa00e7546>] ? ttm_bo_mem_space+0x116/0x340 [ttm]').items[0]).toMatchObject({
      frame: { name: 'ttm_bo_mem_space', module: 'ttm', unreliable: true },
    });
    expect(frames('    [<00000000e0a73ec7>] 0xffffffffc01d2036')).toEqual({ strong: true, items: [{ kind: 'frame', frame: { name: '0xffffffffc01d2036' } }] });
    expect(frames('[c000000010f930b0] [c000000008068df8] .eeh_dev_check_failure+0x278/0x390 (unreliable)').items[0]).toMatchObject({
      frame: { name: 'eeh_dev_check_failure', unreliable: true },
    });
    expect(frames('([<000003ff8086d036>] will_oops_init+0x36/0x1000 [will_oops])').items[0]).toMatchObject({
      frame: { name: 'will_oops_init', module: 'will_oops' },
    });
    // A bare address is a weak frame: read inside a trace, never starts one.
    expect(frames(' 0xffffffffc01d2036').strong).toBe(false);
  });

  it('symbolised reports: source locations and inlined calls', () => {
    expect(frames(' __schedule+0xc91/0x5770 kernel/sched/core.c:6622')).toEqual({
      strong: true,
      items: [{ kind: 'frame', frame: { name: '__schedule', offset: '0xc91/0x5770' } }],
    });
    expect(frames(' context_switch kernel/sched/core.c:5304 [inline]')).toEqual({ strong: false, items: [{ kind: 'frame', frame: { name: 'context_switch' } }] });
  });

  it('section markers, alone, before a frame, and with a printk time glued after them', () => {
    expect(frames(' <IRQ>').items).toEqual([{ kind: 'open', section: 'IRQ' }]);
    expect(frames(' </TASK>').items).toEqual([{ kind: 'close', section: 'TASK' }]);
    expect(frames(' <EOI>  [<ffffffff81ee2a47>] ? clear_page_c_e+0x7/0x10').items).toEqual([
      { kind: 'close', section: 'IRQ' },
      { kind: 'frame', frame: { name: 'clear_page_c_e', offset: '0x7/0x10', unreliable: true } },
    ]);
    expect(frames(' <IRQ> [  168.317567]  [<ffffffff81eb4be9>] dump_stack+0xc1/0x128').items).toEqual([
      { kind: 'open', section: 'IRQ' },
      { kind: 'frame', frame: { name: 'dump_stack', offset: '0xc1/0x128' } },
    ]);
    expect(frames(' <#DF>').items).toEqual([{ kind: 'open', section: '#DF' }]);
  });

  it('arm32 `callee from caller`, old and new, and a lost caller', () => {
    expect(tok('[<c0014558>] (show_stack) from [<c059798c>] (dump_stack+0x7c/0xc8)')).toEqual({
      t: 'arm',
      callee: { name: 'show_stack' },
      caller: { name: 'dump_stack', offset: '0x7c/0xc8' },
    });
    expect(tok(' unwind_backtrace from show_stack+0x10/0x14')).toEqual({
      t: 'arm',
      callee: { name: 'unwind_backtrace' },
      caller: { name: 'show_stack', offset: '0x10/0x14' },
    });
    expect(tok('[<8013479c>] (warn_slowpath_fmt) from [<00000000>] (  (null))')).toEqual({ t: 'arm', callee: { name: 'warn_slowpath_fmt' }, caller: undefined });
  });

  it('bpftrace stacks: decimal offsets, bare names, perf-style addresses and modules', () => {
    expect(frames('    tcp_sendmsg+5', true).items[0]).toEqual({ kind: 'frame', frame: { name: 'tcp_sendmsg', offset: '5' } });
    expect(frames('    do_idle', true).items[0]).toEqual({ kind: 'frame', frame: { name: 'do_idle' } });
    expect(frames('\tffffffffb4019501 _raw_spin_lock+5 ([kernel.kallsyms])', true).items[0]).toEqual({ kind: 'frame', frame: { name: '_raw_spin_lock', offset: '5' } });
    expect(frames('\tffffffffc0a1b2c3 btrfs_search_slot+1234 ([btrfs])', true).items[0]).toMatchObject({ frame: { module: 'btrfs' } });
    expect(tok(']: 42', true)).toEqual({ t: 'bpf-close', count: 42 });
    expect(tok('@stacks[sshd, ')).toEqual({ t: 'bpf-open', name: '@stacks', key: 'sshd,' });
    expect(tok('@[')).toEqual({ t: 'bpf-open', name: '@', key: '' });
  });

  it('lines that are not frames', () => {
    for (const s of [
      'Modules linked in: fuse nf_conntrack',
      '  #0:  (rcu_read_lock){.+.+..}, at: [<c00abe5c>] cpuacct_charge+0x28/0x1f4',
      'hrtimer: interrupt took 10434370 ns',
      ' 1) + 27.057 us   |              } /* security_locked_down */',
      'kt-workl-3946      0..... 26671us : vfs_open <-path_openat',
      'do_IRQ(): syz-executor3 has overflown the kernel stack',
      'EIP is at acpi_ns_internalize_name+0xd/0x83',
    ]) {
      expect(tok(s).t, s).not.toBe('frames');
    }
    expect(frameLine('Call Trace:', 0, false)).toBeNull();
    // Starts like a frame, then garbage: a bad frame (a warning inside a trace).
    expect(tok(' [<ffffffff81662d11>] dump_stack+0x45/0x56 what is this')).toEqual({ t: 'bad-frame' });
  });
});

describe('dmesg line kinds', () => {
  const cases: [string, Partial<Token> & { t: Token['t'] }][] = [
    ['Call Trace:', { t: 'trace-start' }],
    ['Call trace:', { t: 'trace-start' }],
    ['Backtrace: ', { t: 'trace-start' }],
    ['  backtrace (crc 5c3f1b2a):', { t: 'trace-start' }],
    ['---[ end trace 056472c3176dbd80 ]---', { t: 'trace-end' }],
    ['RIP: 0010:refcount_warn_saturate+0xc5/0x110', { t: 'fault', frame: { name: 'refcount_warn_saturate', offset: '0xc5/0x110' } } as Token],
    ['RIP: 0010:[<ffffffff8181134a>]  [<ffffffff8181134a>] next_group+0x5a/0x2e0 fs/pnode.c:172', { t: 'fault', frame: { name: 'next_group', offset: '0x5a/0x2e0' } } as Token],
    ['RIP: 0010:0x0', { t: 'fault', frame: { name: '0x0' } } as Token],
    ['RIP: 0033:0x47b7a0', { t: 'registers' }],
    ['RIP  [<ffffffff8106d4d1>] warn_slowpath_common+0x91/0xb0', { t: 'registers' }],
    ['IP: [<ffffffff8123>] foo+0x12/0x40', { t: 'fault', frame: { name: 'foo', offset: '0x12/0x40' } } as Token],
    ['EIP is at acpi_ns_internalize_name+0xd/0x83', { t: 'fault', frame: { name: 'acpi_ns_internalize_name', offset: '0xd/0x83' } } as Token],
    ['EIP: acpi_ns_internalize_name+0xd/0x83', { t: 'fault' }],
    ['EIP: 0060:[<c022a7b5>]    Not tainted VLI', { t: 'registers' }],
    ['EIP: [<c022a7b5>] acpi_ns_internalize_name+0xd/0x83 SS:ESP 0068:c7879de8', { t: 'registers' }],
    ['pc : __raw_readb+0x18/0x2c', { t: 'fault', frame: { name: '__raw_readb', offset: '0x18/0x2c' } } as Token],
    ['lr : __raw_readb+0x18/0x2c', { t: 'registers' }],
    ['epc : schedule_tail+0x72/0xb2', { t: 'fault' }],
    ['epc : ffffffe00008c762 ra : ffffffe00008c760 sp : ffffffe00853fec0', { t: 'registers' }],
    ['NIP [c000000008068dfc] .eeh_dev_check_failure+0x27c/0x390', { t: 'fault', frame: { name: 'eeh_dev_check_failure', offset: '0x27c/0x390' } } as Token],
    ['Krnl PSW : 0704f00180000000 000003ff8086d03a (will_oops_init+0x3a/0x1000 [will_oops])', { t: 'fault', frame: { name: 'will_oops_init', offset: '0x3a/0x1000', module: 'will_oops' } } as Token],
    ['PC is at foo+0x14/0x20', { t: 'fault' }],
    ['--- interrupt: 700 at .eeh_dev_check_failure+0x27c/0x390', { t: 'fault' }],
    ['RAX: ffff8e5cf5c74330 RBX: ffff8e5cf629c800 RCX: 00000000fffcc85e', { t: 'registers' }],
    ['x29: ffff0000401f7c40 x28: 0000000000000007 ', { t: 'registers' }],
    [' r7:df912310 r6:df912140 r5:c081745c r4:00000000', { t: 'registers' }],
    ['GPR00: c000000008068df8 c000000010f930b0 c0000000091380e0 0000000000000015', { t: 'registers' }],
    ['Code: 48 8b 45 c8 <0f> 0b', { t: 'code' }],
    [' 0000000000000009 ffff88014f057818 ffffffff81662d11 ffff88014f057860', { t: 'code' }],
    ['1bc0: 00000001 00000001 83369b00 00000000 826e3020 0162f70c 8129e7ac 000002c5', { t: 'code' }],
    ['CPU: 1 PID: 123 Comm: bash Not tainted 6.1.0 #1', { t: 'task', cpu: 1, pid: 123, comm: 'bash', newDump: true } as Token],
    ['CPU: 1 UID: 0 PID: 46 Comm: kworker/1:1 Not tainted 6.11.0-rc7-syzkaller #0', { t: 'task', cpu: 1, pid: 46, comm: 'kworker/1:1' } as Token],
    ['CPU: 0 PID: 7 Comm: Web Content Tainted: G        W', { t: 'task', comm: 'Web Content' } as Token],
    ['task:sh              state:D stack:0     pid:5110  ppid:1      flags:0x00000002', { t: 'task', pid: 5110, comm: 'sh' } as Token],
    ['init            D ffff88008addf688     0  2295      1 0x00000000', { t: 'task', pid: 2295, comm: 'init' } as Token],
    ['rcu_sched       R  running task        0     9      2 0x00000000', { t: 'task', pid: 9, comm: 'rcu_sched' } as Token],
    ['Process modprobe (pid: 4467, ti=c7878000 task=ce5c94c0 task.ti=c7878000)', { t: 'task', pid: 4467, comm: 'modprobe', newDump: false } as Token],
    ['  comm "modprobe", pid 2088, jiffies 4294680594 (age 375.486s)', { t: 'task', pid: 2088, comm: 'modprobe' } as Token],
    ['NMI backtrace for cpu 1', { t: 'task', cpu: 1, kind: 'NMI backtrace' } as Token],
    ['Allocated by task 12840:', { t: 'label', text: 'Allocated by task 12840', pid: 12840 } as Token],
    ['-> #1 (&mm->mmap_sem){++++}:', { t: 'label', text: '-> #1 (&mm->mmap_sem){++++}' } as Token],
    ['page last free pid 123 tgid 123 stack trace:', { t: 'label' }],
    ['<Same stack as pid 2294>', { t: 'same-stack', pid: 2294 } as Token],
    ['Last Breaking-Event-Address:', { t: 'skip-next-frame' }],
    ['[amdgpu]', { t: 'wrapped-module', module: 'amdgpu' } as Token],
  ];
  for (const [line, want] of cases) {
    it(line, () => expect(tok(line)).toMatchObject(want));
  }

  const headers: [string, string][] = [
    ['WARNING: CPU: 0 PID: 37 at drivers/gpu/drm/radeon/radeon_gart.c:235 radeon_gart_unbind+0xca/0xe0 [radeon]()', 'WARNING'],
    ['WARNING: at arch/powerpc/platforms/pseries/eeh.c:390', 'WARNING'],
    ['WARNING: possible circular locking dependency detected', 'lockdep'],
    ['WARNING: suspicious RCU usage', 'lockdep'],
    ['[ INFO: possible recursive locking detected ]', 'lockdep'],
    ['INFO: trying to register non-static key.', 'lockdep'],
    ['BUG: KASAN: use-after-free in refcount_inc_not_zero_checked+0x81/0x200', 'KASAN'],
    ['BUG: KMSAN: uninit-value in __perf_event_task_sched_in', 'KMSAN'],
    ['BUG: KFENCE: out-of-bounds read in test_out_of_bounds_read+0xa6/0x234', 'KFENCE'],
    ['BUG: unable to handle kernel NULL pointer dereference at 0000000000000286', 'Oops'],
    ['BUG: kernel NULL pointer dereference, address: 0000000000000000', 'Oops'],
    ['BUG: sleeping function called from invalid context at mm/slab.h:421', 'BUG'],
    ['kernel BUG at fs/overlayfs/namei.c:1175!', 'BUG'],
    ['Oops: 0000 [#1] SMP', 'Oops'],
    ['Internal error: Oops: 96000004 [#1] PREEMPT SMP', 'Oops'],
    ['general protection fault: 0000 [#1] SMP KASAN', 'Oops'],
    ['divide error: 0000 [#1] PREEMPT SMP KASAN', 'Oops'],
    ['Unable to handle kernel paging request at virtual address ffff800012345678', 'Oops'],
    ['UBSAN: Undefined behaviour in drivers/net/hamradio/6pack.c:843:16', 'UBSAN'],
    ['INFO: task sh:5110 blocked for more than 120 seconds.', 'hung task'],
    ['watchdog: BUG: soft lockup - CPU#1 stuck for 134s! [syz-executor0:4569]', 'soft lockup'],
    ['BUG: soft lockup - CPU#1 stuck for 22s! [syz-executor2:7067]', 'soft lockup'],
    ['NMI watchdog: Watchdog detected hard LOCKUP on cpu 3', 'hard lockup'],
    ['INFO: rcu_sched self-detected stall on CPU', 'RCU stall'],
    ['rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:', 'RCU stall'],
    ['sysrq: Show backtrace of all active CPUs', 'sysrq'],
    ['SysRq : Show Blocked State', 'sysrq'],
    ['Kernel panic - not syncing: Fatal exception in interrupt', 'panic'],
    ['unreferenced object 0xffff89862ca702e8 (size 32):', 'kmemleak'],
    ['FAULT_INJECTION: forcing a failure.', 'fault injection'],
    ['kworker/0:1 invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0', 'OOM'],
    ['syz-executor6: vmalloc: allocation failure: 8589934588 bytes', 'allocation failure'],
  ];
  for (const [line, reason] of headers) {
    it(`header: ${line}`, () => expect(tok(line)).toMatchObject({ t: 'header', reason, title: line.replace(/^\[ | \]$/g, '') }));
  }
  it('a WARNING header names the CPU and PID', () => {
    expect(tok('WARNING: CPU: 1 PID: 46 at lib/refcount.c:28 refcount_warn_saturate+0x13c/0x174')).toMatchObject({ cpu: 1, pid: 46 });
  });
  it('a hung task header names the task', () => {
    expect(tok('INFO: task syz-executor0:6102 blocked for more than 120 seconds.')).toMatchObject({ comm: 'syz-executor0', pid: 6102 });
  });
  it('histogram lines only without a kernel prefix', () => {
    expect(tokenize('Trace1 59281', { kernel: false, bpf: false })).toEqual({ t: 'count', label: 'Trace1', count: 59281 });
    expect(tokenize('Total number of rbinsert called: 188832', { kernel: false, bpf: false })).toEqual({ t: 'total', count: 188832 });
    expect(tokenize('Trace1 59281', { kernel: true, bpf: false }).t).toBe('text');
    expect(tokenize('Total swap = 0kB', { kernel: false, bpf: false }).t).not.toBe('total');
  });
});

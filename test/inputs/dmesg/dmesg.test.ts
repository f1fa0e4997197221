/**
 * The dmesg adapter end to end on small inputs: how reports become stacks (order, sections,
 * faulting locations, labels, tasks, reasons), time, histograms, options, diagnostics, and
 * inputs that are broken on purpose.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dmesg, sniffDmesg } from '../../../src/inputs/dmesg/index.js';
import { detect } from '../../../src/inputs/registry.js';
import type { InputOptions } from '../../../src/inputs/types.js';
import type { StackSample, TraceEvent, TraceInfo, TrackInfo } from '../../../src/model/events.js';
import { frameText, MAX_FRAMES } from '../../../src/model/stacks.js';
import { outputs } from '../../../src/outputs/registry.js';
import { dumpPerfetto } from '../../support/perfetto-dump.js';
import { ROOT, SAMPLES, lines, run, samplesOf } from '../../support/convert-helpers.js';

const FIXTURES = path.join(ROOT, 'test/fixtures/dmesg');
const SEED0 = path.join(FIXTURES, 'seed-000-memcached-rbinsert-histogram.txt');
const SEED1 = path.join(FIXTURES, 'seed-001-db-bench-rbinsert-histogram.txt');

interface Diag {
  code: string;
  line: number;
  message: string;
}

/** Runs the parser over a template literal (leading newline removed). */
function parse(text: string, options: InputOptions = {}, chunk = 0) {
  const diags: Diag[] = [];
  const p = dmesg.createParser({ file: 't', report: (code, line, message) => diags.push({ code, line, message: message ?? '' }), options });
  const all = text.replace(/^\n/, '').split('\n');
  if (all[all.length - 1] === '') all.pop();
  const evs: TraceEvent[] = [];
  const size = chunk || all.length || 1;
  for (let i = 0; i < all.length; i += size) evs.push(...p.push(all.slice(i, i + size), i + 1));
  evs.push(...p.end());
  const samples = evs.filter((e): e is StackSample => e.kind === 'sample');
  const tracks = new Map<number, TrackInfo>();
  for (const e of evs) if (e.kind === 'track') tracks.set(e.track.id, e.track);
  const info = evs.find((e): e is TraceInfo => e.kind === 'info')!;
  const stacks = samples.map((s) => s.frames.map(frameText).join(';'));
  const codes = (c: string) => diags.filter((d) => d.code === c).map((d) => d.line);
  return { evs, samples, tracks, info, diags, stacks, codes };
}

describe('x86 reports', () => {
  it('modern WARNING: RIP is the leaf, `?` frames dropped, <TASK> closes the trace, task from the CPU line', () => {
    const r = parse(`
[   71.427811] WARNING: CPU: 0 PID: 37 at drivers/foo.c:235 foo_unbind+0xca/0xe0 [foo]
[   71.427815] Modules linked in: foo bar
[   71.427892] CPU: 0 PID: 37 Comm: kworker/0:1 Not tainted 6.1.0 #1
[   71.427895] Hardware name: QEMU Standard PC (i440FX + PIIX, 1996)
[   71.427896] RIP: 0010:foo_unbind+0xca/0xe0 [foo]
[   71.427897] Code: 48 8b 45 c8 <0f> 0b 48 83 c4 10
[   71.427898] RSP: 0018:ffffc90000837d20 EFLAGS: 00010246
[   71.427899] RAX: 0000000000000000 RBX: ffff888003f8c000 RCX: 0000000000000000
[   71.427921] Call Trace:
[   71.427922]  <TASK>
[   71.427930]  foo_remove+0x1a/0x20 [foo]
[   71.427931]  ? kmem_cache_free+0x1cd/0x1e0
[   71.427937]  process_one_work+0x176/0x430
[   71.427941]  worker_thread+0x11b/0x3a0
[   71.427942]  kthread+0xc0/0xd0
[   71.427946]  ret_from_fork+0x7c/0xb0
[   71.427950]  </TASK>
[   71.428353] ---[ end trace 056472c3176dbd80 ]---
`);
    expect(r.stacks).toEqual(['ret_from_fork;kthread;worker_thread;process_one_work;foo_remove [foo];foo_unbind [foo]']);
    const s = r.samples[0]!;
    expect(s).toMatchObject({ reason: 'WARNING', cpu: 0, pid: 37, tid: 37, comm: 'kworker/0:1', weight: 1, ts: 71_427_811_000 });
    expect(s.title).toBe('WARNING: CPU: 0 PID: 37 at drivers/foo.c:235 foo_unbind+0xca/0xe0 [foo]');
    expect(s.args).toEqual({ line: 9 });
    expect(r.tracks.get(s.track)).toMatchObject({ kind: 'thread', tid: 37, name: 'kworker/0:1' });
    expect(s.frames.map((f) => f.context)).toEqual(['task', 'task', 'task', 'task', 'task', undefined]);
    expect(r.codes('dmesg.registers')).toEqual([7, 8]);
    expect(r.codes('dmesg.code')).toEqual([6]);
    expect(r.diags.filter((d) => d.code !== 'dmesg.registers' && d.code !== 'dmesg.code' && d.code !== 'dmesg.prose')).toEqual([]);
    expect(r.info).toMatchObject({ kind: 'info', format: 'dmesg', variant: 'kernel log', clock: 'boot' });
  });

  it('an interrupt: its frames sit on top of the interrupted task, with the RIP between them', () => {
    const r = parse(`
Call Trace:
 <IRQ>
 dump_stack+0x5c/0x7d
 should_fail+0x148/0x170
 call_function_single_interrupt+0xa2/0xb0
 </IRQ>
RIP: 0010:native_safe_halt+0x2/0x10
RSP: 0018:ffffc9000068bec0 EFLAGS: 00000246 ORIG_RAX: ffffffffffffff04
 ? __sched_text_end+0x4/0x4
 default_idle+0x18/0xf0
 do_idle+0x150/0x1d0
`);
    expect(r.stacks).toEqual(['do_idle;default_idle;native_safe_halt;call_function_single_interrupt;should_fail;dump_stack']);
    expect(r.samples[0]!.frames.map((f) => f.context)).toEqual([undefined, undefined, undefined, 'irq', 'irq', 'irq']);
    // Without timestamps: one report per microsecond, clock none.
    expect(r.samples[0]!.ts).toBe(0);
    expect(r.info.clock).toBe('none');
  });

  it('kernels before 4.14: `</IRQ>` without `<IRQ>` marks what came before as the interrupt', () => {
    const r = parse(`
[   84.000556]  dump_stack+0x5c/0x7b
[   84.000560]  timerqueue_add+0x54/0x80
[   84.000573]  apic_timer_interrupt+0xf/0x20
[   84.000574]  </IRQ>
[   84.000577] RIP: 0010:scsi_request_fn+0xd8/0x530
[   84.000578] RSP: 0000:ffff9e4240dffb68 EFLAGS: 00000246 ORIG_RAX: ffffffffffffff13
[   84.000589]  ? scsi_request_fn+0xba/0x530
[   84.000594]  __blk_run_queue+0x3a/0x60
`);
    expect(r.stacks).toEqual(['__blk_run_queue;scsi_request_fn;apic_timer_interrupt;timerqueue_add;dump_stack']);
    expect(r.samples[0]!.frames.map((f) => f.context)).toEqual([undefined, undefined, 'irq', 'irq', 'irq']);
    expect(r.samples[0]!.reason).toBe('dump_stack');
  });

  it('old `<IRQ> ... <EOI>` sections with a printk time glued after the marker', () => {
    const r = parse(`
[  420.398519] Call Trace:
[  420.406526]  <IRQ> [  420.408595]  [<ffffffff814249f9>] sched_show_task.cold.127+0x1c9/0x279
[  420.416893]  [<ffffffff810d8bfc>] rcu_check_callbacks.cold.79+0x7c2/0x8f0
[  420.503332]  <EOI> [  420.505397]  [<ffffffff812da9eb>] ? smp_call_function_single+0x11b/0x360
[  420.513882]  [<ffffffff812db1f0>] smp_call_function_many+0x3e0/0x710
`);
    expect(r.stacks).toEqual(['smp_call_function_many;rcu_check_callbacks.cold.79;sched_show_task.cold.127']);
    expect(r.diags.filter((d) => d.code === 'dmesg.bad-frame')).toEqual([]);
  });

  it('an NMI backtrace: the RIP printed before the trace goes below the NMI frames', () => {
    const text = `
[  146.941062][    C0] NMI backtrace for cpu 0
[  146.941087][    C0] CPU: 0 PID: 5599 Comm: syz.0.104 Not tainted 6.10.0-rc5 #20
[  146.941122][    C0] RIP: 0010:rb_insert_color+0xa/0x5e0
[  146.941321][    C0] Call Trace:
[  146.941326][    C0]  <NMI>
[  146.941354][    C0]  ? nmi_cpu_backtrace+0x3b5/0x4c0
[  146.941539][    C0]  ? exc_nmi+0x12d/0x200
[  146.941615][    C0]  </NMI>
[  146.941620][    C0]  <TASK>
[  146.941626][    C0]  timerqueue_add+0x24d/0x280
[  146.941649][    C0]  enqueue_hrtimer+0x11c/0x300
[  146.942248][    C0]  </TASK>
`;
    expect(parse(text).stacks).toEqual(['enqueue_hrtimer;timerqueue_add;rb_insert_color']);
    expect(parse(text, { unreliable: true }).stacks).toEqual(['enqueue_hrtimer;timerqueue_add;rb_insert_color;? exc_nmi;? nmi_cpu_backtrace']);
    expect(parse(text).samples[0]).toMatchObject({ cpu: 0, pid: 5599, comm: 'syz.0.104', reason: 'NMI backtrace' });
  });

  it('old address frames, module suffixes, hex stack words, x86_32 `EIP is at` and `Process` lines', () => {
    const r = parse(`
BUG: unable to handle kernel NULL pointer dereference at virtual address 00000008
 printing eip:
Oops: 0000 [#1]
EIP:    0060:[<c022a7b5>]    Not tainted VLI
EIP is at acpi_ns_internalize_name+0xd/0x83
eax: 00000008   ebx: 00000000   ecx: 00000000   edx: c7879e54
Process modprobe (pid: 4467, ti=c7878000 task=ce5c94c0 task.ti=c7878000)
Stack: 00000000 00000000 d0b97e60 00008080 c01c4390 d0b97e60 00000000 00000000
       d0b980c0 00000000 c7879e70 c022a85c d0b97e60 c795d030 c7c604e0 c01c44ef
Call Trace:
 [<c01c4390>] __sysfs_new_dirent+0x20/0x50
 [<d0b910b7>] drv_acpi_handle_init+0x37/0x90 [thinkpad_acpi]
 [<c01041d2>] sysenter_past_esp+0x6b/0xa9
EIP: [<c022a7b5>] acpi_ns_internalize_name+0xd/0x83 SS:ESP 0068:c7879de8
`);
    expect(r.stacks).toEqual(['sysenter_past_esp;drv_acpi_handle_init [thinkpad_acpi];__sysfs_new_dirent;acpi_ns_internalize_name']);
    // `Oops:` right after `BUG: unable to handle` is the same report.
    expect(r.samples[0]).toMatchObject({ reason: 'Oops', pid: 4467, comm: 'modprobe', title: 'BUG: unable to handle kernel NULL pointer dereference at virtual address 00000008' });
    expect(r.codes('dmesg.code')).toEqual([8, 9]);
  });

  it('a user-space RIP is not a frame; the RIP recap after `end trace` is not a new report', () => {
    const r = parse(`
[  922.606545] Call Trace:
[  922.606578]  <TASK>
[  922.606630]  __schedule+0x34d/0xa00
[  922.607828]  entry_SYSCALL_64_after_hwframe+0x6e/0xd8
[  922.607862] RIP: 0033:0x47b5e1
[  922.607911] RSP: 002b:00007fff8d196bf0 EFLAGS: 00000202 ORIG_RAX: 0000000000000101
[  922.608058]  </TASK>
[  922.608059] ---[ end trace 0000000000000000 ]---
[  922.608060] RIP: 0010:crc32_lsb_pclmul_sse+0x8f/0x220
[  922.608061] RSP: 0018:ffffc9001bcae6f8 EFLAGS: 00010296
`);
    expect(r.stacks).toEqual(['entry_SYSCALL_64_after_hwframe;__schedule']);
    expect(r.codes('dmesg.registers')).toEqual([5, 6, 9, 10]);
    expect(r.codes('dmesg.truncated')).toEqual([]);
  });

  it('symbolised reports: inlined frames kept, two RIP lines (inline, then the function) before the trace', () => {
    const r = parse(`
RIP: 0010:snd_pcm_lib_ioctl_fifo_size sound/core/pcm_lib.c:1739 [inline]
RIP: 0010:snd_pcm_lib_ioctl+0x73e/0x75c sound/core/pcm_lib.c:1764
Call Trace:
 snd_pcm_ops_ioctl sound/core/pcm_native.c:220 [inline]
 snd_pcm_hw_refine+0x1f2/0x300 sound/core/pcm_native.c:430
`);
    expect(r.stacks).toEqual(['snd_pcm_hw_refine;snd_pcm_ops_ioctl;snd_pcm_lib_ioctl;snd_pcm_lib_ioctl_fifo_size']);
  });

  it('a report with a faulting location and no trace keeps that one frame, with a warning', () => {
    const r = parse(`
BUG: kernel NULL pointer dereference, address: 0000000000000000
Oops: 0010 [#1] PREEMPT SMP KASAN
CPU: 0 PID: 15551 Comm: syz-executor.1 Not tainted 5.13.0-rc4-syzkaller #0
RIP: 0010:0x0
Code: Unable to access opcode bytes at RIP 0xffffffffffffffd6.
`);
    expect(r.stacks).toEqual(['0x0']);
    expect(r.samples[0]!.args).toEqual({ line: 4, truncated: true });
    expect(r.codes('dmesg.truncated')).toEqual([4]);
  });
});

describe('other architectures', () => {
  it('arm64: `pc :` then `Call trace:` starting with the same function is one frame', () => {
    const r = parse(`
[  211.592905][    T1] Internal error: synchronous external abort: 96000010 [#1] PREEMPT SMP
[  211.598101][    T1] CPU: 0 PID: 1 Comm: swapper/0 Not tainted 5.9.0 #11
[  211.599762][    T1] pstate: 40000005 (nZcv daif -PAN -UAO -TCO BTYPE=--)
[  211.600602][    T1] pc : __raw_readb+0x18/0x2c
[  211.601220][    T1] lr : __raw_readb+0x18/0x2c
[  211.602276][    T1] x29: ffff0000401f7c40 x28: 0000000000000007
[  211.615210][    T1] Call trace:
[  211.616071][    T1]  __raw_readb+0x18/0x2c
[  211.616694][    T1]  logic_inb+0x50/0x13c
[  211.619667][    T1]  ret_from_fork+0x10/0x30
[  211.620699][    T1] Code: 910003fd f9000bf3 aa0003f3 97932e41 (08dffe60)
[  211.622487][    T1] ---[ end trace ec5638d8e916ae8b ]---
`);
    expect(r.stacks).toEqual(['ret_from_fork;logic_inb;__raw_readb']);
    expect(r.samples[0]).toMatchObject({ reason: 'Oops', pid: 1, comm: 'swapper/0', cpu: 0 });
    expect(r.info.notes).toMatchObject({ caller_ids: 'yes' });
  });

  it('arm32: callee-from-caller chains, the exception entry frame, a noreturn artefact, a lost caller', () => {
    const r = parse(`
Backtrace:
[<c0014318>] (dump_backtrace) from [<c001457c>] (show_stack+0x24/0x2c)
 r7:df912310 r6:df912140 r5:c081745c r4:00000000
[<c0014558>] (show_stack) from [<c059798c>] (dump_stack+0x7c/0xc8)
[<c0597910>] (dump_stack) from [<c05946f4>] (panic+0x98/0x218)
[<8195de5c>] (panic) from [<802421e4>] (get_taint+0x0/0x1c)
[<80242170>] (check_panic_on_warn) from [<80242338>] (__warn+0x7c/0x180)
[<807bcea0>] (__warn) from [<80100b30>] (__irq_svc+0x70/0x98)
Exception stack(0x83381bc0 to 0x83381c08)
1bc0: 00000001 00000001 83369b00 00000000 826e3020 0162f70c 8129e7ac 000002c5
[<803e2f90>] (__d_lookup) from [<803c9480>] (lookup_fast+0x124/0x2a8)
[<8013479c>] (lookup_fast) from [<00000000>] (  (null))
`);
    expect(r.stacks).toEqual(['lookup_fast;__d_lookup;__irq_svc;__warn;check_panic_on_warn;panic;dump_stack;show_stack;dump_backtrace']);
    expect(parse(r.evs.length ? `
[<c0014318>] (dump_backtrace) from [<c001457c>] (show_stack+0x24/0x2c)
[<c0014558>] (show_stack) from [<c059798c>] (dump_stack+0x7c/0xc8)
` : '', { offsets: true }).stacks).toEqual(['dump_stack+0x7c/0xc8;show_stack+0x24/0x2c;dump_backtrace']);
  });

  it('powerpc: NIP is the leaf, dot symbols, `(unreliable)`, an interrupt frame inside the trace', () => {
    const r = parse(`
NIP [c000000008068dfc] .eeh_dev_check_failure+0x27c/0x390
LR [c000000008068df8] .eeh_dev_check_failure+0x278/0x390
Call Trace:
[c000000010f930b0] [c000000008068df8] .eeh_dev_check_failure+0x278/0x390 (unreliable)
[c000000010f93150] [c000000008028668] .rtas_read_config+0x128/0x170
--- interrupt: 501 at .arch_local_irq_restore+0x7c/0x90
    LR = .arch_local_irq_restore+0x7c/0x90
[c000000010f93e30] [c000000008009ed4] syscall_exit+0x0/0x98
Instruction dump:
60000000 7f44d378 7f63db78 486c7eb9 60000000 7fe3fb78 48002d4d 60000000
`);
    expect(r.stacks).toEqual(['syscall_exit;arch_local_irq_restore;rtas_read_config;eeh_dev_check_failure']);
    expect(r.codes('dmesg.code')).toEqual([9, 10]);
  });

  it('s390: the PSW names the leaf; the frame after `Last Breaking-Event-Address:` is not part of the trace', () => {
    const r = parse(`
[16164.389614] Krnl PSW : 0704f00180000000 000003ff8086d03a (will_oops_init+0x3a/0x1000 [will_oops])
[16164.398666] Call Trace:
[16164.398670] ([<000003ff8086d036>] will_oops_init+0x36/0x1000 [will_oops])
[16164.398685]  [<000000000010014e>] do_one_initcall+0xce/0x160
[16164.400586] Last Breaking-Event-Address:
[16164.400588]  [<000003ff8086d036>] will_oops_init+0x36/0x1000 [will_oops]
[16164.400600] ---[ end trace 4e37b1eb61ae9844 ]---
`);
    expect(r.stacks).toEqual(['do_one_initcall;will_oops_init [will_oops]']);
  });

  it('riscv: `epc :` with a symbol is the leaf, with an address it is a register line', () => {
    const r = parse(`
[  472.679566][ T5233] epc : schedule_tail+0x72/0xb2
[  472.680826][ T5233]  ra : schedule_tail+0x70/0xb2
[  472.681820][ T5233] epc : ffffffe00008c762 ra : ffffffe00008c760 sp : ffffffe00853fec0
[  472.694320][ T5233] Call Trace:
[  472.694969][ T5233] [<ffffffe00008c762>] schedule_tail+0x72/0xb2
[  472.696215][ T5233] [<ffffffe000005570>] ret_from_exception+0x0/0x14
`);
    expect(r.stacks).toEqual(['ret_from_exception;schedule_tail']);
    expect(r.codes('dmesg.registers')).toEqual([2, 3]);
  });
});

describe('reports with several stacks', () => {
  it('KASAN: the access stack, then `Allocated by task`/`Freed by task` stacks of those tasks', () => {
    const r = parse(`
[  334.239022][T12837] BUG: KASAN: use-after-free in refcount_inc_not_zero_checked+0x81/0x200
[  334.258012][T12837] CPU: 1 PID: 12837 Comm: syz-executor.5 Not tainted 5.1.0-rc5+ #72
[  334.276036][T12837] Call Trace:
[  334.279336][T12837]  dump_stack+0x172/0x1f0
[  334.354311][T12837]  nr_release+0x62/0x3c0
[  334.473346][T12837]
[  334.475694][T12837] Allocated by task 12840:
[  334.480117][T12837]  save_stack+0x45/0xd0
[  334.511032][T12837]  nr_create+0xb9/0x5e0
[  334.539416][T12837]
[  334.541732][T12837] Freed by task 12837:
[  334.545794][T12837]  save_stack+0x45/0xd0
[  334.580159][T12837]  nr_release+0x337/0x3c0
[  334.621956][T12837]
[  334.624279][T12837] The buggy address belongs to the object at ffff88808bb14180
`);
    expect(r.stacks).toEqual(['nr_release;dump_stack', 'nr_create;save_stack', 'nr_release;save_stack']);
    expect(r.samples.map((s) => [s.reason, s.pid, s.comm, s.args?.label])).toEqual([
      ['KASAN', 12837, 'syz-executor.5', undefined],
      ['KASAN', 12840, undefined, 'Allocated by task 12840'],
      ['KASAN', 12837, 'syz-executor.5', 'Freed by task 12837'],
    ]);
    expect(r.samples[1]!.title).toBe('Allocated by task 12840 — BUG: KASAN: use-after-free in refcount_inc_not_zero_checked+0x81/0x200');
    expect(r.samples[0]!.ts).toBe(334_239_022_000);
    expect(r.samples[1]!.ts).toBe(334_480_117_000);
    expect(r.tracks.get(r.samples[1]!.track)).toMatchObject({ tid: 12840, name: 'pid 12840' });
  });

  it('lockdep: each `-> #N` dependency is a stack, then the report’s own trace', () => {
    const r = parse(`
======================================================
[ INFO: possible circular locking dependency detected ]
the existing dependency chain (in reverse order) is:
-> #1 (PD-uobj){++++++}:
       [<ffffffff81070898>] lock_acquire+0xbf/0xfe
       [<ffffffff8138ecf0>] down_read+0x34/0x43
-> #0 (SRQ-uobj){+++++.}:
       [<ffffffff81070898>] lock_acquire+0xbf/0xfe
       [<ffffffffa00af51b>] idr_read_uobj+0x2f/0x4d [ib_uverbs]
 Possible unsafe locking scenario:
stack backtrace:
Pid: 2484, comm: ibv_srq_pingpon Not tainted 3.4.0-rc5+ #34
Call Trace:
 [<ffffffff8137eff0>] print_circular_bug+0x1f8/0x209
 [<ffffffff81070898>] lock_acquire+0xbf/0xfe
`);
    expect(r.stacks).toEqual(['down_read;lock_acquire', 'idr_read_uobj [ib_uverbs];lock_acquire', 'lock_acquire;print_circular_bug']);
    expect(r.samples.map((s) => s.reason)).toEqual(['lockdep', 'lockdep', 'lockdep']);
    expect(r.samples.map((s) => s.args?.label)).toEqual(['-> #1 (PD-uobj){++++++}', '-> #0 (SRQ-uobj){+++++.}', undefined]);
    expect(r.samples[2]).toMatchObject({ pid: 2484, comm: 'ibv_srq_pingpon' });
  });

  it('sysrq-t and hung tasks: every `task:` line names the next stack; `<Same stack as pid N>` repeats one', () => {
    const r = parse(`
[  925.423980] sysrq: Show State
[  925.425187] task:kthreadd        state:S stack:0     pid:2     ppid:0      flags:0x00004000
[  925.425219] Call Trace:
[  925.425251]  __schedule+0x34d/0xa00
[  925.425370]  ret_from_fork+0x22/0x30
[  925.425460] init            D ffff88008adef688     0  2296      1 0x00000000
[  925.425461] Call Trace:
[  925.425462] <Same stack as pid 2>
[  926.000000] INFO: task sh:5110 blocked for more than 2 seconds.
[  926.000001] task:sh              state:D stack:0     pid:5110  ppid:1      flags:0x00000002
[  926.000002] Call Trace:
[  926.000003]  schedule+0x5a/0xd0
`);
    expect(r.stacks).toEqual(['ret_from_fork;__schedule', 'ret_from_fork;__schedule', 'schedule']);
    expect(r.samples.map((s) => [s.reason, s.pid, s.comm])).toEqual([
      ['sysrq', 2, 'kthreadd'],
      ['sysrq', 2296, 'init'],
      ['hung task', 5110, 'sh'],
    ]);
    expect(r.samples[1]!.args).toMatchObject({ same_as_pid: 2 });
  });

  it('kmemleak: the object’s task and its backtrace, a bare address frame included', () => {
    const r = parse(`
unreferenced object 0xffff89862ca702e8 (size 32):
  comm "modprobe", pid 2088, jiffies 4294680594 (age 375.486s)
  hex dump (first 32 bytes):
    6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b  kkkkkkkkkkkkkkkk
  backtrace:
    [<00000000e0a73ec7>] 0xffffffffc01d2036
    [<000000000c5d2a46>] do_one_initcall+0x41/0x1df
`);
    expect(r.stacks).toEqual(['do_one_initcall;0xffffffffc01d2036']);
    expect(r.samples[0]).toMatchObject({ reason: 'kmemleak', pid: 2088, comm: 'modprobe' });
  });

  it('an idle task (pid 0) gets its CPU’s swapper lane', () => {
    const r = parse(`
CPU: 1 PID: 0 Comm: swapper/1 Not tainted 4.15.0-rc8+ #4
Call Trace:
 dump_stack+0x5c/0x7d
`);
    expect(r.tracks.get(r.samples[0]!.track)).toMatchObject({ kind: 'thread', name: 'swapper/1', cpu: 1 });
  });

  it('a trace with no task is on the `kernel log` lane', () => {
    const r = parse(' dump_stack+0x5c/0x7d\n');
    expect(r.tracks.get(r.samples[0]!.track)).toMatchObject({ kind: 'global', name: 'kernel log' });
  });
});

describe('interleaving and damage', () => {
  it('caller ids take two tasks printing at once apart', () => {
    const r = parse(`
[   10.000001][  T100] WARNING: CPU: 0 PID: 100 at a.c:1 a_func+0x1/0x10
[   10.000002][  T200] BUG: sleeping function called from invalid context at b.c:2
[   10.000003][  T100] CPU: 0 PID: 100 Comm: alpha Not tainted 6.1.0 #1
[   10.000004][  T200] CPU: 1 PID: 200 Comm: beta Not tainted 6.1.0 #1
[   10.000005][  T100] Call Trace:
[   10.000006][  T200] Call Trace:
[   10.000007][  T100]  <TASK>
[   10.000008][  T200]  <TASK>
[   10.000009][  T100]  a_two+0x1/0x10
[   10.000010][  T200]  b_two+0x1/0x10
[   10.000011][  T100]  a_one+0x1/0x10
[   10.000012][  T200]  b_one+0x1/0x10
[   10.000013][  T100]  </TASK>
[   10.000014][  T200]  </TASK>
`);
    expect(r.stacks).toEqual(['a_one;a_two', 'b_one;b_two']);
    expect(r.samples.map((s) => [s.reason, s.comm, s.cpu])).toEqual([
      ['WARNING', 'alpha', 0],
      ['BUG', 'beta', 1],
    ]);
    expect(r.diags.filter((d) => d.code !== 'dmesg.prose')).toEqual([]);
  });

  it('without caller ids a foreign line inside a trace is a warning with its line, and the trace goes on', () => {
    const r = parse(`
[  361.297131] Call Trace:
[  361.299714]  [<ffffffff829f5a8c>] schedule+0x9c/0x1b0
[  361.300009] unregister_netdevice: waiting for lo to become free. Usage count = 6
[  361.312401]  [<ffffffff829f6315>] schedule_preempt_disabled+0x15/0x20
`);
    expect(r.stacks).toEqual(['schedule_preempt_disabled;schedule']);
    expect(r.codes('dmesg.interleaved')).toEqual([3]);
  });

  it('more than three foreign lines end the trace; they were prose after it', () => {
    const r = parse(`
Call Trace:
 schedule+0x9c/0x1b0
one
two
three
four
 other_trace+0x1/0x2
`);
    expect(r.stacks).toEqual(['schedule', 'other_trace']);
    expect(r.codes('dmesg.prose')).toEqual([3, 4, 5, 6]);
    expect(r.codes('dmesg.interleaved')).toEqual([]);
  });

  it('a trace cut inside <TASK>/<IRQ> keeps its frames, with a warning at its start', () => {
    const r = parse(`
[    3.805471] Call Trace:
[    3.805478]  <IRQ>  [<ffffffff81b2e7d9>] dump_stack+0x45/0x6c
[    3.805483]  [<ffffffff81bcb87d>] ubsan_epilogue+0xd/0x40
`);
    expect(r.stacks).toEqual(['ubsan_epilogue;dump_stack']);
    expect(r.codes('dmesg.truncated')).toEqual([1]);
    expect(r.samples[0]!.args).toMatchObject({ truncated: true });
  });

  it('a `Call Trace:` with nothing after it is a warning and no stack', () => {
    const r = parse(`
Call Trace:
Kernel Offset: disabled
Rebooting in 86400 seconds..
`);
    expect(r.samples).toEqual([]);
    expect(r.codes('dmesg.empty-trace')).toEqual([1]);
  });

  it('an unreadable frame inside a trace is a warning; the trace keeps the rest', () => {
    const r = parse(`
Call Trace:
 [<ffffffff81662d11>] dump_stack+0x45/0x56
 [<ffffffff810691dd>] warn_slowpath_common+0x7d/0xa0 ??garbage??
 [<ffffffff8106924c>] warn_slowpath_fmt+0x4c/0x50
`);
    expect(r.stacks).toEqual(['warn_slowpath_fmt;dump_stack']);
    expect(r.codes('dmesg.bad-frame')).toEqual([3]);
  });

  it(`a stack longer than ${MAX_FRAMES} frames is capped, said once`, () => {
    const body = Array.from({ length: MAX_FRAMES + 40 }, (_, i) => ` f${i}+0x1/0x2`).join('\n');
    const r = parse(`Call Trace:\n${body}\n`);
    expect(r.samples[0]!.frames.length).toBe(MAX_FRAMES);
    expect(r.samples[0]!.frames[MAX_FRAMES - 1]!.name).toBe('f0');
    expect(r.codes('dmesg.frames-capped')).toEqual([MAX_FRAMES + 2]);
  });

  it('a mailer-wrapped `[module]` line is joined to its frame', () => {
    const r = parse(`
Jul 26 22:35:49 dagon kernel: Call Trace:
Jul 26 22:35:49 dagon kernel:  amdgpu_device_gpu_recover_imp.cold+0x55c/0x8f9
[amdgpu]
Jul 26 22:35:49 dagon kernel:  amdgpu_job_timedout+0x151/0x180 [amdgpu]
`);
    expect(r.stacks).toEqual(['amdgpu_job_timedout [amdgpu];amdgpu_device_gpu_recover_imp.cold [amdgpu]']);
    expect(r.codes('dmesg.joined-line')).toEqual([3]);
    expect(r.info.variant).toBe('syslog/journal');
    expect(r.info.clock).toBe('absolute');
  });

  it('prose outside traces is counted, line by line', () => {
    const r = parse('Linux version 6.1.0\nhello\n\n dump_stack+0x5c/0x7b\n');
    expect(r.codes('dmesg.prose')).toEqual([1, 2]);
  });
});

describe('time', () => {
  it('printk times are ns since boot; the first trace of a report is at its header', () => {
    const r = parse(`
[    1.000000] WARNING: CPU: 0 PID: 1 at a.c:1 f+0x1/0x2
[    1.500000] Call Trace:
[    1.500001]  f+0x1/0x2
[    2.000000] CPU: 0 PID: 1 Comm: init Not tainted
[    2.250000] Call Trace:
[    2.250001]  g+0x1/0x2
`);
    expect(r.samples.map((s) => s.ts)).toEqual([1_000_000_000, 2_250_000_000]);
    expect(r.info.clock).toBe('boot');
  });

  it('ISO dates: absolute clock rebased to the first stamp', () => {
    const r = parse(`
2026-11-21T21:50:00,600616+00:00 sysrq: Show Blocked State
2026-11-21T21:50:00,606545+00:00 Call Trace:
2026-11-21T21:50:02,000000+00:00  __schedule+0x34d/0xa00
2026-11-21T21:50:03,000000+00:00 Call Trace:
2026-11-21T21:50:03,000001+00:00  __schedule+0x34d/0xa00
`);
    expect(r.samples.map((s) => s.ts)).toEqual([600_616_000, 3_000_000_000]);
    expect(r.info).toMatchObject({ clock: 'absolute', clockOriginNs: `${Date.UTC(2026, 10, 21, 21, 50, 0) / 1000}000000000` });
  });

  it('time-of-day stamps roll over at midnight', () => {
    const r = parse(`
[Mon Jul 25 23:59:59 2022] Call Trace:
[Mon Jul 25 23:59:59 2022]  a+0x1/0x2
[Tue Jul 26 00:00:01 2022] Call Trace:
[Tue Jul 26 00:00:01 2022]  b+0x1/0x2
`);
    expect(r.samples.map((s) => s.ts)).toEqual([0, 2_000_000_000]);
    expect(r.info).toMatchObject({ clock: 'absolute', clockOriginNs: `${86399}000000000` });
  });

  it('no time at all: one report per microsecond, in file order', () => {
    const r = parse('Call Trace:\n a+0x1/0x2\n\nCall Trace:\n b+0x1/0x2\n');
    expect(r.samples.map((s) => s.ts)).toEqual([0, 1000]);
    expect(r.info.clock).toBe('none');
    expect(r.info.notes?.timeline).toMatch(/one microsecond apart/);
  });
});

describe('stack histograms', () => {
  it('the seeds’ layout: a count, a stack, prose; the stated total is checked', () => {
    const r = parse(`
Total number of rbinsert called: 10

Trace1 7
[   84.000428]  dump_stack+0x5c/0x7b
[   84.000431]  enqueue_task_fair+0x586/0x1300

This is for the process wake up.

Trace2 4

119[   54.901272]  tcp_write_xmit+0x270/0x10a0
120[   54.901273]  ? set_fd_set+0x1e/0x30
121[   54.901275]  tcp_sendmsg+0x22/0x40
`);
    expect(r.stacks).toEqual(['enqueue_task_fair;dump_stack', 'tcp_sendmsg;tcp_write_xmit']);
    expect(r.samples.map((s) => [s.weight, s.reason, s.title, s.ts, s.args?.line])).toEqual([
      [7, 'histogram', 'Trace1', 0, 3],
      [4, 'histogram', 'Trace2', 1000, 9],
    ]);
    expect(r.diags.filter((d) => d.code === 'dmesg.total-mismatch')).toEqual([
      { code: 'dmesg.total-mismatch', line: 1, message: 'stated total 10, the listed stacks sum to 11 (+1)' },
    ]);
    expect(r.info).toMatchObject({ variant: 'stack histogram', clock: 'none' });
    expect(r.info.notes).toMatchObject({ histogram_entries: '2', histogram_total: '11', stated_total: '10', line_numbers: 'removed' });
  });

  it('a matching total is no warning; a count of 0 observed nothing; a count not followed by a stack is prose', () => {
    const r = parse(`
Total: 5
A 5
 a+0x1/0x2

B 0
 b+0x1/0x2

C 3
nothing here
`);
    expect(r.stacks).toEqual(['a']);
    expect(r.codes('dmesg.total-mismatch')).toEqual([]);
    expect(r.codes('dmesg.prose')).toEqual([8, 9]);
  });

  it('bpftrace kstack maps: `@[...]: N`, keys with a comm, perf-style frames', () => {
    const r = parse(`
Attaching 1 probe...
@[
    __schedule+845
    schedule+90
]: 3
@stacks[sshd,
\tffffffffa2d3a0fd __schedule+845 ([kernel.kallsyms])
\tffffffffa2801f62 ret_from_fork+34 ([kernel.kallsyms])
]: 2
`);
    expect(r.stacks).toEqual(['schedule;__schedule', 'ret_from_fork;__schedule']);
    expect(r.samples.map((s) => [s.weight, s.title, s.comm])).toEqual([
      [3, '@', undefined],
      [2, '@stacks', 'sshd'],
    ]);
    expect(parse('@[\n    f+5\n]: 1\n', { offsets: true }).stacks).toEqual(['f+5']);
    expect(r.info.variant).toBe('bpftrace');
  });

  it('both seeds: folded reproduces every per-trace count; the stated totals differ from the sums', async () => {
    const seeds: [string, number[], number, number][] = [
      [SEED0, [59281, 52150, 57501, 25480, 728, 446], 188832, 195586],
      [SEED1, [614697, 329874, 208215, 16668, 16083, 5193, 748], 1203418, 1191478],
    ];
    for (const [file, counts, stated, sum] of seeds) {
      const { text, diags } = await run(file, 'folded');
      const got = text
        .trim()
        .split('\n')
        .map((l) => Number(l.slice(l.lastIndexOf(' ') + 1)));
      expect(got.slice().sort((a, b) => a - b)).toEqual(counts.slice().sort((a, b) => a - b));
      expect(got.reduce((a, b) => a + b, 0)).toBe(sum);
      const mismatch = diags.filter((d) => d.code === 'dmesg.total-mismatch');
      expect(mismatch.map((d) => d.message)).toEqual([`stated total ${stated}, the listed stacks sum to ${sum} (${sum > stated ? '+' : ''}${sum - stated})`]);
    }
  });

  it('seed 000 Trace4: the interrupt frames above the interrupted readahead, RIP between', async () => {
    const { text } = await run(SEED0, 'folded');
    expect(text).toContain(
      'async_page_fault;__do_page_fault;__handle_mm_fault;__do_fault;ext4_filemap_fault;filemap_fault;ondemand_readahead;__do_page_cache_readahead;blk_finish_plug;blk_flush_plug_list;__blk_run_queue;scsi_request_fn;apic_timer_interrupt;smp_apic_timer_interrupt;hrtimer_interrupt;__hrtimer_run_queues;enqueue_hrtimer;timerqueue_add;dump_stack 25480\n',
    );
  });

  it('the top output of a seed: its own report, ranked, shares, stated total', async () => {
    const { text } = await run(SEED1, 'top');
    const heads = text.split('\n').filter((l) => /^#\d/.test(l));
    expect(heads[0]).toBe('#1  614697  51.59%  Trace1 [histogram]');
    expect(heads.length).toBe(7);
    expect(text).toContain('# 7 distinct stacks from 7 observations, total count 1191478\n# stated total 1203418 (the listed stacks sum to 1191478, -11940)\n');
  });
});

describe('options', () => {
  const text = `
Call Trace:
 dump_stack+0x5c/0x7b
 ? stale+0x1/0x2
 nvme_should_fail+0x30/0x60 [nvme_core]
`;
  it('defaults: no offsets, no `?` frames, modules kept', () => {
    expect(parse(text).stacks).toEqual(['nvme_should_fail [nvme_core];dump_stack']);
  });
  it('--offsets --unreliable --no-modules', () => {
    expect(parse(text, { offsets: true, unreliable: true, modules: false }).stacks).toEqual([
      'nvme_should_fail+0x30/0x60;? stale+0x1/0x2;dump_stack+0x5c/0x7b',
    ]);
  });
  it('through convert(): folded lines follow the options', async () => {
    const r = await run(lines(text), 'folded', { from: 'dmesg', inputOptions: { unreliable: true } });
    expect(r.text).toBe('nvme_should_fail [nvme_core];? stale;dump_stack 1\n');
  });
  it('a stack of `?` frames only is kept (old x86_32 without frame pointers), with an info', () => {
    const r = parse('Call Trace:\n [<c12ba080>] ? dump_stack+0x44/0x64\n [<c103ed6a>] ? __warn+0xfa/0x120\n');
    expect(r.stacks).toEqual(['? __warn;? dump_stack']);
    expect(r.codes('dmesg.only-unreliable')).toEqual([1]);
  });
});

describe('detection', () => {
  it('every dmesg sample is detected as dmesg', () => {
    for (const s of samplesOf('dmesg')) {
      const head = fs.readFileSync(path.join(SAMPLES, 'dmesg', s), 'utf8');
      expect(detect(head).adapter?.name, s).toBe('dmesg');
    }
  });
  it('function_graph and lttng samples are never claimed', () => {
    for (const input of ['function-graph', 'lttng-text']) {
      for (const s of samplesOf(input)) {
        const head = fs.readFileSync(path.join(SAMPLES, input, s), 'utf8').slice(0, 65536);
        expect(sniffDmesg(head), `${input}/${s}`).not.toBe('yes');
      }
    }
  });
  it('a kernel log that embeds an ftrace dump is dmesg, not function_graph', () => {
    const head = fs.readFileSync(path.join(SAMPLES, 'dmesg', 'kernel-log-with-ftrace-dump.txt'), 'utf8');
    expect(detect(head).adapter?.name).toBe('dmesg');
  });
  it('answers no to plain prose and maybe to a little kernel log', () => {
    expect(sniffDmesg('hello\nworld\n')).toBe('no');
    expect(sniffDmesg('[    0.000000] Linux version 6.1.0\n[    0.000001] Command line: quiet\n[    0.000002] x\n[    0.000003] y\n')).toBe('maybe');
    expect(sniffDmesg(Array.from({ length: 10 }, (_, i) => `[    0.00000${i}] boot message ${i}`).join('\n'))).toBe('yes');
  });
});

describe('bad input never crashes and gives a valid output', () => {
  const check = async (input: Uint8Array, expectCodes: string[]) => {
    for (const o of outputs) {
      const r = await run(input, o.name, { from: 'dmesg', inputName: 'bad' });
      for (const c of expectCodes) expect(r.diags.some((d) => d.code === c), `${o.name}: ${c}`).toBe(true);
      if (o.name === 'chrome-json') expect(() => JSON.parse(r.text)).not.toThrow();
      if (o.name === 'perfetto') expect(dumpPerfetto(r.out).length).toBeGreaterThan(0);
      if (o.name === 'csv') expect(r.text.startsWith('kind,ts_ns')).toBe(true);
      if (o.name === 'top') expect(r.text.startsWith('# tracebridge top')).toBe(true);
    }
  };

  it('binary garbage', async () => {
    const b = new Uint8Array(64 * 1024);
    let x = 12345;
    for (let i = 0; i < b.length; i++) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      b[i] = x >> 16;
    }
    await check(b, ['input.binary']);
  });

  it('a 50 MB line between two traces', async () => {
    const head = Buffer.from('Call Trace:\n a+0x1/0x2\n\n');
    const tail = Buffer.from('\nCall Trace:\n b+0x1/0x2\n');
    const big = Buffer.alloc(50 * 1024 * 1024, 0x61);
    const input = new Uint8Array(Buffer.concat([head, big, tail]));
    const r = await run(input, 'folded', { from: 'dmesg' });
    expect(r.text).toBe('a 1\nb 1\n');
    expect(r.diags.some((d) => d.code === 'input.long-line' && d.line === 4)).toBe(true);
  }, 120_000);

  it('invalid UTF-8 inside a trace', async () => {
    const input = new Uint8Array(Buffer.concat([Buffer.from('Call Trace:\n a+0x1/0x2\n b\xff\xfe'), Buffer.from([0xff, 0xfe]), Buffer.from('+0x1/0x2\n c+0x1/0x2\n')]));
    await check(input, ['input.invalid-utf8']);
    expect((await run(input, 'folded', { from: 'dmesg' })).text).toBe('c;a 1\n');
  });

  it('a file cut in the middle of a frame line', async () => {
    const full = fs.readFileSync(path.join(SAMPLES, 'dmesg', 'x86-warning-task-sections-caller-ids.txt'));
    const cut = full.subarray(0, full.indexOf(Buffer.from('__fput')) + 3);
    await check(new Uint8Array(cut), ['dmesg.truncated']);
  });

  it('an empty file', async () => {
    await check(new Uint8Array(0), []);
    const r = await run(new Uint8Array(0), 'folded');
    expect(r.diags.map((d) => d.code)).toContain('input.empty');
    expect(r.text).toBe('');
  });

  it('chunking does not change the stacks (lines split by the reader anywhere)', () => {
    const text = fs.readFileSync(path.join(SAMPLES, 'dmesg', 'rcu-stall-nmi-backtrace.txt'), 'utf8');
    const whole = parse(text);
    for (const n of [1, 3, 17]) expect(parse(text, {}, n).evs).toEqual(whole.evs);
  });
});

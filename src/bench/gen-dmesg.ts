/**
 * A realistic kernel log for benchmarks: printk timestamps with caller ids, ordinary driver and
 * subsystem messages between reports, and reports (WARNING, BUG, hung task, RCU stall) with
 * register dumps, `Code:` lines and x86 call traces (`<TASK>`/`<IRQ>` sections, `?` frames,
 * offsets, module suffixes) drawn from a fixed set of stacks, as a fleet of machines repeats the
 * same few bugs. Deterministic: the same size gives the same bytes.
 */
import { writeText } from './write-text.js';
import { rng } from './gen-function-graph.js';

const FRAMES = [
  'dump_stack_lvl', '__warn', 'report_bug', 'handle_bug', 'exc_invalid_op', 'asm_exc_invalid_op',
  'refcount_warn_saturate', '__vma_enter_locked', '__vma_start_write', 'vma_modify', 'userfaultfd_release',
  '__fput', 'task_work_run', 'do_exit', 'do_group_exit', '__x64_sys_exit_group', 'x64_sys_call',
  'do_syscall_64', 'entry_SYSCALL_64_after_hwframe', 'schedule', 'schedule_timeout', 'io_schedule',
  'wait_for_completion', 'blk_execute_rq', 'nvme_submit_user_cmd', 'ext4_writepages', 'do_writepages',
  'filemap_fdatawrite_wbc', 'ksys_write', 'vfs_write', 'tcp_sendmsg_locked', 'tcp_sendmsg',
  'sock_sendmsg', '__sys_sendto', 'kmem_cache_alloc', 'kasan_report', 'check_heap_object',
  'rcu_core', 'handle_softirqs', 'irq_exit_rcu', 'sysvec_apic_timer_interrupt',
];
const MODULES = ['', '', '', '', ' [ext4]', ' [nvme]', ' [e1000e]', ' [amdgpu]'];
const CHATTER = [
  'usb 1-1: new high-speed USB device number 3 using xhci_hcd',
  'EXT4-fs (nvme0n1p2): mounted filesystem with ordered data mode. Quota mode: none.',
  'e1000e 0000:00:1f.6 eno1: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx',
  'audit: type=1400 audit(1700000000.123:42): apparmor="DENIED" operation="open" profile="snap"',
  'Bluetooth: hci0: command tx timeout',
  'nvme nvme0: I/O 123 QID 4 timeout, completion polled',
  'perf: interrupt took too long (2503 > 2500), lowering kernel.perf_event_max_sample_rate to 79750',
];
const TITLES = [
  'WARNING: CPU: 1 PID: 6051 at lib/refcount.c:28 refcount_warn_saturate+0xc5/0x110',
  'BUG: KASAN: slab-use-after-free in tcp_sendmsg_locked+0x1a2/0x2f10',
  'INFO: task kworker/u8:3:211 blocked for more than 122 seconds.',
  'rcu: INFO: rcu_preempt self-detected stall on CPU',
];

function hex(r: () => number, digits: number): string {
  let s = '';
  for (let i = 0; i < digits; i++) s += '0123456789abcdef'[Math.floor(r() * 16)];
  return s;
}

/** Yields chunks of generated kernel log until at least `minBytes` were produced. */
export function* dmesgText(minBytes: number, seed = 7): Generator<string> {
  const r = rng(seed);
  const stacks = Array.from({ length: 48 }, () => {
    const n = 8 + Math.floor(r() * 24);
    return Array.from({ length: n }, () => {
      const f = FRAMES[Math.floor(r() * FRAMES.length)]!;
      const off = `+0x${(1 + Math.floor(r() * 0xfff)).toString(16)}/0x${(0x1000 + Math.floor(r() * 0xfff)).toString(16)}`;
      return { text: `${f}${off}${MODULES[Math.floor(r() * MODULES.length)]}`, unreliable: r() < 0.2 };
    });
  });
  let ns = 5_000_000_000;
  let bytes = 0;
  const stamp = (tid: number) => {
    ns += 1000 + Math.floor(r() * 3_000_000);
    const s = Math.floor(ns / 1e9);
    const us = Math.floor((ns % 1e9) / 1000);
    return `[${String(s).padStart(5)}.${String(us).padStart(6, '0')}][ T${String(tid).padStart(4)}] `;
  };
  while (bytes < minBytes) {
    const lines: string[] = [];
    const chatter = 2 + Math.floor(r() * 12);
    for (let i = 0; i < chatter; i++) lines.push(stamp(1 + Math.floor(r() * 3000)) + CHATTER[Math.floor(r() * CHATTER.length)]);
    const tid = 100 + Math.floor(r() * 9000);
    const p = (t: string) => lines.push(stamp(tid) + t);
    p('------------[ cut here ]------------');
    p(TITLES[Math.floor(r() * TITLES.length)]!);
    p('Modules linked in: ext4 nvme e1000e amdgpu');
    p(`CPU: ${Math.floor(r() * 8)} UID: 0 PID: ${tid} Comm: worker-${tid % 97} Not tainted 6.8.0 #1 PREEMPT(full)`);
    p('Hardware name: QEMU Standard PC (Q35 + ICH9, 2009), BIOS 1.16.3-debian-1.16.3-2 04/01/2014');
    p('RIP: 0010:refcount_warn_saturate+0xc5/0x110');
    p(`Code: ${Array.from({ length: 42 }, () => hex(r, 2)).join(' ')}`);
    p(`RSP: 0018:ffffc900${hex(r, 8)} EFLAGS: 00010293`);
    p(`RAX: ffffffff${hex(r, 8)} RBX: 0000000000000000 RCX: ffff8880${hex(r, 8)}`);
    p(`RDX: 0000000000000000 RSI: ffffffff${hex(r, 8)} RDI: ffffffff${hex(r, 8)}`);
    p('Call Trace:');
    const irq = r() < 0.25;
    p(irq ? ' <IRQ>' : ' <TASK>');
    for (const f of stacks[Math.floor(r() * stacks.length)]!) p(` ${f.unreliable ? '? ' : ''}${f.text}`);
    p(irq ? ' </IRQ>' : ' </TASK>');
    p('---[ end trace 0000000000000000 ]---');
    const chunk = lines.join('\n') + '\n';
    bytes += chunk.length;
    yield chunk;
  }
}

export async function writeDmesg(path: string, minBytes: number, seed = 7): Promise<number> {
  return writeText(path, dmesgText(minBytes, seed));
}

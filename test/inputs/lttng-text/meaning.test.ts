import { describe, expect, it } from 'vitest';
import { domainOf, type Meaning, meaningOf, Meanings, Op } from '../../../src/inputs/lttng-text/meaning.js';
import { type LttngRecord, tokenize } from '../../../src/inputs/lttng-text/tokenize.js';

const m = (op: Op, arg?: string): Meaning => (arg === undefined ? { op } : { op, arg });
const rec = (line: string) => tokenize(line, 1) as LttngRecord;

describe('lttng-text meanings', () => {
  it('reads LTTng kernel names, old and new spellings', () => {
    expect(meaningOf('sched_switch', 'kernel')).toEqual(m(Op.Switch));
    expect(meaningOf('irq_softirq_entry', 'kernel')).toEqual(m(Op.SoftirqEntry));
    expect(meaningOf('softirq_exit', 'kernel')).toEqual(m(Op.SoftirqExit));
    expect(meaningOf('timer_hrtimer_expire_entry', 'kernel')).toEqual(m(Op.HrtimerEntry));
    expect(meaningOf('lttng_statedump_process_state', 'kernel')).toEqual(m(Op.Statedump));
    expect(meaningOf('exit_syscall', 'kernel')).toEqual(m(Op.SysExitAny));
  });

  it('takes syscall and vector names out of the event name', () => {
    expect(meaningOf('syscall_entry_openat', 'kernel')).toEqual(m(Op.SysEntry, 'openat'));
    expect(meaningOf('syscall_exit_openat', 'kernel')).toEqual(m(Op.SysExit, 'openat'));
    expect(meaningOf('compat_syscall_entry_read', 'kernel')).toEqual(m(Op.SysEntry, 'read'));
    expect(meaningOf('compat_syscall_exit_read', 'kernel')).toEqual(m(Op.SysExit, 'read'));
    expect(meaningOf('x86_irq_vectors_local_timer_entry', 'kernel')).toEqual(m(Op.VectorEntry, 'local_timer'));
    expect(meaningOf('x86_irq_vectors_local_timer_exit', 'kernel')).toEqual(m(Op.VectorExit, 'local_timer'));
    expect(meaningOf('x86_irq_vectors_other', 'kernel')).toEqual(m(Op.Instant));
    // lttng-modules < 2.7
    expect(meaningOf('sys_open', 'kernel')).toEqual(m(Op.SysEntry, 'open'));
    expect(meaningOf('sys_', 'kernel')).toEqual(m(Op.Instant));
    // An empty syscall name still is one (the prefix says so).
    expect(meaningOf('syscall_entry_', 'kernel')).toEqual(m(Op.SysEntry, ''));
  });

  it('reads perf names by subsystem, and kernel names after the subsystem', () => {
    expect(meaningOf('raw_syscalls:sys_enter', 'perf')).toEqual(m(Op.SysEntry));
    expect(meaningOf('raw_syscalls:sys_exit', 'perf')).toEqual(m(Op.SysExitAny));
    expect(meaningOf('raw_syscalls:other', 'perf')).toEqual(m(Op.Instant));
    expect(meaningOf('syscalls:sys_enter_write', 'perf')).toEqual(m(Op.SysEntry, 'write'));
    expect(meaningOf('syscalls:sys_exit_write', 'perf')).toEqual(m(Op.SysExit, 'write'));
    expect(meaningOf('irq_vectors:reschedule_entry', 'perf')).toEqual(m(Op.VectorEntry, 'reschedule'));
    expect(meaningOf('sched:sched_switch', 'perf')).toEqual(m(Op.Switch));
    expect(meaningOf('block:block_rq_issue', 'perf')).toEqual(m(Op.BlockIssue));
    // LTTng's own prefixed names are not perf's.
    expect(meaningOf('x:syscall_entry_write', 'perf')).toEqual(m(Op.Instant));
  });

  it('reads UST names whole, and DPDK names as instants', () => {
    expect(meaningOf('lttng_ust_cyg_profile:func_entry', 'ust')).toEqual(m(Op.FuncEntry));
    expect(meaningOf('lttng_ust_cyg_profile_fast:func_exit', 'ust')).toEqual(m(Op.FuncExit));
    expect(meaningOf('lttng_ust_statedump:procname', 'ust')).toEqual(m(Op.UstProcname));
    expect(meaningOf('lttng_ust_cyg_profile:func_entry:x', 'ust')).toEqual(m(Op.Instant));
    expect(meaningOf('my_app:sched_switch', 'ust')).toEqual(m(Op.Instant));
    expect(meaningOf('sched_switch', 'dpdk')).toEqual(m(Op.Instant));
    expect(meaningOf('constructor', 'kernel')).toEqual(m(Op.Instant));
  });

  it('works each meaning out once per domain', () => {
    const ms = new Meanings();
    const a = ms.get('syscall_entry_read', 'kernel');
    expect(ms.get('syscall_entry_read', 'kernel')).toBe(a);
    expect(ms.get('syscall_entry_read', 'ust')).toEqual(m(Op.Instant));
  });

  it('tells the domain from perf fields, the header, DPDK names and UST providers', () => {
    expect(domainOf(rec('[10:00:00.000000001] (+?.?????????) h sched:sched_switch: { perf_tid = 5, perf_cpu = 0 }'))).toBe('perf');
    expect(domainOf(rec('[10:00:00.000000001] (+?.?????????) h:kernel: sched_switch: { cpu_id = 0 }, { }'))).toBe('kernel');
    expect(domainOf(rec('[10:00:00.000000001] (+?.?????????) h sched_switch: { cpu_id = 0 }, { }'))).toBe('kernel');
    expect(domainOf(rec('[10:00:00.000000001] (+?.?????????) h app:event: { cpu_id = 0 }, { }'))).toBe('ust');
    expect(domainOf(rec('[10:00:00.000000001] (+?.?????????) h lib.eal.thread: { cpu_id = 0 }, { }'))).toBe('dpdk');
    expect(domainOf(rec('[10:00:00.000000001] (+?.?????????) h eal.start: { name = "lcore-1" }, { }'))).toBe('dpdk');
  });
});

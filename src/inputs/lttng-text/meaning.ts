/**
 * What an event name means, as data: LTTng kernel names (lttng-modules, with the names older
 * versions used), perf's `subsystem:event` names (perf's CTF conversion), LTTng-UST names, and
 * DPDK's. A name not listed is an instant with all its fields. `dispatch.ts` maps each meaning
 * to its handler.
 */
import type { LttngRecord } from './record.js';

/** Where a record comes from: its names and fields follow that tracer's conventions. */
export type Domain = 'kernel' | 'ust' | 'perf' | 'dpdk';

export const enum Op {
  Instant,
  Switch,
  Waking,
  Wakeup,
  WakeupNew,
  Fork,
  Exec,
  Exit,
  Statedump,
  IrqEntry,
  IrqExit,
  SoftirqEntry,
  SoftirqExit,
  SysEntry,
  SysExit,
  SysExitAny,
  HrtimerEntry,
  HrtimerExit,
  TimerEntry,
  TimerExit,
  VectorEntry,
  VectorExit,
  IpiEntry,
  IpiExit,
  BlockIssue,
  BlockComplete,
  FuncEntry,
  FuncExit,
  UstProcname,
}

export interface Meaning {
  op: Op;
  /** Syscall or vector name. */
  arg?: string;
}

/** Kernel tracepoints by name, LTTng's and ftrace's spelling (perf prints the latter). */
const KERNEL: Record<string, Op> = {
  sched_switch: Op.Switch,
  sched_waking: Op.Waking,
  sched_wakeup: Op.Wakeup,
  sched_wakeup_new: Op.WakeupNew,
  sched_process_fork: Op.Fork,
  sched_process_exec: Op.Exec,
  sched_process_exit: Op.Exit,
  lttng_statedump_process_state: Op.Statedump,
  irq_handler_entry: Op.IrqEntry,
  irq_handler_exit: Op.IrqExit,
  irq_softirq_entry: Op.SoftirqEntry,
  softirq_entry: Op.SoftirqEntry,
  irq_softirq_exit: Op.SoftirqExit,
  softirq_exit: Op.SoftirqExit,
  timer_hrtimer_expire_entry: Op.HrtimerEntry,
  hrtimer_expire_entry: Op.HrtimerEntry,
  timer_hrtimer_expire_exit: Op.HrtimerExit,
  hrtimer_expire_exit: Op.HrtimerExit,
  timer_expire_entry: Op.TimerEntry,
  timer_expire_exit: Op.TimerExit,
  ipi_entry: Op.IpiEntry,
  ipi_exit: Op.IpiExit,
  block_rq_issue: Op.BlockIssue,
  block_rq_complete: Op.BlockComplete,
  // lttng-modules < 2.7: one `exit_syscall` for every syscall.
  exit_syscall: Op.SysExitAny,
};

/**
 * LTTng kernel names that carry a syscall or vector name between a prefix and a suffix, tried
 * in order (`minArg`: the fewest characters the carried name may have).
 */
const KERNEL_PREFIXED: { prefix: string; suffix: string; op: Op; minArg: number }[] = [
  { prefix: 'syscall_entry_', suffix: '', op: Op.SysEntry, minArg: 0 },
  { prefix: 'syscall_exit_', suffix: '', op: Op.SysExit, minArg: 0 },
  { prefix: 'compat_syscall_entry_', suffix: '', op: Op.SysEntry, minArg: 0 },
  { prefix: 'compat_syscall_exit_', suffix: '', op: Op.SysExit, minArg: 0 },
  { prefix: 'x86_irq_vectors_', suffix: '_entry', op: Op.VectorEntry, minArg: 0 },
  { prefix: 'x86_irq_vectors_', suffix: '_exit', op: Op.VectorExit, minArg: 0 },
  // lttng-modules < 2.7: `sys_open` entries.
  { prefix: 'sys_', suffix: '', op: Op.SysEntry, minArg: 1 },
];

const UST: Record<string, Op> = {
  'lttng_ust_cyg_profile:func_entry': Op.FuncEntry,
  'lttng_ust_cyg_profile:func_exit': Op.FuncExit,
  'lttng_ust_cyg_profile_fast:func_entry': Op.FuncEntry,
  'lttng_ust_cyg_profile_fast:func_exit': Op.FuncExit,
  'lttng_ust_statedump:procname': Op.UstProcname,
};

const own = (table: Record<string, Op>, name: string): Op | undefined => (Object.hasOwn(table, name) ? table[name] : undefined);
const INSTANT: Meaning = { op: Op.Instant };

/** perf names: `raw_syscalls:sys_enter`, `syscalls:sys_enter_NAME`, `irq_vectors:NAME_entry`, else a kernel name. */
function perfMeaning(name: string): Meaning {
  const c = name.indexOf(':');
  const sys = name.slice(0, c);
  const n = name.slice(c + 1);
  if (sys === 'raw_syscalls') return n === 'sys_enter' ? { op: Op.SysEntry } : n === 'sys_exit' ? { op: Op.SysExitAny } : INSTANT;
  if (sys === 'syscalls') {
    if (n.startsWith('sys_enter_')) return { op: Op.SysEntry, arg: n.slice(10) };
    if (n.startsWith('sys_exit_')) return { op: Op.SysExit, arg: n.slice(9) };
    return INSTANT;
  }
  if (sys === 'irq_vectors') {
    if (n.endsWith('_entry')) return { op: Op.VectorEntry, arg: n.slice(0, -6) };
    if (n.endsWith('_exit')) return { op: Op.VectorExit, arg: n.slice(0, -5) };
    return INSTANT;
  }
  const op = own(KERNEL, n);
  return op === undefined ? INSTANT : { op };
}

function kernelMeaning(n: string): Meaning {
  const known = own(KERNEL, n);
  if (known !== undefined) return { op: known };
  for (const { prefix, suffix, op, minArg } of KERNEL_PREFIXED) {
    if (n.length >= prefix.length + minArg && n.startsWith(prefix) && n.endsWith(suffix)) {
      return { op, arg: n.slice(prefix.length, n.length - suffix.length) };
    }
  }
  return INSTANT;
}

/** The meaning of an event name in a domain. */
export function meaningOf(name: string, dom: Domain): Meaning {
  switch (dom) {
    case 'perf':
      return perfMeaning(name);
    case 'ust': {
      const op = own(UST, name);
      return op === undefined ? INSTANT : { op };
    }
    case 'dpdk':
      return INSTANT;
    case 'kernel':
      return kernelMeaning(name);
  }
}

/** Meanings by domain and name, each worked out once (no key string built per record). */
export class Meanings {
  private readonly known: Record<Domain, Map<string, Meaning>> = { kernel: new Map(), ust: new Map(), perf: new Map(), dpdk: new Map() };

  get(name: string, dom: Domain): Meaning {
    const known = this.known[dom];
    let m = known.get(name);
    if (!m) {
      m = meaningOf(name, dom);
      known.set(name, m);
    }
    return m;
  }
}

/** The domain of a record: perf's fields, the header's domain, DPDK's `lib.` names, UST's `provider:event`. */
export function domainOf(r: LttngRecord): Domain {
  const p = r.payload;
  if (p.perf_tid !== undefined || p.common_type !== undefined) return 'perf';
  if (r.domain === 'kernel') return 'kernel';
  const name = r.name;
  if (name.startsWith('lib.') || (r.ctx !== undefined && typeof r.ctx.name === 'string' && name.indexOf(':') === -1 && name.indexOf('.') !== -1)) return 'dpdk';
  if (r.domain === 'ust' || name.indexOf(':') !== -1) return 'ust';
  return 'kernel';
}

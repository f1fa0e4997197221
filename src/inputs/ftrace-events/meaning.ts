/**
 * What an event name means, as data: the kernel's tracepoint names (sched, irq, irq_vectors,
 * ipi, timer, raw_syscalls/syscalls, block, workqueue, power) → the handler that gives them
 * meaning. Names not listed are instants with all their fields.
 */

export const enum Op {
  Instant,
  Switch,
  Waking,
  Wakeup,
  WakeupNew,
  Fork,
  Exec,
  Exit,
  Migrate,
  IrqEntry,
  IrqExit,
  SoftirqEntry,
  SoftirqExit,
  RawSysEnter,
  RawSysExit,
  SysEnter,
  SysExit,
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
  WorkStart,
  WorkEnd,
  Counter,
  Marker,
}

export interface Meaning {
  op: Op;
  /** Syscall, vector or counter name. */
  arg?: string;
}

const TABLE: Record<string, Op> = {
  sched_switch: Op.Switch,
  sched_waking: Op.Waking,
  sched_wakeup: Op.Wakeup,
  sched_wakeup_new: Op.WakeupNew,
  sched_process_fork: Op.Fork,
  sched_process_exec: Op.Exec,
  sched_process_exit: Op.Exit,
  sched_migrate_task: Op.Migrate,
  irq_handler_entry: Op.IrqEntry,
  irq_handler_exit: Op.IrqExit,
  softirq_entry: Op.SoftirqEntry,
  softirq_exit: Op.SoftirqExit,
  sys_enter: Op.RawSysEnter,
  sys_exit: Op.RawSysExit,
  hrtimer_expire_entry: Op.HrtimerEntry,
  hrtimer_expire_exit: Op.HrtimerExit,
  timer_expire_entry: Op.TimerEntry,
  timer_expire_exit: Op.TimerExit,
  ipi_entry: Op.IpiEntry,
  ipi_exit: Op.IpiExit,
  block_rq_issue: Op.BlockIssue,
  block_rq_complete: Op.BlockComplete,
  workqueue_execute_start: Op.WorkStart,
  workqueue_execute_end: Op.WorkEnd,
  cpu_frequency: Op.Counter,
  cpu_idle: Op.Counter,
  tracing_mark_write: Op.Marker,
  print: Op.Marker,
};

/** x86 `irq_vectors` names (arch/x86/include/asm/trace/irq_vectors.h). */
const VECTORS = new Set([
  'local_timer',
  'spurious_apic',
  'error_apic',
  'x86_platform_ipi',
  'irq_work',
  'reschedule',
  'call_function',
  'call_function_single',
  'threshold_apic',
  'deferred_error_apic',
  'thermal_apic',
]);

export function meaningOf(name: string): Meaning {
  const op = TABLE[name];
  if (op !== undefined) return op === Op.Counter ? { op, arg: name } : { op };
  if (name.startsWith('sys_enter_')) return { op: Op.SysEnter, arg: name.slice(10) };
  if (name.startsWith('sys_exit_')) return { op: Op.SysExit, arg: name.slice(9) };
  if (name.endsWith('_entry') && VECTORS.has(name.slice(0, -6))) return { op: Op.VectorEntry, arg: name.slice(0, -6) };
  if (name.endsWith('_exit') && VECTORS.has(name.slice(0, -5))) return { op: Op.VectorExit, arg: name.slice(0, -5) };
  return { op: Op.Instant };
}

/** Interrupt context from the flags column's third character (trace_print_lat_fmt). */
export function contextOf(flags: string): 'task' | 'hardirq' | 'softirq' | 'nmi' | undefined {
  if (flags.length < 3) return undefined;
  switch (flags.charCodeAt(2)) {
    case 104 /* h */:
    case 72 /* H: hardirq inside softirq */:
      return 'hardirq';
    case 115 /* s */:
      return 'softirq';
    case 122 /* z */:
    case 90 /* Z */:
      return 'nmi';
    case 46 /* . */:
      return 'task';
  }
  return undefined;
}

const SOFTIRQ_NAMES = ['HI', 'TIMER', 'NET_TX', 'NET_RX', 'BLOCK', 'IRQ_POLL', 'TASKLET', 'SCHED', 'HRTIMER', 'RCU'];
export const softirqName = (vec: number) => SOFTIRQ_NAMES[vec] ?? `softirq ${vec}`;

/**
 * The common event model. Every input adapter turns text into a stream of these events; every
 * output adapter turns them into bytes.
 *
 * Times are integer nanoseconds held in plain numbers (safe integers). Inputs whose clock is an
 * epoch (babeltrace `--clock-seconds`, dates) rebase to a whole second near the first event and
 * say so in `TraceInfo.clockOriginNs`, so every value stays below 2^53.
 */

/** A scalar argument value carried from the input to the outputs. */
export type ArgValue = string | number | boolean;
export type Args = Record<string, ArgValue>;

/** Where events are drawn. Declared once (and again when a name changes) before first use. */
export type TrackInfo =
  | {
      /** A thread: slices of its calls, syscalls, instants. */
      kind: 'thread';
      id: number;
      pid: number;
      tid: number;
      name: string;
      processName: string;
      /** CPU of a per-CPU pseudo-thread (idle task, or a CPU whose task is unknown). */
      cpu?: number;
    }
  | {
      /** A per-CPU lane (irq handlers, what runs on the CPU). */
      kind: 'cpu';
      id: number;
      cpu: number;
      name: string;
    }
  | {
      /** A lane that belongs to no thread or CPU (kernel log reports, markers). */
      kind: 'global';
      id: number;
      name: string;
    };

export type ClockKind =
  /** Timestamps printed by the kernel (ftrace abstime, trace-cmd, dmesg): ns since boot. */
  | 'boot'
  /** Wall-clock or other absolute times (babeltrace), rebased by `clockOriginNs`. */
  | 'absolute'
  /** No timestamps in the input: times rebuilt from durations, one cursor per CPU. */
  | 'reconstructed'
  /** No time at all (stack histograms): events are ordered only. */
  | 'none';

export interface TraceInfo {
  kind: 'info';
  /** Input adapter name, e.g. `function-graph`. */
  format: string;
  /** Dialect or producer inside that format, e.g. `tracefs`, `trace-cmd report`. */
  variant?: string;
  clock: ClockKind;
  /** Nanoseconds to add to every `ts` to get the original clock value (as a decimal string). */
  clockOriginNs?: string;
  /** Free-form facts worth keeping in output metadata. */
  notes?: Record<string, string>;
}

export interface TrackEvent {
  kind: 'track';
  track: TrackInfo;
}

export interface SliceBegin {
  kind: 'begin';
  ts: number;
  track: number;
  name: string;
  cat: string;
  depth: number;
  args?: Args;
  /** CPU the call began on, when the input says. */
  cpu?: number;
  /** Flow arrows leaving this slice (ids unique in the trace). */
  flowIds?: number[];
  /** Flow arrows arriving at this slice. */
  terminatingFlowIds?: number[];
  /** A raw syscall entry (ftrace `raw_syscalls:sys_enter`): its number and argument words (hex). */
  syscall?: { nr: number; args: string[] };
}

export interface SliceEnd {
  kind: 'end';
  ts: number;
  track: number;
  /** Name, category, start and depth of the slice this closes (outputs need not keep stacks). */
  name: string;
  cat: string;
  start: number;
  depth: number;
  /** Time spent in this call minus the time of its direct children. */
  selfNs: number;
  /** Arguments learned at the end (return values); merged into the slice. */
  args?: Args;
  /** The arguments the slice began with (already written by outputs that keep slices open). */
  beginArgs?: Args;
  /** A raw syscall exit (ftrace `raw_syscalls:sys_exit`): its number, return value and CPU. */
  syscall?: { nr: number; ret: number; cpu: number };
}

export interface Instant {
  kind: 'instant';
  ts: number;
  track: number;
  name: string;
  cat: string;
  args?: Args;
}

export interface Counter {
  kind: 'counter';
  ts: number;
  track: number;
  name: string;
  value: number;
}

/** One frame of a call stack. */
export interface Frame {
  name: string;
  module?: string;
  /** `func+0x1a/0x40` offset text when kept. */
  offset?: string;
  /** The unwinder marked it `?` (may be stale stack contents). */
  unreliable?: boolean;
  /** Execution context the frame ran in: `task`, `irq`, `softirq`, `nmi`, ... */
  context?: string;
}

/**
 * A call stack observed `weight` times: a kernel report's call trace, or one entry of a stack
 * histogram. Frames are root first.
 */
export interface StackSample {
  kind: 'sample';
  ts: number;
  /** Thread lane the report belongs to, when known; else a global lane. */
  track: number;
  frames: Frame[];
  weight: number;
  cpu?: number;
  pid?: number;
  tid?: number;
  comm?: string;
  /** What produced the stack: `WARNING`, `BUG`, `KASAN`, `histogram`, ... */
  reason?: string;
  /** The report's title line. */
  title?: string;
  args?: Args;
  /**
   * A profiler sample (`perf script`): its event, the period it stands for (folded output sums
   * periods, as FlameGraph does) and the label folded output puts above the root (the process).
   */
  profile?: { event: string; period: number; root: string };
}

/** Scheduler switch on a CPU (Linux `sched_switch`). */
export interface SchedSwitch {
  kind: 'sched-switch';
  ts: number;
  cpu: number;
  prevTid: number;
  prevComm: string;
  prevPrio: number;
  /** Kernel task state bitmask of the previous task (>= 4.14 layout: R 0, S 1, D 2, ..., R+ 0x100). */
  prevState: number;
  nextTid: number;
  nextComm: string;
  nextPrio: number;
}

/** A task was woken (Linux `sched_waking`/`sched_wakeup`). */
export interface SchedWaking {
  kind: 'sched-waking';
  ts: number;
  /** CPU the waker ran on. */
  cpu: number;
  /** Thread that did the waking, when known. */
  wakerTid?: number;
  tid: number;
  comm: string;
  prio: number;
  targetCpu: number;
  /**
   * Context the waking ran in, when the input says so (ftrace's flags column `h`/`s`/`z`, or an
   * interrupt handler open on the waker's CPU): `task`, `hardirq`, `softirq` or `nmi`.
   */
  context?: 'task' | 'hardirq' | 'softirq' | 'nmi';
  /**
   * The event it came from, when the input says: `waking` runs on the waker's CPU in its context;
   * `wakeup` may run on the target CPU inside an IPI (a trace with only it cannot name wakers
   * for sure); `wakeup_new` is a new task's first wake-up.
   */
  source?: 'waking' | 'wakeup' | 'wakeup_new';
}

/** Hard interrupt handler entry/exit on a CPU. */
export interface IrqEvent {
  kind: 'irq';
  phase: 'entry' | 'exit';
  ts: number;
  cpu: number;
  /** Thread running on the CPU when known (0 otherwise). */
  tid: number;
  irq: number;
  name?: string;
  ret?: number;
}

/** Softirq entry/exit on a CPU. */
export interface SoftirqEvent {
  kind: 'softirq';
  phase: 'entry' | 'exit';
  ts: number;
  cpu: number;
  tid: number;
  vec: number;
}

/** Process/thread facts learned from the input (fork, exec, statedump). */
export interface ProcessInfo {
  kind: 'process';
  pid: number;
  ppid?: number;
  name: string;
  /** Threads of this process: tid and name. */
  threads?: { tid: number; name: string }[];
}

export type TraceEvent =
  | TraceInfo
  | TrackEvent
  | SliceBegin
  | SliceEnd
  | Instant
  | Counter
  | StackSample
  | SchedSwitch
  | SchedWaking
  | IrqEvent
  | SoftirqEvent
  | ProcessInfo;

/** Categories the adapters use, so outputs and tests agree on them. */
export const CAT = {
  function: 'function',
  syscall: 'syscall',
  marker: 'marker',
  irq: 'irq',
  io: 'io',
  event: 'event',
  repair: 'repair',
} as const;

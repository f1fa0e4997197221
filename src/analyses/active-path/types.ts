/**
 * Types of the active-path analysis: the states a thread is in, how a wake-up is explained, and
 * the segments of a path.
 */

/**
 * What a segment of the path is. RUNNING and PREEMPTED are the worker's own time on or waiting
 * for a CPU; the other states are waits the worker itself explains (a timer, a device, an
 * interrupt), or could not be explained (BLOCKED: no wake-up seen; UNKNOWN: outside what the
 * trace shows, or woken from an idle CPU with no interrupt in view).
 */
export type PathState =
  | 'RUNNING'
  | 'PREEMPTED'
  | 'BLOCKED'
  | 'TIMER'
  | 'BLOCK_DEVICE'
  | 'NETWORK'
  | 'IPI'
  | 'IRQ'
  | 'SOFTIRQ'
  | 'UNKNOWN';

/** How a wake-up that ended a wait is explained. */
export type WakeCause =
  /** A task woke it: the wait is explained by that task's own path. */
  | { kind: 'task'; waker: number }
  /** Interrupt or device context: the wait stays on the woken thread, labelled. */
  | { kind: 'context'; state: Exclude<PathState, 'RUNNING' | 'PREEMPTED' | 'BLOCKED' | 'UNKNOWN'>; reason: string }
  /** Woken from an idle CPU with no interrupt context in view (never blamed on swapper). */
  | { kind: 'idle'; cpu: number }
  /**
   * Woken by the network receive of a packet that task `sender` queued at `sent` (matched by its
   * skb address): the wait is the sender's path up to the send, then the packet's way to the wake.
   */
  | { kind: 'network'; sender: number; sent: number; reason: string };

/** A thread's state between two of its events. */
export type ThreadState = 'RUNNING' | 'PREEMPTED' | 'BLOCKED';

/** One state interval of a thread; `wake` is the wake-up that ended a BLOCKED interval. */
export interface Interval {
  start: number;
  end: number;
  state: ThreadState;
  wake?: WakeCause;
}

/** A thread's history: contiguous intervals from its first event to its last (or the trace end). */
export interface ThreadHistory {
  tid: number;
  comm: string;
  intervals: Interval[];
  /** The task that created it (the waker of its first wake-up, when the trace began before it). */
  creator?: number;
  /** It exited at the end of its last interval. */
  exited: boolean;
}

/** One segment of the active path. */
export interface Segment {
  start: number;
  end: number;
  /** The worker the time belongs to (never 0: swapper is never on the path). */
  tid: number;
  comm: string;
  state: PathState;
  /** Qualifier: the interrupt's name, the softirq, why the wait stayed unexplained. */
  reason: string;
  /** Hand-offs between the traced thread and this worker (0: the traced thread's own time). */
  depth: number;
}

/** What the path could not be sure of; one entry per kind, with a count. */
export interface Uncertainty {
  code:
    | 'active-path.no-waking'
    | 'active-path.no-interrupts'
    | 'active-path.lost-events'
    | 'active-path.idle-wakeup'
    | 'active-path.missing-wakeup';
  count: number;
  message: string;
}

export interface ActivePathOptions {
  /** The traced thread (give this or `comm`). */
  tid?: number;
  /** The traced thread by name: the one of that name that ran longest. */
  comm?: string;
  /** Window start (ns, the input's clock); default the thread's first event. */
  from?: number;
  /** Window end (ns); default the thread's last event (or the end of the trace). */
  to?: number;
  /** Lost-event reports the input made (its diagnostics), counted into the uncertainty. */
  lostEvents?: number;
}

export interface ActivePath {
  tid: number;
  comm: string;
  from: number;
  to: number;
  segments: Segment[];
  uncertain: Uncertainty[];
}

/**
 * `prev_state` of `sched_switch` → the model's layout (the kernel >= 4.14 report bitmask:
 * R 0, S 1, D 2, T 4, t 8, X 16, Z 32, P 64, I 128, preempted R+ 256).
 *
 * LTTng prints a number, and which number depends on the kernel and lttng-modules versions:
 *
 * | kernel (lttng-modules)          | bits above Z (32)                                         | preempted |
 * | ---                             | ---                                                       | ---       |
 * | < 4.2, raw `p->state`           | x 64 (TASK_DEAD), K 128, W 256, P 512                     | 1024      |
 * | 4.2 – 4.10, raw                 | … N 1024 (TASK_NOLOAD)                                    | 2048      |
 * | 4.11 – 4.13, raw                | … N 1024, n 2048 (TASK_NEW)                               | 4096      |
 * | >= 4.14, raw (lttng-modules 2.10) | P 64, x 128, K 256, W 512, N 1024, n 2048               | 4096      |
 * | >= 4.14, report (fixed modules, perf, ftrace) | P 64, I 128                                 | 256       |
 *
 * The low bits (S D T t X Z) mean the same everywhere; `D|N` (1026) is TASK_IDLE (`I`); `D|K`
 * is TASK_KILLABLE (`D`); the highest power of two alone is "preempted". What a lone 64, 128
 * or 256 means depends on the layout, which the trace reveals as it goes: 130 and 1024 only
 * exist before 4.14, 258 only in the raw 4.14 layout. A task that already passed
 * `sched_process_exit` is dead whatever the number says.
 */

export const STATE = { R: 0, S: 1, D: 2, T: 4, t: 8, X: 16, Z: 32, P: 64, I: 128, Rplus: 256 } as const;

export type StateLayout = 'unknown' | 'pre-4.14' | '4.14-raw' | 'report';

export class PrevStateMapper {
  layout: StateLayout = 'unknown';
  /** Values above 256 were seen: some raw (pre-report) layout. */
  raw = false;

  /** Learns from a value what layout the trace uses. */
  private observe(v: number): void {
    if (v === 130 || v === 1024 || v === 2048) this.layout = 'pre-4.14';
    else if (v === 258) this.layout = '4.14-raw';
    if (v > 256) this.raw = true;
  }

  /** Maps one printed value; `exited` when the task already went through sched_process_exit. */
  map(v: number, exited: boolean): number {
    if (!Number.isFinite(v) || v < 0) return STATE.R;
    if (v === 0) return STATE.R;
    this.observe(v);
    if (exited && (v === 64 || v === 128)) return STATE.X;
    const low = v & 0x3f;
    // TASK_IDLE = TASK_UNINTERRUPTIBLE | TASK_NOLOAD (1024 exists from 4.2, where 1024 alone is not preemption).
    if (low === STATE.D && (v & 1024) !== 0) return STATE.I;
    if (low !== 0) return 1 << (31 - Math.clz32(low));
    switch (v) {
      case 64:
        // pre-4.14 TASK_DEAD, else TASK_PARKED
        return this.layout === 'pre-4.14' ? STATE.X : STATE.P;
      case 128:
        // 4.14 raw TASK_DEAD; pre-4.14 TASK_WAKEKILL alone (a killable sleep); report layout TASK_IDLE
        if (this.layout === '4.14-raw') return STATE.X;
        if (this.layout === 'pre-4.14') return STATE.D;
        return STATE.I;
      case 256:
        // report: preempted; pre-4.14 TASK_WAKING (runnable); 4.14 raw TASK_WAKEKILL alone
        if (this.layout === 'pre-4.14') return STATE.R;
        if (this.layout === '4.14-raw') return STATE.D;
        return STATE.Rplus;
      case 512:
        // pre-4.14 TASK_PARKED; 4.14 raw TASK_WAKING
        return this.layout === '4.14-raw' ? STATE.R : STATE.P;
      default:
        // 1024, 2048, 4096, ...: TASK_STATE_MAX | TASK_RUNNING, i.e. preempted
        return STATE.Rplus;
    }
  }

  describe(): string {
    switch (this.layout) {
      case 'pre-4.14':
        return 'raw task state of a kernel older than 4.14, mapped to the 4.14 report layout';
      case '4.14-raw':
        return 'raw task state of a 4.14+ kernel, mapped to the report layout';
      default:
        return this.raw ? 'raw task state (kernel 4.11+), mapped to the 4.14 report layout' : 'kernel 4.14 report layout';
    }
  }
}

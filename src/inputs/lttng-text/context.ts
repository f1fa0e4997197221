/**
 * What the handlers of event meanings share: the slice builder, the tasks (`model/tasks.ts`),
 * each CPU's scheduler and interrupt lanes, keyed slices and block requests in flight
 * (`model/keyed-slices.ts`), the timeline, and what every handler calls (a record's CPU
 * and args, names, process events).
 */
import type { Report } from '../../model/diagnostics.js';
import type { Args } from '../../model/events.js';
import { KeyedSlices } from '../../model/keyed-slices.js';
import { SliceBuilder } from '../../model/slices.js';
import { TaskTable } from '../../model/tasks.js';
import type { ParseContext } from '../types.js';
// The codes every handler reports are declared when this module loads, whoever imports it.
import './codes.js';
import { Meanings } from './meaning.js';
import type { LttngRecord } from './record.js';
import { PrevStateMapper } from './task-state.js';
import { Timeline } from './timeline.js';
import { addArg, intOf } from './values.js';

export interface CpuState {
  cpu: number;
  /**
   * The task here will not be learned from a witness any more (its records were released on
   * the CPU's pseudo-thread): only a sched_switch names it.
   */
  gaveUp: boolean;
  /** next_comm of the last sched_switch here (or a witness's comm). */
  comm: string;
  /** next_tid of the last sched_switch here, -1 before the first. */
  lastNext: number;
  /** Kernel records that went to the pseudo-thread because the task was never learned. */
  unknownTask: number;
  /** Latest time on this CPU's scheduler and interrupt lanes: they never go back. */
  laneTs: number;
  /** The irq and softirq entries open on this CPU (line, irq or vec), innermost last. */
  irqOpen: { line: number; n: number }[];
  softirqOpen: { line: number; n: number }[];
}

export class Context {
  readonly b: SliceBuilder;
  readonly report: Report;
  /** LTTng prints every task's own comm: there is no placeholder name. */
  readonly tasks: TaskTable;
  readonly cpus = new Map<number, CpuState>();
  readonly meanings = new Meanings();
  readonly clock: Timeline;
  /** Open slices per track, block requests in flight. */
  readonly nest: KeyedSlices;
  readonly states = new PrevStateMapper();
  /** DPDK threads (named by the packet context) → tracks. */
  readonly dpdk = new Map<string, number>();
  sawWaking = false;
  sawSwitch = false;

  constructor(ctx: ParseContext) {
    this.report = ctx.report;
    this.b = new SliceBuilder(ctx.report, {
      unmatchedExit: 'lttng-text.unmatched-exit',
      unclosedEntry: 'lttng-text.unclosed-entry',
      timeBackwards: 'lttng-text.time-backwards',
    });
    this.tasks = new TaskTable(this.b, { placeholderComm: null });
    this.clock = new Timeline(this.report, this.b);
    this.nest = new KeyedSlices(this.b, this.report, { unmatchedExit: 'lttng-text.unmatched-exit', lostExit: 'lttng-text.lost-exit' }, () => this.clock.firstTs);
  }

  cpuState(cpu: number): CpuState {
    let c = this.cpus.get(cpu);
    if (!c) {
      c = { cpu, gaveUp: false, comm: '', lastNext: -1, unknownTask: 0, laneTs: 0, irqOpen: [], softirqOpen: [] };
      this.cpus.set(cpu, c);
    }
    return c;
  }

  /** CPUs in number order. */
  cpusInOrder(): CpuState[] {
    return [...this.cpus.values()].sort((a, b) => a.cpu - b.cpu);
  }

  /** A time on a CPU's scheduler/interrupt lanes: never before the last one there. */
  laneTime(cs: CpuState, ts: number): number {
    if (ts > cs.laneTs) cs.laneTs = ts;
    return cs.laneTs;
  }

  /** The task running on a CPU for ftrace events' `pid` (0 when not known). */
  current(cpu: number): number {
    const t = this.tasks.current(cpu);
    return t >= 0 ? t : 0;
  }

  /** Names a thread; a process renamed by its main thread (prctl, exec) is declared again. */
  setComm(tid: number, comm: string): void {
    const tasks = this.tasks;
    if (tid <= 0 || !comm) return;
    const proc = tasks.thread(tid).pid === tid ? tasks.process(tid) : undefined;
    const renames = proc !== undefined && proc.name !== comm;
    if (tasks.setComm(tid, comm) && renames) this.emitProcess(tid, [{ tid, name: comm }]);
  }

  /** A `process` event with what is known of it. */
  emitProcess(pid: number, threads: { tid: number; name: string }[]): void {
    this.b.sink.push(this.tasks.processEvent(pid, threads));
  }
}

/** A record's CPU (`cpu_id` context, perf's `perf_cpu`), -1 when it has none. */
export function cpuOf(r: LttngRecord): number {
  const v = r.ctx?.cpu_id ?? r.payload.perf_cpu;
  const n = intOf(v);
  return Number.isFinite(n) && n >= 0 ? n : -1;
}

/** A record's fields (and its contexts, when asked) as event args; undefined when there are none. */
export function argsOf(r: LttngRecord, withContext: boolean): Args | undefined {
  const out: Args = {};
  const p = r.payload;
  for (const k of Object.keys(p)) addArg(out, k, p[k]!);
  if (withContext && r.ctx) {
    const c = r.ctx;
    for (const k of Object.keys(c)) addArg(out, k in out ? `context.${k}` : k, c[k]!);
  }
  for (const _ in out) return out;
  return undefined;
}

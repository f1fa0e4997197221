/**
 * Per-CPU lanes of slices: timer callbacks (`hrtimer_expire_*`, `timer_expire_*`) on
 * `CPU N timers`, x86 interrupt vectors and IPIs on `CPU N vectors`. Records without a CPU
 * stay instants.
 */
import { CAT } from '../../model/events.js';
import { argsOf, type Context } from './context.js';
import type { Domain } from './meaning.js';
import type { LttngRecord } from './record.js';
import { instant } from './tracks.js';
import { textOf } from './values.js';

const timerKey = (r: LttngRecord, what: string) => `${what}:${textOf(r.payload[what]) ?? ''}`;

function timerEntry(cx: Context, r: LttngRecord, dom: Domain, cpu: number, what: 'hrtimer' | 'timer'): void {
  if (cpu < 0) {
    instant(cx, r, dom, cpu);
    return;
  }
  const fn = textOf(r.payload.function);
  cx.nest.open(cx.b.cpuLane(cpu, `CPU ${cpu} timers`), r.ts, fn ? `${what} ${fn}` : what, timerKey(r, what), 'timer', r.line, argsOf(r, false));
}

function timerExit(cx: Context, r: LttngRecord, dom: Domain, cpu: number, what: 'hrtimer' | 'timer'): void {
  if (cpu < 0) {
    instant(cx, r, dom, cpu);
    return;
  }
  cx.nest.close(cx.b.cpuLane(cpu, `CPU ${cpu} timers`), r.ts, timerKey(r, what), 'timer', what, r.line, argsOf(r, false));
}

export const onHrtimerEntry = (cx: Context, r: LttngRecord, dom: Domain, cpu: number) => timerEntry(cx, r, dom, cpu, 'hrtimer');
export const onHrtimerExit = (cx: Context, r: LttngRecord, dom: Domain, cpu: number) => timerExit(cx, r, dom, cpu, 'hrtimer');
export const onTimerEntry = (cx: Context, r: LttngRecord, dom: Domain, cpu: number) => timerEntry(cx, r, dom, cpu, 'timer');
export const onTimerExit = (cx: Context, r: LttngRecord, dom: Domain, cpu: number) => timerExit(cx, r, dom, cpu, 'timer');

function vectorEntry(cx: Context, r: LttngRecord, dom: Domain, cpu: number, name: string): void {
  if (cpu < 0) {
    instant(cx, r, dom, cpu);
    return;
  }
  cx.nest.open(cx.b.cpuLane(cpu, `CPU ${cpu} vectors`), r.ts, name, name, CAT.irq, r.line, argsOf(r, false));
}

function vectorExit(cx: Context, r: LttngRecord, dom: Domain, cpu: number, name: string): void {
  if (cpu < 0) {
    instant(cx, r, dom, cpu);
    return;
  }
  cx.nest.close(cx.b.cpuLane(cpu, `CPU ${cpu} vectors`), r.ts, name, CAT.irq, name, r.line, argsOf(r, false));
}

/** `arg`: the vector's name, from the event name. */
export const onVectorEntry = (cx: Context, r: LttngRecord, dom: Domain, cpu: number, arg: string | undefined) => vectorEntry(cx, r, dom, cpu, arg!);
export const onVectorExit = (cx: Context, r: LttngRecord, dom: Domain, cpu: number, arg: string | undefined) => vectorExit(cx, r, dom, cpu, arg!);
const ipiName = (r: LttngRecord) => textOf(r.payload.reason) ?? 'ipi';
export const onIpiEntry = (cx: Context, r: LttngRecord, dom: Domain, cpu: number) => vectorEntry(cx, r, dom, cpu, ipiName(r));
export const onIpiExit = (cx: Context, r: LttngRecord, dom: Domain, cpu: number) => vectorExit(cx, r, dom, cpu, ipiName(r));

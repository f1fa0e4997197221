/**
 * Hard and soft interrupts as the model's `irq` and `softirq` events, on the CPU's interrupt
 * lanes (per CPU, innermost last, bounded), and the handlers still running at the end.
 */
import type { TraceEvent } from '../../model/events.js';
import { MAX_DEPTH } from '../../model/limits.js';
import type { Context } from './context.js';
import type { Domain } from './meaning.js';
import type { LttngRecord } from './record.js';
import { instant } from './tracks.js';
import { intOf, textOf } from './values.js';

export function onIrqEntry(cx: Context, r: LttngRecord, dom: Domain, cpu: number): void {
  const p = r.payload;
  const irq = intOf(p.irq);
  if (!Number.isFinite(irq) || cpu < 0) {
    instant(cx, r, dom, cpu);
    return;
  }
  const cs = cx.cpuState(cpu);
  if (cs.irqOpen.length >= MAX_DEPTH) {
    cx.report('limit.depth', r.line, `more than ${MAX_DEPTH} irq handlers open on CPU ${cpu}: kept as an instant`);
    instant(cx, r, dom, cpu);
    return;
  }
  cs.irqOpen.push({ line: r.line, n: irq });
  const e: TraceEvent = { kind: 'irq', phase: 'entry', ts: cx.laneTime(cs, r.ts), cpu, tid: cx.current(cpu), irq };
  const name = textOf(p.name);
  if (name !== undefined) e.name = name;
  cx.b.sink.push(e);
}

export function onIrqExit(cx: Context, r: LttngRecord, dom: Domain, cpu: number): void {
  const p = r.payload;
  const irq = intOf(p.irq);
  if (!Number.isFinite(irq) || cpu < 0) {
    instant(cx, r, dom, cpu);
    return;
  }
  const cs = cx.cpuState(cpu);
  if (cs.irqOpen.length === 0) {
    cx.report('lttng-text.unmatched-exit', r.line, `irq_handler_exit of IRQ ${irq} on CPU ${cpu} without its entry: kept as an instant`);
    instant(cx, r, dom, cpu);
    return;
  }
  cs.irqOpen.pop();
  const e: TraceEvent = { kind: 'irq', phase: 'exit', ts: cx.laneTime(cs, r.ts), cpu, tid: cx.current(cpu), irq };
  const ret = intOf(p.ret);
  if (Number.isFinite(ret)) e.ret = ret;
  cx.b.sink.push(e);
}

export function onSoftirqEntry(cx: Context, r: LttngRecord, dom: Domain, cpu: number): void {
  const vec = intOf(r.payload.vec);
  if (!Number.isFinite(vec) || cpu < 0) {
    instant(cx, r, dom, cpu);
    return;
  }
  const cs = cx.cpuState(cpu);
  if (cs.softirqOpen.length >= MAX_DEPTH) {
    cx.report('limit.depth', r.line, `more than ${MAX_DEPTH} softirqs open on CPU ${cpu}: kept as an instant`);
    instant(cx, r, dom, cpu);
    return;
  }
  cs.softirqOpen.push({ line: r.line, n: vec });
  cx.b.sink.push({ kind: 'softirq', phase: 'entry', ts: cx.laneTime(cs, r.ts), cpu, tid: cx.current(cpu), vec });
}

export function onSoftirqExit(cx: Context, r: LttngRecord, dom: Domain, cpu: number): void {
  const vec = intOf(r.payload.vec);
  if (!Number.isFinite(vec) || cpu < 0) {
    instant(cx, r, dom, cpu);
    return;
  }
  const cs = cx.cpuState(cpu);
  if (cs.softirqOpen.length === 0) {
    cx.report('lttng-text.unmatched-exit', r.line, `softirq_exit on CPU ${cpu} without its entry: kept as an instant`);
    instant(cx, r, dom, cpu);
    return;
  }
  cs.softirqOpen.pop();
  cx.b.sink.push({ kind: 'softirq', phase: 'exit', ts: cx.laneTime(cs, r.ts), cpu, tid: cx.current(cpu), vec });
}

/** irq and softirq handlers still running when the trace ended close at its last time. */
export function closeInterrupts(cx: Context): void {
  for (const cs of cx.cpusInOrder()) {
    const ts = cx.laneTime(cs, cx.clock.maxTs);
    while (cs.softirqOpen.length) {
      const o = cs.softirqOpen.pop()!;
      cx.report('lttng-text.unclosed-entry', o.line, `softirq on CPU ${cs.cpu} has no exit: closed at the last time of the trace`);
      cx.b.sink.push({ kind: 'softirq', phase: 'exit', ts, cpu: cs.cpu, tid: cx.current(cs.cpu), vec: o.n });
    }
    while (cs.irqOpen.length) {
      const o = cs.irqOpen.pop()!;
      cx.report('lttng-text.unclosed-entry', o.line, `IRQ ${o.n} on CPU ${cs.cpu} has no exit: closed at the last time of the trace`);
      cx.b.sink.push({ kind: 'irq', phase: 'exit', ts, cpu: cs.cpu, tid: cx.current(cs.cpu), irq: o.n });
    }
  }
}

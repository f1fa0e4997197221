/**
 * A finished block → one `sample` event: its frames root first (the shared `StackBuilder`), the
 * report it belongs to (reason, title), the task it names, its time and weight.
 */
import type { Args, StackSample } from '../../model/events.js';
import { incidentOf } from './incident.js';
import { packFrames } from './kept-stacks.js';
import { TASK_STATE } from './task-lines.js';
import { MAX_LAST_STACKS, MAX_NAMES, type Block, type CallerState, type DmesgState } from './state.js';

/** What a sample says beyond its frames. */
interface Described {
  reason: string;
  title: string | undefined;
  timed: boolean;
  /** Time of the header of the report whose first trace this is. */
  firstOfReport: number | undefined;
  pid: number | undefined;
  comm: string | undefined;
}

/** A bpftrace map key (`@[kstack, pid, comm]`): its pid and comm, when they are there. */
function bpfKey(key: string, d: Described, args: Args): void {
  const k = key.replace(/,\s*$/, '').trim();
  if (!k) return;
  args.key = k;
  for (const part of k.split(',')) {
    const v = part.trim();
    if (/^\d+$/.test(v)) d.pid = Number(v);
    else if (v && d.comm === undefined) d.comm = v;
  }
}

function describe(c: DmesgState, st: CallerState, blk: Block, args: Args): Described {
  const d: Described = { reason: 'histogram', title: undefined, timed: blk.ts !== undefined, firstOfReport: undefined, pid: st.pid, comm: st.comm };
  if (blk.histogram) {
    d.title = blk.histogram.label;
    args.line = blk.histogram.line;
    d.timed = false;
    return d;
  }
  if (blk.bpf) {
    d.title = blk.bpf.name;
    d.timed = false;
    bpfKey(blk.bpf.key, d, args);
    return d;
  }
  const inc = incidentOf(c, st, blk.line, blk.ts);
  d.reason = inc?.reason ?? st.taskKind ?? 'dump_stack';
  d.title = inc?.title;
  if (inc) {
    if (inc.stacks === 0 && inc === st.incident) d.firstOfReport = inc.ts;
    inc.stacks++;
    if (blk.ts !== undefined) inc.lastTs = blk.ts;
    inc.lastLine = blk.line;
  }
  if (st.label) d.title = d.title ? `${st.label} — ${d.title}` : st.label;
  return d;
}

/**
 * Task names by pid and each task's last stack, both bounded. `<Same stack as pid N>` is printed
 * in task-state dumps (sysrq-t/w, hung tasks) for a task of the same dump, so only the stacks of
 * task-state lines are kept: a log of many WARNINGs keeps none of theirs.
 */
function remember(c: DmesgState, st: CallerState, blk: Block, d: Described): void {
  const { pid, comm } = d;
  if (pid === undefined) return;
  if (comm !== undefined && c.names.get(pid) !== comm) {
    c.names.set(pid, comm);
    if (c.names.size > MAX_NAMES) c.names.delete(c.names.keys().next().value as number);
  }
  if (!blk.histogram && !blk.bpf && st.taskKind === TASK_STATE) {
    c.lastStacks.delete(pid);
    c.lastStacks.set(pid, packFrames(blk.frames));
    if (c.lastStacks.size > MAX_LAST_STACKS) c.lastStacks.delete(c.lastStacks.keys().next().value as number);
  }
}

function trackOf(c: DmesgState, st: CallerState, pid: number | undefined, comm: string | undefined): number {
  if (pid === undefined) return c.sink.global('kernel log');
  if (pid === 0 && st.cpu !== undefined) return c.sink.idleThread(st.cpu);
  return c.sink.thread(pid, comm ?? `pid ${pid}`);
}

function count(c: DmesgState, st: CallerState, blk: Block, timed: boolean): void {
  const s = c.summary;
  s.samples++;
  if (timed) s.timedSamples++;
  s.totalWeight += blk.weight;
  if (blk.histogram || blk.bpf) {
    c.hist.entries++;
    c.hist.weight += blk.weight;
    if (blk.bpf) c.hist.bpfEntries++;
  }
  st.emitted++;
}

export function emit(c: DmesgState, st: CallerState, blk: Block, extra: Args | undefined): void {
  // A histogram entry counted 0 times observed nothing.
  if (blk.weight <= 0) return;
  const built = c.stacks.build(blk.frames);
  if (built.onlyUnreliable) c.report('dmesg.only-unreliable', blk.line);
  if (built.frames.length === 0) return;
  const args: Args = { line: blk.line };
  if (st.label) args.label = st.label;
  if (extra) Object.assign(args, extra);
  const d = describe(c, st, blk, args);
  remember(c, st, blk, d);
  if (blk.sameAs !== undefined) args.same_as_pid = blk.sameAs;
  const pid = d.pid;
  const comm = pid !== undefined && d.comm === undefined ? c.names.get(pid) : d.comm;
  let ts = d.timed ? blk.ts! : c.summary.samples * 1000;
  // The first trace of a report is shown at the time of the report's header.
  if (d.timed && d.firstOfReport !== undefined && d.firstOfReport < ts) ts = d.firstOfReport;
  const ev: StackSample = { kind: 'sample', ts, track: trackOf(c, st, pid, comm), frames: built.frames, weight: blk.weight, reason: d.reason };
  if (st.cpu !== undefined) ev.cpu = st.cpu;
  if (pid !== undefined) {
    ev.pid = pid;
    ev.tid = pid;
  }
  if (comm !== undefined) ev.comm = comm;
  if (d.title !== undefined) ev.title = d.title;
  ev.args = args;
  c.sink.push(ev);
  count(c, st, blk, d.timed);
}

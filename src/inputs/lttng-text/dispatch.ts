/**
 * Meanings → handlers, as a table: each record goes to the handler of its event's meaning
 * (`meaning.ts`) with its domain and CPU. Handlers keep what they cannot read as an instant.
 */
import { onBlockComplete, onBlockIssue } from './block.js';
import { type Context, cpuOf } from './context.js';
import { onHrtimerEntry, onHrtimerExit, onIpiEntry, onIpiExit, onTimerEntry, onTimerExit, onVectorEntry, onVectorExit } from './cpu-lanes.js';
import { onFuncEntry, onFuncExit } from './functions.js';
import { onIrqEntry, onIrqExit, onSoftirqEntry, onSoftirqExit } from './irq.js';
import { type Domain, Op } from './meaning.js';
import { exec, exit, fork, statedump, ustProcname } from './processes.js';
import type { LttngRecord } from './record.js';
import { onSwitch, onWaking, onWakeup, onWakeupNew } from './sched.js';
import { onSysEntry, onSysExit, onSysExitAny } from './syscalls.js';
import { instant } from './tracks.js';

/** A meaning's handler: the record, its domain, its CPU (-1 none) and the meaning's argument. */
export type Handler = (cx: Context, r: LttngRecord, dom: Domain, cpu: number, arg: string | undefined) => void;

const HANDLERS: Record<Op, Handler> = {
  [Op.Instant]: (cx, r, dom, cpu) => instant(cx, r, dom, cpu),
  [Op.Switch]: onSwitch,
  [Op.Waking]: onWaking,
  [Op.Wakeup]: onWakeup,
  [Op.WakeupNew]: onWakeupNew,
  [Op.Fork]: (cx, r, dom, cpu) => {
    fork(cx, r, dom);
    instant(cx, r, dom, cpu);
  },
  [Op.Exec]: (cx, r, dom, cpu) => {
    exec(cx, r, dom);
    instant(cx, r, dom, cpu);
  },
  // The instant first: it is drawn on the task that exits.
  [Op.Exit]: (cx, r, dom, cpu) => {
    instant(cx, r, dom, cpu);
    exit(cx, r, dom);
  },
  [Op.Statedump]: (cx, r, dom, cpu) => {
    statedump(cx, r);
    instant(cx, r, dom, cpu);
  },
  [Op.IrqEntry]: onIrqEntry,
  [Op.IrqExit]: onIrqExit,
  [Op.SoftirqEntry]: onSoftirqEntry,
  [Op.SoftirqExit]: onSoftirqExit,
  [Op.SysEntry]: onSysEntry,
  [Op.SysExit]: onSysExit,
  [Op.SysExitAny]: onSysExitAny,
  [Op.HrtimerEntry]: onHrtimerEntry,
  [Op.HrtimerExit]: onHrtimerExit,
  [Op.TimerEntry]: onTimerEntry,
  [Op.TimerExit]: onTimerExit,
  [Op.VectorEntry]: onVectorEntry,
  [Op.VectorExit]: onVectorExit,
  [Op.IpiEntry]: onIpiEntry,
  [Op.IpiExit]: onIpiExit,
  [Op.BlockIssue]: onBlockIssue,
  [Op.BlockComplete]: onBlockComplete,
  [Op.FuncEntry]: onFuncEntry,
  [Op.FuncExit]: onFuncExit,
  [Op.UstProcname]: (cx, r, dom, cpu) => {
    ustProcname(cx, r);
    instant(cx, r, dom, cpu);
  },
};

/** Gives a record (its time already set) to the handler of its meaning. */
export function dispatch(cx: Context, r: LttngRecord, dom: Domain): void {
  const m = cx.meanings.get(r.name, dom);
  const cpu = cpuOf(r);
  cx.b.cpu = cpu;
  HANDLERS[m.op](cx, r, dom, cpu, m.arg);
}

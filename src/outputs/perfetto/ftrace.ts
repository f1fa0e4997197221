/**
 * Scheduler and interrupt events as Perfetto's own ftrace packets: per-CPU FtraceEventBundles
 * (sequence-less, `BUNDLE_EVENTS` events each), so the UI shows CPU tracks, thread states and
 * wake-ups. Each CPU's events are encoded as they come into that CPU's small buffer, which is
 * copied into the output as one packet when full (and at the end, CPUs in order). A SystemInfo
 * packet comes first: the trace processor decodes `prev_state` by kernel release (the model
 * uses the >= 4.14 layout).
 */
import type { IrqEvent, SchedSwitch, SchedWaking, SoftirqEvent, TraceInfo } from '../../model/events.js';
import type { SysEnter, SysExit } from '../perfetto-syscalls.js';
import { FE, FIELDS, PK } from './fields.js';
import { ProtoWriter } from './proto-writer.js';

/** Events per FtraceEventBundle before it is written. */
export const BUNDLE_EVENTS = 512;

const PACKET = FIELDS.Trace.packet;
const BUNDLE = FIELDS.FtraceEventBundle;
const SW = FIELDS.SchedSwitchFtraceEvent;
const WK = FIELDS.SchedWakingFtraceEvent;
const IRQ_IN = FIELDS.IrqHandlerEntryFtraceEvent;
const IRQ_OUT = FIELDS.IrqHandlerExitFtraceEvent;
const UTS = FIELDS.Utsname;

interface Bundle {
  w: ProtoWriter;
  events: number;
}

export class FtraceBundles {
  private readonly bundles = new Map<number, Bundle>();
  private systemInfoSent = false;

  constructor(
    private readonly out: ProtoWriter,
    private readonly info: () => TraceInfo | undefined,
  ) {}

  /** Opens an FtraceEvent in `cpu`'s bundle (time, current task); `done` closes it. */
  private begin(cpu: number, ts: number, pid: number): ProtoWriter {
    if (!this.systemInfoSent) this.systemInfo();
    let b = this.bundles.get(cpu);
    if (!b) this.bundles.set(cpu, (b = { w: new ProtoWriter(64 << 10), events: 0 }));
    const w = b.w;
    w.open(BUNDLE.event);
    w.u64(FE.timestamp, ts);
    w.u32(FE.pid, pid);
    return w;
  }

  private done(cpu: number): void {
    const b = this.bundles.get(cpu)!;
    b.w.close();
    if (++b.events >= BUNDLE_EVENTS) this.flush(cpu);
  }

  private systemInfo(): void {
    this.systemInfoSent = true;
    const info = this.info();
    const o = this.out;
    o.open(PACKET);
    o.open(PK.systemInfo);
    o.open(FIELDS.SystemInfo.utsname);
    o.string(UTS.sysname, 'Linux');
    o.string(UTS.release, info?.notes?.kernel_release ?? '6.1.0');
    if (info?.notes?.machine) o.string(UTS.machine, info.notes.machine);
    o.close();
    o.close();
    o.close();
  }

  /** Writes `cpu`'s bundle as a packet, if it holds events. */
  flush(cpu: number): void {
    const b = this.bundles.get(cpu);
    if (!b || b.events === 0) return;
    const o = this.out;
    o.open(PACKET);
    o.open(PK.ftraceEvents);
    o.u32(BUNDLE.cpu, cpu);
    o.bytes(b.w.buf.subarray(0, b.w.pos));
    o.close();
    o.close();
    b.w.pos = b.w.start = 0;
    b.events = 0;
  }

  /** Every bundle still holding events, CPUs in order. */
  flushAll(): void {
    for (const cpu of [...this.bundles.keys()].sort((a, b) => a - b)) this.flush(cpu);
  }

  schedSwitch(e: SchedSwitch): void {
    const w = this.begin(e.cpu, e.ts, e.prevTid);
    w.open(FE.schedSwitch);
    w.string(SW.prevComm, e.prevComm);
    w.i32(SW.prevPid, e.prevTid);
    w.i32(SW.prevPrio, e.prevPrio);
    w.i64(SW.prevState, e.prevState);
    w.string(SW.nextComm, e.nextComm);
    w.i32(SW.nextPid, e.nextTid);
    w.i32(SW.nextPrio, e.nextPrio);
    w.close();
    this.done(e.cpu);
  }

  schedWaking(e: SchedWaking): void {
    const w = this.begin(e.cpu, e.ts, e.wakerTid ?? 0);
    w.open(FE.schedWaking);
    w.string(WK.comm, e.comm);
    w.i32(WK.pid, e.tid);
    w.i32(WK.prio, e.prio);
    w.i32(WK.success, 1);
    w.i32(WK.targetCpu, e.targetCpu);
    w.close();
    this.done(e.cpu);
  }

  irq(e: IrqEvent): void {
    const w = this.begin(e.cpu, e.ts, e.tid);
    if (e.phase === 'entry') {
      w.open(FE.irqHandlerEntry);
      w.i32(IRQ_IN.irq, e.irq);
      w.string(IRQ_IN.name, e.name ?? '');
    } else {
      w.open(FE.irqHandlerExit);
      w.i32(IRQ_OUT.irq, e.irq);
      w.i32(IRQ_OUT.ret, e.ret ?? 1);
    }
    w.close();
    this.done(e.cpu);
  }

  /** A raw syscall entry: its number and argument words (decimal text, they may pass 2^53). */
  sysEnter(s: SysEnter): void {
    const w = this.begin(s.cpu, s.ts, s.tid);
    w.open(FE.sysEnter);
    w.i64(FIELDS.SysEnterFtraceEvent.id, s.nr);
    for (const a of s.args) w.u64Decimal(FIELDS.SysEnterFtraceEvent.args, a);
    w.close();
    this.done(s.cpu);
  }

  /** A raw syscall exit: its number and, when the input printed one, its return value. */
  sysExit(s: SysExit): void {
    const w = this.begin(s.cpu, s.ts, s.tid);
    w.open(FE.sysExit);
    w.i64(FIELDS.SysExitFtraceEvent.id, s.nr);
    if (s.ret !== undefined) w.i64(FIELDS.SysExitFtraceEvent.ret, s.ret);
    w.close();
    this.done(s.cpu);
  }

  softirq(e: SoftirqEvent): void {
    const w = this.begin(e.cpu, e.ts, e.tid);
    w.open(e.phase === 'entry' ? FE.softirqEntry : FE.softirqExit);
    w.u32(FIELDS.SoftirqEntryFtraceEvent.vec, e.vec);
    w.close();
    this.done(e.cpu);
  }
}

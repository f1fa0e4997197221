/**
 * Chrome JSON lanes of the CPUs process, made by the writer for scheduler and interrupt events:
 * per CPU a `CPU N` lane of what ran (a `B`/`E` per task between switches, wake-ups as
 * instants), and `CPU N irq` / `CPU N softirq` lanes of handler slices. An open slice's `E`
 * repeats its `B`'s name and arguments; what is still open at the end closes at the last time.
 */
import type { IrqEvent, SchedSwitch, SchedWaking, SoftirqEvent } from '../model/events.js';
import { PSEUDO_TID_BASE } from '../model/slices.js';
import type { ByteOut } from './byte-out.js';
import { softirqName } from './common.js';
import { jsonMember as member, jsonObject, jsonString, templateNumber as tpl, usTime } from './json-text.js';

/** pid of the process that groups per-CPU lanes, and of the one for global lanes. */
export const CPU_LANES_PID = PSEUDO_TID_BASE - 1;
export const GLOBAL_LANES_PID = PSEUDO_TID_BASE - 2;
export const LANE_TID_BASE = PSEUDO_TID_BASE + (2 << 16);

const q = JSON.stringify;

/** What the lanes need of the writer: the output positioned for a new event, and metadata events. */
export interface LaneHost {
  direct(): ByteOut;
  meta(kind: 'process_name' | 'thread_name', pid: number, tid: number, name: string): void;
  sortIndex(pid: number, tid: number, index: number): void;
  processName(pid: number, name: string): void;
}

/** What an open `B` on a CPU's sched lane repeats on its `E`: the switch's next task. */
interface Running {
  name: string;
  args: { tid: number; prio: number; prev_comm: string; prev_tid: number; prev_state: number };
}

export class CpuLanes {
  private readonly lanes = new Map<string, number>();
  private readonly schedLanes = new Map<number, number>();
  /** Per-CPU: the `B` open on the CPU lane (sched), to end it at the next switch. */
  private readonly running = new Map<number, Running>();
  /** Per lane (`cpu:what`): the open `B`s of irq and softirq lanes, innermost last. */
  private readonly laneOpen = new Map<string, string[]>();

  constructor(private readonly host: LaneHost) {}

  /** The tid of a per-CPU lane created by the writer for scheduler and interrupt events. */
  lane(cpu: number, what: string): number {
    if (what === 'sched') {
      const tid = this.schedLanes.get(cpu);
      if (tid !== undefined) return tid;
    }
    const key = `${cpu}:${what}`;
    let tid = this.lanes.get(key);
    if (tid === undefined) {
      tid = LANE_TID_BASE + 0x8000 + this.lanes.size;
      this.lanes.set(key, tid);
      this.host.processName(CPU_LANES_PID, 'CPUs');
      this.host.meta('thread_name', CPU_LANES_PID, tid, what === 'sched' ? `CPU ${cpu}` : `CPU ${cpu} ${what}`);
      this.host.sortIndex(CPU_LANES_PID, tid, cpu * 4 + (this.lanes.size % 4));
    }
    if (what === 'sched') this.schedLanes.set(cpu, tid);
    return tid;
  }

  /** `"pid":…,"tid":…,"ts":…` of an event on a lane of the CPUs process. */
  private lanePt(o: ByteOut, tid: number, ts: number) {
    o.ascii(`"pid":${CPU_LANES_PID},"tid":`);
    tpl(o, tid);
    o.ascii(',"ts":');
    usTime(o, ts);
  }

  /** The `cat`, `name` and `args` members of a sched lane's `B`, repeated on its `E`. */
  private runningKey(o: ByteOut, r: Running) {
    o.ascii('"cat":"sched","name":');
    jsonString(o, r.name);
    o.ascii(',"args":');
    jsonObject(o, r.args);
  }

  schedSwitch(e: SchedSwitch) {
    const tid = this.lane(e.cpu, 'sched');
    let r = this.running.get(e.cpu);
    if (r !== undefined) {
      const o = this.host.direct();
      o.ascii('{"ph":"E",');
      this.lanePt(o, tid, e.ts);
      o.ascii(',');
      this.runningKey(o, r);
      o.ascii('}');
    }
    const name = e.nextTid === 0 ? 'swapper' : e.nextComm;
    if (!r) {
      r = { name, args: { tid: e.nextTid, prio: e.nextPrio, prev_comm: e.prevComm, prev_tid: e.prevTid, prev_state: e.prevState } };
      this.running.set(e.cpu, r);
    } else {
      r.name = name;
      const a = r.args;
      a.tid = e.nextTid;
      a.prio = e.nextPrio;
      a.prev_comm = e.prevComm;
      a.prev_tid = e.prevTid;
      a.prev_state = e.prevState;
    }
    const o = this.host.direct();
    o.ascii('{"ph":"B",');
    this.lanePt(o, tid, e.ts);
    o.ascii(',');
    this.runningKey(o, r);
    o.ascii('}');
  }

  /** `key` is the `cat`, `name` and `args` members, repeated on the matching `E`. */
  private laneBegin(cpu: number, what: string, tid: number, ts: number, key: string) {
    const k = `${cpu}:${what}`;
    let st = this.laneOpen.get(k);
    if (!st) this.laneOpen.set(k, (st = []));
    st.push(key);
    const o = this.host.direct();
    o.ascii('{"ph":"B",');
    this.lanePt(o, tid, ts);
    o.ascii(',');
    o.utf8(key);
    o.ascii('}');
  }

  /** An exit with no entry open on its lane closes nothing: it stays visible as an instant. */
  private laneEnd(cpu: number, what: string, tid: number, ts: number) {
    const key = this.laneOpen.get(`${cpu}:${what}`)?.pop();
    const o = this.host.direct();
    if (key !== undefined) {
      o.ascii('{"ph":"E",');
      this.lanePt(o, tid, ts);
      o.ascii(',');
      o.utf8(key);
      o.ascii('}');
    } else {
      o.ascii('{"ph":"i","s":"t",');
      this.lanePt(o, tid, ts);
      o.ascii(`,"cat":${q(what)},"name":${q(`${what} exit`)}}`);
    }
  }

  schedWaking(e: SchedWaking) {
    const tid = this.lane(e.cpu, 'sched');
    const o = this.host.direct();
    o.ascii('{"ph":"i","s":"t",');
    this.lanePt(o, tid, e.ts);
    o.ascii(',"cat":"sched","name":');
    jsonString(o, `wakes ${e.comm}`);
    o.ascii(',"args":{');
    let first = member(o, true, 'tid', e.tid);
    first = member(o, first, 'comm', e.comm);
    first = member(o, first, 'prio', e.prio);
    first = member(o, first, 'target_cpu', e.targetCpu);
    member(o, first, 'waker_tid', e.wakerTid);
    o.ascii('}}');
  }

  irq(e: IrqEvent) {
    const tid = this.lane(e.cpu, 'irq');
    if (e.phase === 'entry') this.laneBegin(e.cpu, 'irq', tid, e.ts, `"cat":"irq","name":${q(`IRQ ${e.irq}${e.name ? ` (${e.name})` : ''}`)},"args":${q({ irq: e.irq, tid: e.tid })}`);
    else this.laneEnd(e.cpu, 'irq', tid, e.ts);
  }

  softirq(e: SoftirqEvent) {
    const tid = this.lane(e.cpu, 'softirq');
    if (e.phase === 'entry') this.laneBegin(e.cpu, 'softirq', tid, e.ts, `"cat":"softirq","name":${q(softirqName(e.vec))},"args":${q({ vec: e.vec, tid: e.tid })}`);
    else this.laneEnd(e.cpu, 'softirq', tid, e.ts);
  }

  /** Closes what is still open, at `lastTs`. */
  finish(lastTs: number) {
    for (const [cpu, r] of this.running) {
      const o = this.host.direct();
      o.ascii('{"ph":"E",');
      this.lanePt(o, this.lane(cpu, 'sched'), lastTs);
      o.ascii(',');
      this.runningKey(o, r);
      o.ascii('}');
    }
    for (const [k, st] of this.laneOpen) {
      const [cpu, what] = k.split(':');
      const tid = this.lane(Number(cpu), what!);
      while (st.length) {
        const o = this.host.direct();
        o.ascii('{"ph":"E",');
        this.lanePt(o, tid, lastTs);
        o.ascii(',');
        o.utf8(st.pop()!);
        o.ascii('}');
      }
    }
  }
}

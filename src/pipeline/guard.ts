/**
 * The last check between the input adapters and the output writers: every time is an integer
 * in 0..2^53-1 ns, every cpu is in 0..1023 and every pid and tid fits an int32, so no writer can produce a number
 * its format cannot hold (a wrapped 64-bit varint, an exponent in JSON). The slice builder
 * already keeps its own times in range, with the input line; this catches what adapters push
 * directly (scheduler, interrupt and stack events) and reports it.
 */
import type { Report } from '../model/diagnostics.js';
import type { TraceEvent, TrackInfo } from '../model/events.js';
import { MAX_CPU, MAX_ID, MAX_SAMPLES_PER_STACK, MAX_TIME_NS } from '../model/limits.js';

const okTime = (v: number) => v >= 0 && v <= MAX_TIME_NS && Math.floor(v) === v;
const okId = (v: number) => v >= -1 && v <= MAX_ID && Math.floor(v) === v;
const okCpu = (v: number) => v >= -1 && v <= MAX_CPU && Math.floor(v) === v;

function fixTime(v: number): number {
  if (!(v > 0)) return 0;
  return v > MAX_TIME_NS ? MAX_TIME_NS : Math.floor(v);
}

/**
 * Where ids that do not fit go: each distinct value gets its own id from here up, so two
 * threads or CPUs never merge into one (which would interleave their slices). Above the
 * pseudo-thread and lane ids (2^30 + a few 2^16), below 2^31.
 */
const REMAP_BASE = 0x60000000;

export class EventGuard {
  private readonly remap = new Map<number, number>();
  private readonly remapCpu = new Map<number, number>();

  constructor(private readonly report: Report) {}

  private time(v: number, what: string): number {
    if (okTime(v)) return v;
    this.report('limit.number-range', 0, `${what} time ${v} ns is outside 0..2^53-1 ns: clamped`);
    return fixTime(v);
  }

  private id(v: number, what: string): number {
    if (okId(v)) return v;
    let m = this.remap.get(v);
    if (m === undefined) {
      m = Math.min(REMAP_BASE + this.remap.size, MAX_ID);
      this.remap.set(v, m);
      this.report('limit.id-range', 0, `${what} ${v} does not fit an int32: written as ${m}`);
    }
    return m;
  }

  /** CPUs out of range get numbers of their own from the top of the range down. */
  private cpu(v: number): number {
    if (okCpu(v)) return v;
    let m = this.remapCpu.get(v);
    if (m === undefined) {
      m = Math.max(0, MAX_CPU - this.remapCpu.size);
      this.remapCpu.set(v, m);
      this.report('limit.id-range', 0, `cpu ${v} is outside 0..${MAX_CPU}: written as ${m}`);
    }
    return m;
  }

  private track(t: TrackInfo) {
    if (t.kind === 'thread') {
      if (!okId(t.pid)) t.pid = this.id(t.pid, 'pid');
      if (!okId(t.tid)) t.tid = this.id(t.tid, 'tid');
    }
    if (t.kind !== 'global' && t.cpu !== undefined && !okCpu(t.cpu)) t.cpu = this.cpu(t.cpu);
  }

  /** Checks (and fixes in place) one batch of events. */
  check(evs: TraceEvent[]): void {
    for (let i = 0; i < evs.length; i++) {
      const e = evs[i]!;
      switch (e.kind) {
        case 'info':
        case 'process':
          break;
        case 'track':
          this.track(e.track);
          break;
        case 'end':
          if (!okTime(e.start)) e.start = this.time(e.start, 'slice start');
          if (!okTime(e.ts)) e.ts = this.time(e.ts, 'slice end');
          if (e.ts < e.start) e.ts = e.start;
          if (!okTime(e.selfNs)) e.selfNs = fixTime(e.selfNs);
          break;
        case 'counter':
          if (!okTime(e.ts)) e.ts = this.time(e.ts, e.kind);
          if (!Number.isFinite(e.value)) {
            this.report('limit.number-range', 0, `counter ${e.name} value ${e.value} is not a finite number: 0 written`);
            e.value = 0;
          }
          break;
        case 'sample':
          if (!okTime(e.ts)) e.ts = this.time(e.ts, e.kind);
          if (!(e.weight >= 0 && e.weight <= MAX_TIME_NS && Math.floor(e.weight) === e.weight)) {
            this.report('limit.number-range', 0, `stack weight ${e.weight} is outside 0..2^53-1: clamped`);
            e.weight = fixTime(e.weight);
          }
          if (e.weight > MAX_SAMPLES_PER_STACK) {
            this.report('limit.sample-count', 0, `a stack seen ${e.weight} times: Perfetto gets ${MAX_SAMPLES_PER_STACK} samples of it (its count argument keeps ${e.weight})`);
          }
          if (e.cpu !== undefined && !okCpu(e.cpu)) e.cpu = this.cpu(e.cpu);
          if (e.pid !== undefined && !okId(e.pid)) e.pid = this.id(e.pid, 'pid');
          if (e.tid !== undefined && !okId(e.tid)) e.tid = this.id(e.tid, 'tid');
          break;
        case 'sched-switch':
          if (!okTime(e.ts)) e.ts = this.time(e.ts, e.kind);
          if (!okCpu(e.cpu)) e.cpu = this.cpu(e.cpu);
          if (!okId(e.prevTid)) e.prevTid = this.id(e.prevTid, 'tid');
          if (!okId(e.nextTid)) e.nextTid = this.id(e.nextTid, 'tid');
          break;
        case 'sched-waking':
          if (!okTime(e.ts)) e.ts = this.time(e.ts, e.kind);
          if (!okCpu(e.cpu)) e.cpu = this.cpu(e.cpu);
          if (!okCpu(e.targetCpu)) e.targetCpu = this.cpu(e.targetCpu);
          if (!okId(e.tid)) e.tid = this.id(e.tid, 'tid');
          break;
        case 'irq':
        case 'softirq':
          if (!okTime(e.ts)) e.ts = this.time(e.ts, e.kind);
          if (!okCpu(e.cpu)) e.cpu = this.cpu(e.cpu);
          if (!okId(e.tid)) e.tid = this.id(e.tid, 'tid');
          break;
        default:
          if (!okTime(e.ts)) e.ts = this.time(e.ts, e.kind);
      }
    }
  }
}

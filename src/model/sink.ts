/**
 * What a parser emits into: tracks declared once (each declaration, and each rename of a thread,
 * becomes a `track` event), events appended in order, and handed out in batches by `take()`.
 * Track ids are dense, from 0, in declaration order. `SliceBuilder` is built on a sink; inputs
 * that make no slices (dmesg) use a sink alone.
 */
import type { TraceEvent, TrackInfo } from './events.js';

/**
 * Synthetic thread ids for lanes that are not a real task. Linux pids stay below 2^22
 * (PID_MAX_LIMIT), so these never collide with a real one and still fit an int32.
 */
export const PSEUDO_TID_BASE = 1 << 30;
/** `CPU N` lane: the CPU's task is unknown. */
export const cpuPseudoTid = (cpu: number) => PSEUDO_TID_BASE + cpu;
/** `swapper/N`: the idle task, pid 0 on every CPU, needs one lane per CPU. */
export const idleTid = (cpu: number) => PSEUDO_TID_BASE + (1 << 16) + cpu;

export class TraceSink {
  /** Events appended since the last `take()`. */
  out: TraceEvent[] = [];
  private readonly infos: TrackInfo[] = [];
  private readonly byKey = new Map<string, number>();
  private readonly listeners: ((info: TrackInfo) => void)[] = [];

  /** Appends one event. */
  push(ev: TraceEvent): void {
    this.out.push(ev);
  }

  /** Returns the events appended since the last call. */
  take(): TraceEvent[] {
    const o = this.out;
    this.out = [];
    return o;
  }

  /** Number of tracks declared (the next track's id). */
  get trackCount(): number {
    return this.infos.length;
  }

  /** The track declared with this id (owned by the sink: read, do not change). */
  track(id: number): TrackInfo {
    return this.infos[id]!;
  }

  /** Calls `f` with every track declared from now on, in order. */
  onTrack(f: (info: TrackInfo) => void): void {
    this.listeners.push(f);
  }

  /**
   * A thread lane (pid = tid unless the process is known). A known thread given another
   * (non-empty) name is renamed, and its track declared again with the new name.
   */
  thread(tid: number, name: string, pid = tid, processName = name, cpu?: number): number {
    const key = `t:${tid}`;
    const id = this.byKey.get(key);
    if (id !== undefined) {
      const info = this.infos[id]!;
      if (info.kind === 'thread' && name && info.name !== name) {
        info.name = name;
        if (info.pid === info.tid) info.processName = processName;
        this.out.push({ kind: 'track', track: { ...info } });
      }
      return id;
    }
    const info: TrackInfo = { kind: 'thread', id: this.infos.length, pid, tid, name, processName };
    if (cpu !== undefined) info.cpu = cpu;
    return this.add(key, info);
  }

  /** The lane of a CPU whose task is not known. */
  cpuThread(cpu: number): number {
    return this.thread(cpuPseudoTid(cpu), `CPU ${cpu}`, cpuPseudoTid(cpu), `CPU ${cpu}`, cpu);
  }

  /** The idle task of a CPU. */
  idleThread(cpu: number): number {
    return this.thread(idleTid(cpu), `swapper/${cpu}`, idleTid(cpu), `swapper/${cpu}`, cpu);
  }

  /** A per-CPU lane such as `CPU 1 irq`. */
  cpuLane(cpu: number, name: string): number {
    const key = `c:${cpu}:${name}`;
    return this.byKey.get(key) ?? this.add(key, { kind: 'cpu', id: this.infos.length, cpu, name });
  }

  /** A track of the whole trace (`kernel log`). */
  global(name: string): number {
    const key = `g:${name}`;
    return this.byKey.get(key) ?? this.add(key, { kind: 'global', id: this.infos.length, name });
  }

  private add(key: string, info: TrackInfo): number {
    this.infos.push(info);
    this.byKey.set(key, info.id);
    for (const f of this.listeners) f(info);
    this.out.push({ kind: 'track', track: { ...info } });
    return info.id;
  }
}

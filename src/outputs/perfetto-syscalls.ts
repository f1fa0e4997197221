/**
 * Raw syscalls as Perfetto records them: a slice whose begin carries `syscall` (ftrace's
 * raw_syscalls) on a real thread becomes a sys_enter ftrace event, and its end a sys_exit, which
 * the trace processor turns into a slice named from the machine's syscall table (numbers it has
 * a table for: 0..549). Other slices stay TrackEvents.
 *
 * The trace processor merges a thread's TrackEvent slices and its sys_enter/sys_exit slices
 * into one track, but sorts ftrace events (per-CPU queues) and TrackEvents apart, so at equal
 * times it may swap a syscall's entry and a slice begun inside it. Where a track's slice kind
 * changes at an equal time, the later one is written 1 ns after the earlier (µs-resolution text
 * makes such ties common); an enclosing slice synthesised before the track's time keeps its own.
 */
import type { SliceBegin, SliceEnd, TrackInfo } from '../model/events.js';
import { PSEUDO_TID_BASE } from '../model/slices.js';

/** Syscall numbers the trace processor's tables hold (kMaxSyscalls). */
const MAX_SYSCALL = 550;

export interface SysEnter {
  cpu: number;
  ts: number;
  tid: number;
  nr: number;
  /** Argument words, as decimal text (they may pass 2^53). */
  args: string[];
}

export interface SysExit {
  cpu: number;
  ts: number;
  tid: number;
  nr: number;
  /** Undefined when the input printed none (an exit closed for a lost one, or at the end). */
  ret?: number;
}

export class RawSyscalls {
  /** Per thread track, the depths of open slices written as sys_enter: their number and CPU. */
  private readonly open = new Map<number, Map<number, { nr: number; cpu: number }>>();
  /** Per track, the last slice begin/end: the time written, the input's time, and whether ftrace. */
  private readonly times = new Map<number, { out: number; raw: number; ftrace: boolean }>();

  /** The sys_enter for `e`, or undefined when it stays a TrackEvent. */
  enter(e: SliceBegin, t: TrackInfo | undefined): SysEnter | undefined {
    const sc = e.syscall;
    if (!sc || t?.kind !== 'thread' || t.tid >= PSEUDO_TID_BASE || !(sc.nr >= 0 && sc.nr < MAX_SYSCALL)) return undefined;
    let open = this.open.get(e.track);
    if (!open) this.open.set(e.track, (open = new Map()));
    const cpu = e.cpu ?? 0;
    open.set(e.depth, { nr: sc.nr, cpu });
    return { cpu, ts: this.time(e.track, e.ts, true), tid: t.tid, nr: sc.nr, args: sc.args.map((w) => BigInt(`0x${w}`).toString()) };
  }

  /** The sys_exit for `e` when its slice began as a sys_enter, else undefined. */
  exit(e: SliceEnd, t: TrackInfo | undefined): SysExit | undefined {
    const open = this.open.get(e.track)?.get(e.depth);
    if (!open || t?.kind !== 'thread') return undefined;
    this.open.get(e.track)!.delete(e.depth);
    const x: SysExit = { cpu: e.syscall?.cpu ?? open.cpu, ts: this.time(e.track, e.ts, true), tid: t.tid, nr: open.nr };
    if (e.syscall) x.ret = e.syscall.ret;
    return x;
  }

  /** The time a TrackEvent slice begin or end on `track` is written at. */
  time(track: number, ts: number, ftrace = false): number {
    const m = this.times.get(track);
    if (!m) {
      this.times.set(track, { out: ts, raw: ts, ftrace });
      return ts;
    }
    if (ts < m.raw) return ts;
    const out = ts > m.out ? ts : m.ftrace === ftrace ? m.out : m.out + 1;
    m.out = out;
    m.raw = ts;
    m.ftrace = ftrace;
    return out;
  }
}

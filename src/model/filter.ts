/**
 * The filter stage between an input adapter and an output writer: one implementation for every
 * input and output, applied once to the event stream.
 *
 * - `pid`, `tid`: lists of ids; `comm`: globs on thread or process names (`*`, `?`, `[...]`).
 *   Slices and instants are kept on matching thread lanes, stack samples by their task,
 *   scheduler and interrupt events when a matching task takes part.
 * - `cpu`: slices that began on a listed CPU (the CPU column of the line), per-CPU lanes,
 *   samples and scheduler/interrupt events of that CPU.
 * - `function`: globs; keeps the calls of a matching function and everything they call (as
 *   uftrace `-F` and trace-cmd `-g`): the matching frame becomes a root. Stacks are cut the
 *   same way, from their outermost matching frame.
 * - `exclude`: globs; drops matching slices and frames. Their children move up to the nearest
 *   kept caller, which takes the dropped call's self time, so folded totals do not change.
 * - `maxDepth`: keeps frames at depths below N (0 is a root); deeper calls are folded into their
 *   deepest kept caller's self time, as a stack cut at N frames gives its weight to its leaf.
 * - `time`: `A..B` (either side may be empty). A value with a unit (`ns`, `us`, `ms`, `s`) is
 *   relative to the first event of the trace; a bare number is an absolute trace timestamp in
 *   seconds, as ftrace and dmesg print it. Slices are kept when they begin in the window;
 *   instants, samples and scheduler events when they happen in it.
 *
 * A slice is kept or dropped as a whole at its begin; kept slices get their depth among kept
 * slices, so nesting stays valid for every writer.
 */
import type { Frame, SliceEnd, TraceEvent, TrackInfo } from './events.js';
import { isSynthesizedName } from './slices.js';

/** Plain data, so it can be sent to batch workers. */
export interface FilterSpec {
  pid?: number[];
  tid?: number[];
  comm?: string[];
  cpu?: number[];
  function?: string[];
  exclude?: string[];
  maxDepth?: number;
  time?: string;
}

export class FilterError extends Error {}

export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const j = glob.indexOf(']', i + 2);
      if (j < 0) re += '\\[';
      else {
        let body = glob.slice(i + 1, j).replace(/\\/g, '\\\\');
        if (body.startsWith('!')) body = '^' + body.slice(1);
        re += `[${body}]`;
        i = j;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function anyGlob(globs: string[] | undefined): ((s: string) => boolean) | undefined {
  if (!globs || globs.length === 0) return undefined;
  const res = globs.map(globToRegExp);
  return (s) => res.some((r) => r.test(s));
}

const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 };

export interface TimeBound {
  ns: number;
  relative: boolean;
}

/** `1.5ms` (relative), `84.000428` (absolute seconds), `` (open). */
export function parseTimeBound(s: string): TimeBound | undefined {
  const t = s.trim();
  if (t === '') return undefined;
  const m = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|ms|s)?$/.exec(t);
  if (!m) throw new FilterError(`bad time "${s}": a number of seconds (absolute), or with a unit ns/us/ms/s (relative to the trace start)`);
  const [int, frac = ''] = m[1]!.split('.');
  const unit = m[2];
  const scale = UNIT_NS[unit ?? 's']!;
  // Exact decimal → ns: the integer part times the scale plus the fraction's digits that fit.
  const digits = Math.round(Math.log10(scale));
  const fracNs = Number((frac + '0'.repeat(digits)).slice(0, digits) || '0');
  return { ns: Number(int || '0') * scale + fracNs, relative: unit !== undefined };
}

export function parseTimeRange(s: string): [TimeBound | undefined, TimeBound | undefined] {
  const i = s.indexOf('..');
  if (i < 0) throw new FilterError(`bad --time "${s}": give A..B (either side may be empty)`);
  return [parseTimeBound(s.slice(0, i)), parseTimeBound(s.slice(i + 2))];
}

/** Checks a spec (globs, time syntax) before a run starts; throws FilterError. */
export function checkFilterSpec(spec: FilterSpec): void {
  if (spec.time !== undefined) parseTimeRange(spec.time);
  if (spec.maxDepth !== undefined && !(Number.isInteger(spec.maxDepth) && spec.maxDepth >= 1)) {
    throw new FilterError(`bad --max-depth ${spec.maxDepth}: give a whole number of frames, at least 1`);
  }
}

export function isEmptySpec(spec: FilterSpec | undefined): boolean {
  if (!spec) return true;
  return Object.values(spec).every((v) => v === undefined || (Array.isArray(v) && v.length === 0));
}

/** What each filter was, as text for output metadata (`tid: 12,13`). */
export function describeFilters(spec: FilterSpec): Record<string, string> {
  const out: Record<string, string> = {};
  if (spec.pid?.length) out.pid = spec.pid.join(',');
  if (spec.tid?.length) out.tid = spec.tid.join(',');
  if (spec.comm?.length) out.comm = spec.comm.join(',');
  if (spec.cpu?.length) out.cpu = spec.cpu.join(',');
  if (spec.function?.length) out.function = spec.function.join(',');
  if (spec.exclude?.length) out.exclude = spec.exclude.join(',');
  if (spec.maxDepth !== undefined) out['max-depth'] = String(spec.maxDepth);
  if (spec.time !== undefined) out.time = spec.time;
  return out;
}

type Why = 'kept' | 'outside' | 'excluded' | 'deep';

interface Open {
  why: Why;
  /** Depth among kept slices (kept slices only). */
  depth: number;
  /** Self time given to this slice by dropped callees. */
  extraNs: number;
  /** Inside a call of a `--function` match. */
  inFunction: boolean;
}

export class EventFilter {
  private readonly tracks = new Map<number, TrackInfo>();
  private readonly keepTrack = new Map<number, boolean>();
  private readonly stacks = new Map<number, Open[]>();
  private readonly pid: Set<number> | undefined;
  private readonly tid: Set<number> | undefined;
  private readonly cpu: Set<number> | undefined;
  private readonly comm: ((s: string) => boolean) | undefined;
  private readonly fn: ((s: string) => boolean) | undefined;
  private readonly exclude: ((s: string) => boolean) | undefined;
  private readonly maxDepth: number;
  private readonly range: [TimeBound | undefined, TimeBound | undefined] | undefined;
  private window: [number, number] | undefined;
  private originNs = 0;
  private readonly byTask: boolean;

  constructor(spec: FilterSpec) {
    checkFilterSpec(spec);
    this.pid = spec.pid?.length ? new Set(spec.pid) : undefined;
    this.tid = spec.tid?.length ? new Set(spec.tid) : undefined;
    this.cpu = spec.cpu?.length ? new Set(spec.cpu) : undefined;
    this.comm = anyGlob(spec.comm);
    this.fn = anyGlob(spec.function);
    this.exclude = anyGlob(spec.exclude);
    this.maxDepth = spec.maxDepth ?? Infinity;
    this.range = spec.time !== undefined ? parseTimeRange(spec.time) : undefined;
    this.byTask = !!(this.pid || this.tid || this.comm);
  }

  private task(pid: number | undefined, tid: number | undefined, names: (string | undefined)[]): boolean {
    if (this.pid && (pid === undefined || !this.pid.has(pid))) return false;
    if (this.tid && (tid === undefined || !this.tid.has(tid))) return false;
    if (this.comm && !names.some((n) => n !== undefined && this.comm!(n))) return false;
    return true;
  }

  private trackMatches(t: TrackInfo): boolean {
    if (this.byTask) {
      if (t.kind !== 'thread') return false;
      if (!this.task(t.pid, t.tid, [t.name, t.processName])) return false;
    }
    return true;
  }

  private trackOk(id: number): boolean {
    return this.keepTrack.get(id) ?? !this.byTask;
  }

  private trackCpu(id: number): number | undefined {
    const t = this.tracks.get(id);
    return t && t.kind !== 'global' ? t.cpu : undefined;
  }

  private cpuOk(cpu: number | undefined): boolean {
    return !this.cpu || (cpu !== undefined && this.cpu.has(cpu));
  }

  private inWindow(ts: number): boolean {
    if (!this.range) return true;
    if (!this.window) {
      const [a, b] = this.range;
      const at = (x: TimeBound | undefined, dflt: number) => (x === undefined ? dflt : x.relative ? ts + x.ns : x.ns - this.originNs);
      this.window = [at(a, -Infinity), at(b, Infinity)];
    }
    return ts >= this.window[0] && ts <= this.window[1];
  }

  /** Any task of a scheduler or interrupt event matches. */
  private tidsOk(tids: number[], names: string[]): boolean {
    if (!this.byTask) return true;
    for (let i = 0; i < tids.length; i++) {
      const t = tids[i]!;
      const info = this.tracks.get(this.threadTrack.get(t) ?? -1);
      const pid = info?.kind === 'thread' ? info.pid : t;
      if (this.task(pid, t, [names[i], info?.kind === 'thread' ? info.processName : undefined])) return true;
    }
    return false;
  }

  private readonly threadTrack = new Map<number, number>();

  /**
   * Tracks the task filters did not keep but sent anyway, once, because a sample on them matched
   * by its own task (a kernel log's report of `sh` drawn on the global lane, say): a writer
   * needs the track of every event it gets. Other events on such a track stay out.
   */
  private readonly lent = new Set<number>();

  private lend(out: TraceEvent[], track: number) {
    if (!this.byTask || this.trackOk(track) || this.lent.has(track)) return;
    const t = this.tracks.get(track);
    if (!t) return;
    this.lent.add(track);
    out.push({ kind: 'track', track: t });
  }

  private frames(frames: Frame[]): Frame[] | undefined {
    let f = frames;
    if (this.fn) {
      const i = f.findIndex((x) => this.fn!(x.name));
      if (i < 0) return undefined;
      f = f.slice(i);
    }
    if (this.exclude) f = f.filter((x) => !this.exclude!(x.name));
    if (f.length > this.maxDepth) f = f.slice(0, this.maxDepth);
    return f.length ? f : undefined;
  }

  push(events: TraceEvent[]): TraceEvent[] {
    const out: TraceEvent[] = [];
    for (const e of events) {
      switch (e.kind) {
        case 'info':
          if (e.clockOriginNs) this.originNs = Number(e.clockOriginNs);
          out.push(e);
          break;
        case 'process':
          out.push(e);
          break;
        case 'track': {
          const t = e.track;
          this.tracks.set(t.id, t);
          if (t.kind === 'thread') this.threadTrack.set(t.tid, t.id);
          const keep = this.trackMatches(t);
          this.keepTrack.set(t.id, keep);
          if (keep) out.push(e);
          break;
        }
        case 'begin': {
          let st = this.stacks.get(e.track);
          if (!st) this.stacks.set(e.track, (st = []));
          const synthesized = isSynthesizedName(e.name);
          // A synthesised enclosing slice arrives after its children, which it encloses: they
          // were judged as roots, so it is judged as one, outside any earlier call.
          const parent = synthesized ? undefined : st[st.length - 1];
          const kept = parent ? (parent.why === 'kept' ? parent.depth + 1 : parent.depth) : 0;
          const inFn = (parent?.inFunction ?? false) || (this.fn !== undefined && this.fn(e.name));
          let why: Why = 'kept';
          if (
            !this.trackOk(e.track) ||
            !this.cpuOk(e.cpu ?? this.trackCpu(e.track)) ||
            !this.inWindow(e.ts) ||
            (this.fn && !inFn)
          )
            why = 'outside';
          else if (parent?.why === 'deep' || kept >= this.maxDepth) why = 'deep';
          else if (this.exclude?.(e.name)) why = 'excluded';
          // Depth: the kept callers' count (a dropped caller's children move up).
          const depth = why === 'kept' ? kept : parent ? (parent.why === 'kept' ? parent.depth + 1 : parent.depth) : 0;
          if (synthesized) st.length = 0;
          st.push({ why, depth, extraNs: 0, inFunction: inFn });
          if (why === 'kept') out.push(e.depth === depth ? e : { ...e, depth });
          break;
        }
        case 'end': {
          const st = this.stacks.get(e.track);
          const o = st?.pop();
          if (!o) {
            out.push(e);
            break;
          }
          if (o.why === 'kept') {
            const ev: SliceEnd = e.depth === o.depth && o.extraNs === 0 ? e : { ...e, depth: o.depth, selfNs: e.selfNs + o.extraNs };
            out.push(ev);
            break;
          }
          // Dropped: excluded calls give their self time, cut subtrees their whole time, to the
          // nearest kept caller (outside calls give nothing: they are not in the output).
          const give = o.why === 'excluded' ? e.selfNs + o.extraNs : o.why === 'deep' ? e.ts - e.start : 0;
          if (give > 0 && st && st.length && !(o.why === 'deep' && st[st.length - 1]!.why === 'deep')) {
            let k = st.length - 1;
            while (k >= 0 && st[k]!.why === 'excluded') k--;
            if (k >= 0 && st[k]!.why === 'kept') st[k]!.extraNs += give;
          }
          break;
        }
        case 'instant':
        case 'counter':
          if (this.trackOk(e.track) && this.cpuOk(this.trackCpu(e.track)) && this.inWindow(e.ts)) out.push(e);
          break;
        case 'sample': {
          const t = this.tracks.get(e.track);
          const th = t?.kind === 'thread' ? t : undefined;
          if (this.byTask && !this.task(e.pid ?? th?.pid, e.tid ?? th?.tid, [e.comm, th?.name, th?.processName])) break;
          if (!this.cpuOk(e.cpu ?? this.trackCpu(e.track)) || !this.inWindow(e.ts)) break;
          let kept: TraceEvent = e;
          if (this.fn || this.exclude || this.maxDepth !== Infinity) {
            const f = this.frames(e.frames);
            if (!f) break;
            if (f.length !== e.frames.length) kept = { ...e, frames: f };
          }
          this.lend(out, e.track);
          out.push(kept);
          break;
        }
        case 'sched-switch':
          if (this.cpuOk(e.cpu) && this.inWindow(e.ts) && this.tidsOk([e.prevTid, e.nextTid], [e.prevComm, e.nextComm])) out.push(e);
          break;
        case 'sched-waking':
          if (this.cpuOk(e.cpu) && this.inWindow(e.ts) && this.tidsOk(e.wakerTid !== undefined ? [e.tid, e.wakerTid] : [e.tid], [e.comm, ''])) out.push(e);
          break;
        case 'irq':
        case 'softirq':
          if (this.cpuOk(e.cpu) && this.inWindow(e.ts) && this.tidsOk([e.tid], [''])) out.push(e);
          break;
      }
    }
    return out;
  }
}

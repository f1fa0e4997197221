/**
 * `perf script` records → stack samples (the default reading), and the sample builder the
 * compat reading shares: threads as tracks, times, periods, the folded root (`comm`,
 * `comm-pid`, `comm-pid/tid`).
 *
 * Default rules (each one a slip of stackcollapse-perf.pl fixed, see the README): a record ends
 * at a blank or whitespace-only line and at the end of the input; comm names keep their spaces
 * and digits; the event filter compares names with and without modifiers and applies to every
 * sample, tracepoints too; a sample without callchain (`perf record` without `-g`) is a
 * one-frame stack; `-F +srcline` lines are recognised (with `--srcline`, appended as
 * `:file:line`), never read as frames.
 */
import type { Report } from '../../model/diagnostics.js';
import type { Args, Frame, StackSample, TraceEvent } from '../../model/events.js';
import { parseScaled } from '../../model/time.js';
import { name, type NameOptions } from './frames.js';
import { addressHash, LineCache } from './line-cache.js';
import { frame, header, isSpace, srcline, stripOffset, type Header } from './tokenize.js';

export interface PerfOptions extends NameOptions {
  withPid: boolean;
  withTid: boolean;
  eventFilter?: string;
  srcline: boolean;
}


/** `cycles:u` → `cycles`; `sched:sched_switch` stays (its second part is not modifiers). */
export function baseEvent(ev: string): string {
  const c = ev.indexOf(':');
  if (c < 0) return ev;
  const rest = ev.slice(c + 1);
  return /^[ukhIGHpPSDWe]+(:|$)/.test(rest) ? ev.slice(0, c) : ev;
}

export function timeNs(t: string | undefined): number | undefined {
  if (t === undefined) return undefined;
  const v = parseScaled(t, 9);
  return Number.isNaN(v) ? undefined : v;
}

/** Threads (tracks), times and the `sample` events themselves. */
export class SampleSink {
  readonly out: TraceEvent[] = [];
  private readonly tracks = new Map<string, { id: number; comm: string }>();
  /** Latest sample time of each thread's track. */
  private readonly trackTs = new Map<number, number>();
  private lastTs = 0;
  private started = false;
  samples = 0;

  constructor(
    private readonly variant: string,
    private readonly report: Report,
  ) {}

  start() {
    if (this.started) return;
    this.started = true;
    this.out.push({ kind: 'info', format: 'perf-script', variant: this.variant, clock: 'boot' });
  }

  private track(comm: string, pid: number, tid: number): number {
    const key = `${pid}/${tid}`;
    let t = this.tracks.get(key);
    if (!t || t.comm !== comm) {
      const id = t ? t.id : this.tracks.size + 1;
      t = { id, comm };
      this.tracks.set(key, t);
      const main = this.tracks.get(`${pid}/${pid}`);
      this.out.push({ kind: 'track', track: { kind: 'thread', id, pid, tid, name: comm, processName: main ? main.comm : comm } });
    }
    return t.id;
  }

  /** One sample; `leafFirst` groups are the frame lines as printed (each group root→leaf). */
  emit(h: Header | undefined, line: number, root: string, period: number, leafFirst: readonly (readonly Frame[])[], args?: Args) {
    this.start();
    const comm = h ? h.comm : root;
    const tid = h ? h.tid : 0;
    const pid = h?.pid ?? tid;
    let ts = timeNs(h?.time) ?? this.lastTs;
    if (ts > this.lastTs) this.lastTs = ts;
    const track = this.track(comm, pid, tid);
    // A thread's samples stay in time order (perf script prints them so): the flame chart of
    // its samples, and any reader sorting by time, nest what the input's order gave.
    const prev = this.trackTs.get(track);
    if (prev !== undefined && ts < prev) {
      this.report('perf-script.time-backwards', line, `sample of ${comm} ${tid} is ${prev - ts} ns before the thread's previous sample: moved forward to it`);
      ts = prev;
    }
    this.trackTs.set(track, ts);
    const frames: Frame[] = [];
    for (let g = leafFirst.length - 1; g >= 0; g--) for (const f of leafFirst[g]!) frames.push(f);
    const event = h?.event ?? '';
    const e: StackSample = {
      kind: 'sample',
      ts,
      track,
      frames,
      weight: 1,
      pid,
      tid,
      comm,
      title: event || 'sample',
      profile: { event, period, root },
    };
    if (h?.cpu !== undefined) e.cpu = h.cpu;
    if (args) e.args = args;
    this.out.push(e);
    this.samples++;
  }
}

export function rootLabel(comm: string, pid: string, tid: string, o: { withPid: boolean; withTid: boolean }): string {
  const c = comm.replace(/ /g, '_');
  return o.withTid ? `${c}-${pid}/${tid}` : o.withPid ? `${c}-${pid}` : c;
}

interface Rec {
  h: Header;
  line: number;
  root: string;
  java: boolean;
  groups: Frame[][];
  args?: Args;
}

/** The default reading. */
export class PerfRecords {
  private rec: Rec | undefined;
  private filter: string | undefined;
  private readonly cache = new LineCache<Frame[]>();
  private readonly javaCache = new LineCache<Frame[]>();
  private inRecordFrames = false;
  /** After a header of another event, until the next blank line or header. */
  private skipping = false;

  constructor(
    private readonly sink: SampleSink,
    private readonly o: PerfOptions,
    private readonly report: Report,
  ) {
    this.filter = o.eventFilter || undefined;
  }

  private flush() {
    const r = this.rec;
    if (!r) return;
    this.rec = undefined;
    this.inRecordFrames = false;
    this.sink.emit(r.h, r.line, r.root, r.h.period && r.h.period > 0 ? r.h.period : 1, r.groups, r.args);
  }

  private accepts(ev: string, line: number): boolean {
    if (this.filter === undefined) {
      this.filter = ev;
      return true;
    }
    if (ev === this.filter || baseEvent(ev) === this.filter || baseEvent(ev) === baseEvent(this.filter)) return true;
    this.report('perf-script.other-event', line, `a sample of ${ev || '(no event name)'}: only ${this.filter} is kept (--event-filter chooses)`);
    return false;
  }

  private named(line: string, java: boolean): Frame[] | undefined {
    const cache = java ? this.javaCache : this.cache;
    const hash = addressHash(line);
    let v = cache.get(hash, line);
    if (v === undefined) {
      const f = frame(line);
      if (!f) return undefined;
      v = name(f.ip, f.sym, f.dso, f.inlined, java, this.o);
      cache.set(hash, line, v);
    }
    return v;
  }

  line(s: string, no: number) {
    const n = s.length;
    if (n === 0) {
      this.skipping = false;
      return this.flush();
    }
    const c0 = s.charCodeAt(0);
    if (c0 === 35 /* # */) return;
    if (isSpace(c0)) {
      let i = 1;
      while (i < n && isSpace(s.charCodeAt(i))) i++;
      if (i === n) return this.flush();
      // The callchain (and source lines) of a skipped sample go with it.
      if (this.skipping && !header(s)) return;
      if (this.rec) {
        // A callchain line: ip (hex) then a space.
        let j = i;
        for (; j < n; j++) {
          const c = s.charCodeAt(j);
          if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) break;
        }
        if (j > i && j < n && s.charCodeAt(j) === 32) {
          const fr = this.named(s, this.rec.java);
          if (fr) {
            this.rec.groups.push(fr);
            this.inRecordFrames = true;
            return;
          }
        }
        if (this.inRecordFrames) return this.srclineLine(s);
      }
    }
    const h = header(s);
    if (h) return this.headerLine(h, no);
    if (frame(s)) this.report('perf-script.frame-outside-record', no);
    else this.report('perf-script.unrecognized-line', no);
  }

  private srclineLine(s: string) {
    const r = this.rec!;
    const g = r.groups[r.groups.length - 1]!;
    const sl = srcline(s);
    const changed = g.slice();
    if (sl.inlined && this.o.inline && !changed[0]!.name.endsWith('_[i]')) changed[0] = { name: changed[0]!.name + '_[i]' };
    if (this.o.srcline && sl.text && !sl.text.startsWith('??') && sl.text.indexOf('[') < 0) {
      const last = changed.length - 1;
      changed[last] = { name: `${changed[last]!.name}:${sl.text}` };
    }
    if (changed.some((f, i) => f !== g[i])) r.groups[r.groups.length - 1] = changed;
  }

  private headerLine(h: Header, no: number) {
    this.flush();
    this.skipping = false;
    if (!this.accepts(h.event, no)) {
      this.skipping = !h.rest || !frame(h.rest);
      return;
    }
    const pid = h.pid !== undefined ? String(h.pid) : '?';
    const rec: Rec = { h, line: no, root: rootLabel(h.comm, pid, String(h.tid), this.o), java: h.comm.startsWith('java'), groups: [] };
    if (h.rest) {
      // Without a callchain the sampled ip is on the header line; a tracepoint has its payload.
      const f = frame(h.rest);
      if (f) {
        rec.groups.push(name(f.ip, stripOffset(f.sym), f.dso, f.inlined, rec.java, this.o));
        this.rec = rec;
        return this.flush();
      }
      rec.args = { trace: h.rest };
    }
    this.rec = rec;
  }

  end() {
    this.flush();
  }
}

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
import { LineCache, type Edge } from './line-cache.js';
import type { ChainReader } from './block-cache.js';
import { HeaderScan } from './fast-header.js';
import { StackTrie } from './stack-trie.js';
import { frame, header, isSpace, srcline, stripOffset } from './tokenize.js';

export interface PerfOptions extends NameOptions {
  withPid: boolean;
  withTid: boolean;
  eventFilter?: string;
  srcline: boolean;
}


/**
 * `PERF_RECORD_MMAP2 12/12: [...]`, `PERF_RECORD_COMM exec: bash:12/12`, `PERF_RECORD_FORK(…)`:
 * the side-band records `--show-task-events`, `--show-mmap-events`, `--show-switch-events` and
 * the like print between samples, in the place of a sample's event name, each on one line.
 */
export function isSideBand(event: string, rest: string): boolean {
  return event.startsWith('PERF_RECORD_') || (event === '' && rest.startsWith('PERF_RECORD_'));
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

/** What a sample's timeline needs from its header. */
export interface SampleHead {
  comm: string;
  pid?: number | undefined;
  tid: number;
  cpu?: number | undefined;
  event: string;
}

/** Threads (tracks), times and the `sample` events themselves. */
export class SampleSink {
  readonly out: TraceEvent[] = [];
  private readonly tracks = new Map<string, { id: number; comm: string }>();
  /** Latest sample time of each thread's track. */
  private readonly trackTs = new Map<number, number>();
  private lastTs = 0;
  private started = false;
  /** The thread of the previous sample (consecutive samples are mostly one thread's). */
  private lastComm = '';
  private lastPid = -2;
  private lastTid = -2;
  private lastTrack = 0;
  private lastTrackTs = -1;
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
    if (tid === this.lastTid && pid === this.lastPid && comm === this.lastComm) return this.lastTrack;
    const key = `${pid}/${tid}`;
    let t = this.tracks.get(key);
    if (!t || t.comm !== comm) {
      const id = t ? t.id : this.tracks.size + 1;
      t = { id, comm };
      this.tracks.set(key, t);
      const main = this.tracks.get(`${pid}/${pid}`);
      this.out.push({ kind: 'track', track: { kind: 'thread', id, pid, tid, name: comm, processName: main ? main.comm : comm } });
    }
    if (this.lastTrackTs >= 0) this.trackTs.set(this.lastTrack, this.lastTrackTs);
    this.lastComm = comm;
    this.lastPid = pid;
    this.lastTid = tid;
    this.lastTrack = t.id;
    this.lastTrackTs = this.trackTs.get(t.id) ?? -1;
    return t.id;
  }

  /**
   * One sample: `frames` root first (may be shared between samples: nobody changes it), `ns` its
   * time when the header has one.
   */
  emit(h: SampleHead | undefined, ns: number | undefined, line: number, root: string, period: number, frames: Frame[], args?: Args) {
    if (h) this.sample(h.comm, h.pid, h.tid, h.cpu, h.event, ns, line, root, period, frames, args);
    else this.sample(root, undefined, 0, undefined, '', ns, line, root, period, frames, args);
  }

  /** The profile of the previous sample, shared when the next one has the same. */
  private profile = { event: '', period: -1, root: '' };

  sample(comm: string, pidOr: number | undefined, tid: number, cpu: number | undefined, event: string, ns: number | undefined, line: number, root: string, period: number, frames: Frame[], args?: Args) {
    this.start();
    const pid = pidOr ?? tid;
    let ts = ns !== undefined && !Number.isNaN(ns) ? ns : this.lastTs;
    if (ts > this.lastTs) this.lastTs = ts;
    const track = this.track(comm, pid, tid);
    // A thread's samples stay in time order (perf script prints them so): the flame chart of
    // its samples, and any reader sorting by time, nest what the input's order gave.
    const prev = this.lastTrackTs;
    if (prev >= 0 && ts < prev) {
      this.report('perf-script.time-backwards', line, `sample of ${comm} ${tid} is ${prev - ts} ns before the thread's previous sample: moved forward to it`);
      ts = prev;
    }
    this.lastTrackTs = ts;
    let profile = this.profile;
    if (profile.event !== event || profile.period !== period || profile.root !== root) this.profile = profile = { event, period, root };
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
      profile,
      // Always present (undefined when not printed): every sample has one shape for the writers.
      cpu,
      args,
    };
    this.out.push(e);
    this.samples++;
  }
}

export function rootLabel(comm: string, pid: string, tid: string, o: { withPid: boolean; withTid: boolean }): string {
  const c = comm.replace(/ /g, '_');
  return o.withTid ? `${c}-${pid}/${tid}` : o.withPid ? `${c}-${pid}` : c;
}

interface Rec {
  h: SampleHead;
  ns: number | undefined;
  period: number;
  line: number;
  root: string;
  java: boolean;
  /** The callchain so far (leaf first) and the node before its last line. */
  node: number;
  prevNode: number;
  args?: Args;
}

/** The default reading. */
export class PerfRecords implements ChainReader {
  private rec: Rec | undefined;
  private filter: string | undefined;
  private readonly trie = new StackTrie();
  /** Frame line → group id (−1: not a frame line). */
  private readonly cache = new LineCache<number>();
  private readonly javaCache = new LineCache<number>();
  private inRecordFrames = false;
  /** After a header of another event, until the next blank line or header. */
  private skipping = false;
  private readonly scan = new HeaderScan();
  /** The previous scanned header's texts and label. */
  private readonly last = { comm: '', pid: undefined as number | undefined, tid: -1, event: '', root: '' };

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
    this.sink.emit(r.h, r.ns, r.line, r.root, r.period, this.trie.stack(r.node), r.args);
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

  /** Reads a callchain line into the record; false when it is not one. */
  private frameLine(r: Rec, line: string): boolean {
    const cache = r.java ? this.javaCache : this.cache;
    let edge = cache.get(r.node, line);
    if (edge === undefined) {
      const f = frame(line);
      edge = cache.set(r.node, line, f ? this.trie.groupId(name(f.ip, f.sym, f.dso, f.inlined, r.java, this.o)) : -1);
    }
    if (edge.value < 0) return false;
    this.follow(r, edge);
    return true;
  }

  /** A callchain line whose frame is known: the stack goes one line further. */
  private follow(r: Rec, edge: Edge<number>) {
    if (edge.child < 0) edge.child = this.trie.child(r.node, edge.value);
    r.prevNode = r.node;
    r.node = edge.child;
    this.inRecordFrames = true;
    this.steps++;
  }

  private pushGroup(r: Rec, gid: number) {
    r.prevNode = r.node;
    r.node = this.trie.child(r.node, gid);
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
      const r0 = this.rec;
      if (r0 !== undefined) {
        // A line this stack prefix has read before: known to be a callchain line (no scan).
        const e = (r0.java ? this.javaCache : this.cache).get(r0.node, s);
        if (e !== undefined && e.value >= 0) return this.follow(r0, e);
      }
      let i = 1;
      while (i < n && isSpace(s.charCodeAt(i))) i++;
      if (i === n) return this.flush();
      // The callchain (and source lines) of a skipped sample go with it.
      if (this.skipping && !header(s)) return;
      const r = this.rec;
      if (r) {
        // A callchain line: ip (hex) then a space.
        let j = i;
        for (; j < n; j++) {
          const c = s.charCodeAt(j);
          if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) break;
        }
        if (j > i && j < n && s.charCodeAt(j) === 32) {
          if (this.frameLine(r, s)) return;
        }
        if (this.inRecordFrames) return this.srclineLine(s);
      }
    } else if (this.scan.scan(s)) return this.scannedHeader(no);
    const h = header(s);
    if (h) return this.headerLine(h, timeNs(h.time), h.period, h.rest, no);
    // A side-band record printed without a sample's header (PERF_RECORD_FINISHED_ROUND).
    if (s.startsWith('PERF_RECORD_')) return this.sideBand(s, '', no);
    if (frame(s)) this.report('perf-script.frame-outside-record', no);
    else this.report('perf-script.unrecognized-line', no);
  }

  /**
   * The line at `buf[start, end)` (ASCII): a callchain line this stack prefix has read before is
   * followed by its bytes, without a string; any other line is read as text.
   */
  lineBytes(buf: Buffer, view: DataView, start: number, end: number, no: number) {
    if (end === start) return this.line('', no);
    const c0 = buf[start]!;
    if (!isSpace(c0) && c0 !== 35 /* # */ && this.scan.scanBytes(buf, start, end)) return this.scannedHeader(no);
    const r = this.rec;
    const cache = r !== undefined && r.java ? this.javaCache : this.cache;
    let missed = false;
    if (r !== undefined && isSpace(buf[start]!)) {
      const e = cache.getBytes(r.node, view, start, end);
      if (e !== undefined && e.value >= 0) return this.follow(r, e);
      // A known line that is no frame (a source line) is read as text; its bytes are known.
      missed = e === undefined;
    }
    const s = buf.toString('latin1', start, end);
    this.line(s, no);
    if (missed) cache.attach(s, view, start, end);
  }

  // The block cache's view (see block-cache.ts).
  steps = 0;

  chainKey(after = false): number {
    const r = this.rec;
    if (r === undefined || this.skipping || (!after && r.node !== 0)) return -1;
    return r.java ? 1 : 0;
  }

  at(): number {
    return this.rec!.node;
  }

  before(): number {
    return this.rec!.prevNode;
  }

  jump(node: number, prev: number) {
    const r = this.rec!;
    r.node = node;
    r.prevNode = prev;
    this.inRecordFrames = true;
  }

  private srclineLine(s: string) {
    const r = this.rec!;
    const g = this.trie.groupFrames(this.trie.groupOf(r.node));
    const sl = srcline(s);
    const changed = g.slice();
    if (sl.inlined && this.o.inline && !changed[0]!.name.endsWith('_[i]')) changed[0] = { name: changed[0]!.name + '_[i]' };
    if (this.o.srcline && sl.text && !sl.text.startsWith('??') && sl.text.indexOf('[') < 0) {
      const last = changed.length - 1;
      changed[last] = { name: `${changed[last]!.name}:${sl.text}` };
    }
    if (changed.some((f, i) => f !== g[i])) r.node = this.trie.child(r.prevNode, this.trie.groupId(changed));
  }

  /** A header of the common layout: texts cut only where they differ from the previous one's. */
  private scannedHeader(no: number) {
    const h = this.scan;
    const l = this.last;
    if (!h.is(h.eventStart, h.eventEnd, l.event)) l.event = h.cut(h.eventStart, h.eventEnd);
    const pid = h.pidStart >= 0 ? h.pid : undefined;
    if (l.root === '' || h.tid !== l.tid || pid !== l.pid || !h.is(h.commStart, h.commEnd, l.comm)) {
      l.comm = h.cut(h.commStart, h.commEnd);
      l.tid = h.tid;
      l.pid = pid;
      l.root = rootLabel(l.comm, pid !== undefined ? String(pid) : '?', String(h.tid), this.o);
    }
    const head: SampleHead = { comm: l.comm, pid, tid: h.tid, cpu: h.cpu >= 0 ? h.cpu : undefined, event: l.event };
    this.headerLine(head, h.ns, h.periodStart >= 0 ? h.period : undefined, '', no, l.root);
  }

  /** A side-band record: ends the record before it; its indented lines (PERF_RECORD_NAMESPACES' list) go with it. */
  private sideBand(text: string, who: string, no: number) {
    this.flush();
    this.skipping = true;
    this.report('perf-script.side-band', no, `${text.split(/[\s:(]/, 1)[0]}${who}: not a sample`);
  }

  private headerLine(h: SampleHead, ns: number | undefined, period: number | undefined, rest: string, no: number, root?: string) {
    if (isSideBand(h.event, rest)) return this.sideBand(h.event || rest, ` of ${h.comm} ${h.tid}`, no);
    this.flush();
    this.skipping = false;
    if (!this.accepts(h.event, no)) {
      this.skipping = !rest || !frame(rest);
      return;
    }
    const pid = h.pid !== undefined ? String(h.pid) : '?';
    const rec: Rec = {
      h,
      ns,
      period: period && period > 0 ? period : 1,
      line: no,
      root: root ?? rootLabel(h.comm, pid, String(h.tid), this.o),
      java: h.comm.startsWith('java'),
      node: 0,
      prevNode: 0,
    };
    if (rest) {
      // Without a callchain the sampled ip is on the header line; a tracepoint has its payload.
      const f = frame(rest);
      if (f) {
        this.pushGroup(rec, this.trie.groupId(name(f.ip, stripOffset(f.sym), f.dso, f.inlined, rec.java, this.o)));
        this.rec = rec;
        return this.flush();
      }
      rec.args = { trace: rest };
    }
    this.rec = rec;
  }

  end() {
    this.flush();
  }
}

/**
 * `--compat stackcollapse`: the main loop of FlameGraph's stackcollapse-perf.pl (41fee1f),
 * state for state, so the folded output is byte-identical to the Perl's:
 *
 * - only an exactly empty line ends a record, and only when a header set the process name;
 *   the record still open at the end of the input is dropped;
 * - a header is whatever `^(\S.+?)\s+(\d+)\/*(\d+)*\s+` matches (the comm ends before the
 *   first whitespace-delimited number, so `my worker 1 15125` is comm `my worker`, pid `1`);
 *   the event filter and the period only apply when the line ends with `event:`, and a
 *   filtered header leaves the previous process name and stack in place;
 * - a frame is whatever `^\s*(\w+)\s*(.+) \((.*)\)` matches, so an `(inlined)` marker is a dso
 *   and a srcline line ending in `(inlined)` is a frame;
 * - `--srcline` reads the line after each known frame as its source line, whatever it is;
 * - `--inline` would ask addr2line; an adapter runs no programs, so frames stay as printed,
 *   which is the Perl's output wherever addr2line cannot reach the binaries.
 *
 * The timeline facts (time, cpu, numeric ids) of each sample come from the layout-aware header
 * reader; they do not change the folded output.
 */
import type { Report } from '../../model/diagnostics.js';
import type { Frame } from '../../model/events.js';
import type { ChainReader } from './block-cache.js';
import { HeaderScan } from './fast-header.js';
import { scAsksAddr2line, scName, scSrclineText } from './frames.js';
import { rootLabel, timeNs, type PerfOptions, type SampleHead, type SampleSink } from './records.js';
import { LineCache, type Edge } from './line-cache.js';
import { StackTrie } from './stack-trie.js';
import { header, isSpace, scFrame, scHeader } from './tokenize.js';

/** A frame line as the Perl reads it: its group, and how many source lines it reads after it. */
interface Line {
  gid: number;
  reads: number;
}

export class CompatRecords implements ChainReader {
  private pname: string | undefined;
  private java = false;
  private period = 1;
  private head: SampleHead | undefined;
  private ns: number | undefined;
  private headerNo = 0;
  /** The stack so far, leaf first, as a trie node. */
  private node = 0;
  private readonly trie = new StackTrie();
  private filter: string;
  /** `--srcline`: the group waiting for source lines, and how many it still reads. */
  private pending: { frames: Frame[]; next: number; reads: number } | undefined;
  private readonly cache = new LineCache<Line | null>();
  private readonly javaCache = new LineCache<Line | null>();
  /** After a header of another event, until the next blank line or header. */
  private skipping = false;
  private readonly askedDsos = new Set<string>();
  private readonly scan = new HeaderScan();
  /** The ids and label of the last header read by the scan. */
  private readonly fast = { comm: '', tid: -1, tidLen: -1, pid: -1, pidLen: -1, pname: '' };
  /** The timeline facts of the accepted header (a scanned one: `head` undefined, `headComm` set). */
  private headComm: string | undefined;
  private headPid: number | undefined;
  private headTid = 0;
  private headCpu: number | undefined;
  private headEvent = '';
  private lastComm = '';
  private lastPid = '';
  private lastTid = '';
  private lastPname = '';

  constructor(
    private readonly sink: SampleSink,
    private readonly o: PerfOptions,
    private readonly report: Report,
  ) {
    this.filter = o.eventFilter ?? '';
  }

  /** `value`: the period as a number when the caller has read it. */
  private accept(comm: string, pid: string, tid: string, event: string | undefined, period: string | undefined, no: number, value?: number): boolean {
    if (event !== undefined) {
      if (this.filter === '') this.filter = event;
      else if (event !== this.filter) {
        this.report('perf-script.other-event', no, `a sample of ${event}: only ${this.filter} is kept (--event-filter chooses)`);
        this.skipping = true;
        return false;
      }
    }
    // The Perl's `if (not $period) { $period = 1 }`: only '' and '0' are false (`00` counts 0).
    this.period = period === undefined || period === '' || period === '0' ? 1 : (value ?? Number(period));
    // Consecutive samples are mostly one thread's: its label is made once per run of them.
    if (comm !== this.lastComm || pid !== this.lastPid || tid !== this.lastTid) {
      this.lastComm = comm;
      this.lastPid = pid;
      this.lastTid = tid;
      this.lastPname = rootLabel(comm, pid, tid, this.o);
    }
    this.pname = this.lastPname;
    this.java = this.pname.startsWith('java');
    this.headerNo = no;
    this.skipping = false;
    return true;
  }

  /**
   * The header `this.scan` read: what `accept` does, cutting texts only where they differ from
   * the previous header's (comm, ids, event).
   */
  private fastHeaderLine(no: number) {
    const h = this.scan;
    let event = this.filter;
    if (event === '' || !h.is(h.eventStart, h.eventEnd, event)) {
      event = h.cut(h.eventStart, h.eventEnd);
      if (this.filter === '') this.filter = event;
      else {
        this.report('perf-script.other-event', no, `a sample of ${event}: only ${this.filter} is kept (--event-filter chooses)`);
        this.skipping = true;
        return;
      }
    }
    // The Perl's `if (not $period) { $period = 1 }`: only '' and '0' are false (`00` counts 0).
    this.period = h.periodStart < 0 || (h.period === 0 && h.periodEnd - h.periodStart === 1) ? 1 : h.period;
    const f = this.fast;
    // Same digits: same number and same length (perf prints no sign).
    const same =
      f.pname !== '' &&
      h.tid === f.tid &&
      h.tidEnd - h.tidStart === f.tidLen &&
      h.pid === f.pid &&
      h.pidEnd - h.pidStart === f.pidLen &&
      h.is(h.commStart, h.commEnd, f.comm);
    if (!same) {
      f.comm = h.cut(h.commStart, h.commEnd);
      f.tid = h.tid;
      f.tidLen = h.tidEnd - h.tidStart;
      f.pid = h.pid;
      f.pidLen = h.pidEnd - h.pidStart;
      f.pname = rootLabel(f.comm, h.pidStart >= 0 ? h.cut(h.pidStart, h.pidEnd) : '?', h.cut(h.tidStart, h.tidEnd), this.o);
    }
    this.pname = f.pname;
    this.java = f.pname.startsWith('java');
    this.headerNo = no;
    this.skipping = false;
    this.head = undefined;
    this.headComm = f.comm;
    this.headPid = h.pidStart >= 0 ? h.pid : undefined;
    this.headTid = h.tid;
    this.headCpu = h.cpu >= 0 ? h.cpu : undefined;
    this.headEvent = event;
    this.ns = h.ns;
  }

  line(s: string, no: number) {
    if (this.pending) return this.srclineRead(s);
    const c0 = s.charCodeAt(0);
    if (c0 === 35 /* # */) return;
    if (s.length === 0) return this.blank();
    if (!isSpace(c0)) {
      if (this.scan.scan(s)) return this.fastHeaderLine(no);
      const h = scHeader(s);
      if (h) {
        if (this.accept(h.comm, h.pid, h.tid, h.event, h.period, no)) {
          const t = header(s);
          this.head = t;
          this.ns = timeNs(t?.time);
          this.headComm = undefined;
        }
        return;
      }
    }
    // What a frame line means depends only on the line (and whether the process is java).
    const cache = this.java ? this.javaCache : this.cache;
    let edge = this.pname !== undefined ? cache.get(this.node, s) : undefined;
    if (edge === undefined) {
      const f = scFrame(s);
      if (!f) {
        this.report('perf-script.unrecognized-line', no);
        return;
      }
      if (this.pname === undefined) {
        // The frames of a skipped sample go with it (its header was reported).
        if (!this.skipping) this.report('perf-script.frame-outside-record', no);
        return;
      }
      if (this.o.inline && scAsksAddr2line(f.mod) && !this.askedDsos.has(f.mod)) {
        this.askedDsos.add(f.mod);
        this.report('perf-script.inline-not-run', no, `--inline: frames of ${f.mod} are kept as printed (addr2line is not run)`);
      }
      const v = scName(f.pc, f.rawfunc, f.mod, this.java, this.o, this.o.srcline);
      edge = cache.set(this.node, s, v ? { gid: this.trie.groupId(v.frames), reads: v.srclineReads } : null);
    }
    this.follow(edge);
  }

  /** The empty line: the end of the record, when a header opened one. */
  private blank() {
    this.skipping = false;
    if (this.pname === undefined) return;
    const frames = this.trie.stack(this.node);
    if (this.head === undefined && this.headComm !== undefined) {
      this.sink.sample(this.headComm, this.headPid, this.headTid, this.headCpu, this.headEvent, this.ns, this.headerNo, this.pname, this.period, frames);
    } else this.sink.emit(this.head, this.ns, this.headerNo, this.pname, this.period, frames);
    this.node = 0;
    this.pname = undefined;
  }

  /** A frame line whose meaning is known: the stack goes one line further (or source lines follow). */
  private follow(edge: Edge<Line | null>) {
    const named = edge.value;
    if (named === null) return;
    if (named.reads > 0) {
      this.pending = { frames: this.trie.groupFrames(named.gid).slice(), next: 0, reads: named.reads };
      return;
    }
    if (edge.child < 0) edge.child = this.trie.child(this.node, named.gid);
    this.node = edge.child;
    this.steps++;
  }

  // The block cache's view (see block-cache.ts).
  steps = 0;

  chainKey(after = false): number {
    if (this.pending !== undefined || this.pname === undefined || (!after && this.node !== 0)) return -1;
    return this.java ? 1 : 0;
  }

  at(): number {
    return this.node;
  }

  before(): number {
    return -1;
  }

  jump(node: number) {
    this.node = node;
  }

  /**
   * The line at `buf[start, end)` (ASCII): a callchain line this stack prefix has read before is
   * followed by its bytes, without a string; any other line is read as text.
   */
  lineBytes(buf: Buffer, view: DataView, start: number, end: number, no: number) {
    if (this.pending === undefined) {
      if (end === start) return this.blank();
    } else if (end === start) return this.line('', no);
    const c0 = buf[start]!;
    if (this.pending === undefined && !isSpace(c0) && c0 !== 35 /* # */ && this.scan.scanBytes(buf, start, end)) return this.fastHeaderLine(no);
    const indented = this.pending === undefined && this.pname !== undefined && isSpace(c0);
    const cache = this.java ? this.javaCache : this.cache;
    if (indented) {
      const edge = cache.getBytes(this.node, view, start, end);
      if (edge !== undefined) return this.follow(edge);
    }
    const s = buf.toString('latin1', start, end);
    this.line(s, no);
    if (indented) cache.attach(s, view, start, end);
  }

  private srclineRead(s: string) {
    const p = this.pending!;
    const t = scSrclineText(s);
    if (t !== '') p.frames[p.next] = { name: `${p.frames[p.next]!.name}:${t}` };
    p.next++;
    if (p.next >= p.reads) {
      this.pending = undefined;
      this.node = this.trie.child(this.node, this.trie.groupId(p.frames));
    }
  }

  end() {
    if (this.pending) {
      this.node = this.trie.child(this.node, this.trie.groupId(this.pending.frames));
      this.pending = undefined;
    }
    if (this.pname !== undefined) this.report('perf-script.unterminated-record', 0);
  }
}

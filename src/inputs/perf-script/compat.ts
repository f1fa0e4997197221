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
import { scAsksAddr2line, scName, scSrclineText, type Named } from './frames.js';
import { rootLabel, type PerfOptions, type SampleSink } from './records.js';
import { addressHash, LineCache } from './line-cache.js';
import { header, scFrame, scHeader } from './tokenize.js';

export class CompatRecords {
  private pname: string | undefined;
  private period = 1;
  private headerLine = '';
  private headerNo = 0;
  private stack: Frame[][] = [];
  private filter: string;
  /** `--srcline`: the group waiting for source lines, and how many it still reads. */
  private pending: { frames: Frame[]; next: number; reads: number } | undefined;
  private readonly cache = new LineCache<Named | null>();
  private readonly javaCache = new LineCache<Named | null>();
  /** After a header of another event, until the next blank line or header. */
  private skipping = false;
  private readonly askedDsos = new Set<string>();

  constructor(
    private readonly sink: SampleSink,
    private readonly o: PerfOptions,
    private readonly report: Report,
  ) {
    this.filter = o.eventFilter ?? '';
  }

  line(s: string, no: number) {
    if (this.pending) return this.srclineRead(s);
    if (s.charCodeAt(0) === 35 /* # */) return;
    if (s.length === 0) {
      this.skipping = false;
      if (this.pname === undefined) return;
      const h = header(this.headerLine);
      this.sink.emit(h, this.headerNo, this.pname, this.period, this.stack);
      this.stack = [];
      this.pname = undefined;
      return;
    }
    const h = scHeader(s);
    if (h) {
      let period = h.period;
      if (h.event !== undefined) {
        if (this.filter === '') this.filter = h.event;
        else if (h.event !== this.filter) {
          this.report('perf-script.other-event', no, `a sample of ${h.event}: only ${this.filter} is kept (--event-filter chooses)`);
          this.skipping = true;
          return;
        }
      }
      if (period === undefined || period === '' || period === '0') period = '1';
      this.period = Number(period);
      this.pname = rootLabel(h.comm, h.pid, h.tid, this.o);
      this.headerLine = s;
      this.headerNo = no;
      this.skipping = false;
      return;
    }
    // What a frame line means depends only on the line (and whether the process is java).
    const hash = addressHash(s);
    const java = this.pname !== undefined && this.pname.startsWith('java');
    const cache = java ? this.javaCache : this.cache;
    let named = this.pname !== undefined ? cache.get(hash, s) : undefined;
    if (named === undefined) {
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
      named = scName(f.pc, f.rawfunc, f.mod, java, this.o, this.o.srcline) ?? null;
      cache.set(hash, s, named);
    }
    if (named === null) return;
    if (named.srclineReads > 0) {
      this.pending = { frames: named.frames.slice(), next: 0, reads: named.srclineReads };
      return;
    }
    this.stack.push(named.frames);
  }

  private srclineRead(s: string) {
    const p = this.pending!;
    const t = scSrclineText(s);
    if (t !== '') p.frames[p.next] = { name: `${p.frames[p.next]!.name}:${t}` };
    p.next++;
    if (p.next >= p.reads) {
      this.pending = undefined;
      this.stack.push(p.frames);
    }
  }

  end() {
    if (this.pending) {
      this.stack.push(this.pending.frames);
      this.pending = undefined;
    }
    if (this.pname !== undefined) this.report('perf-script.unterminated-record', 0);
  }
}

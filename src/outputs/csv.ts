/**
 * CSV (RFC 4180: CRLF line ends, fields quoted when they hold `,` `"` CR or LF, quotes doubled),
 * one row per event, with fixed columns:
 *
 *   kind      slice | instant | counter | stack | sched_switch | sched_waking | irq | softirq
 *   ts_ns     start time in ns (the trace's own clock; see the metadata of other outputs)
 *   dur_ns    duration in ns (slices, irqs), else empty
 *   cpu       CPU number when known
 *   pid, tid  process and thread ids when known
 *   comm      thread or task name
 *   depth     nesting depth of a slice (0 = outermost) when the row was written
 *   name      function, event or report title
 *   category  function | syscall | marker | irq | softirq | sched | stack | event | ...
 *   value     counter value, or how many times a stack was seen
 *   stack     call stack root first, frames separated by `;`
 *   args      everything else, as a JSON object
 *
 * Rows are in time order (`ts_ns`), a parent before its children at equal times (smaller
 * depth first), then by lane and arrival, for every input alike. A slice is known only when it
 * ends, so rows wait in a buffer and are written once no slice still open (and no earlier row to
 * come) can precede them; past `HELD_ROWS` waiting rows or `HELD_BYTES` of them the oldest are
 * written regardless, which bounds memory on huge inputs (rows of long stacks reach the byte bound
 * first) at the cost of order around very long open calls. Text cells
 * that a spreadsheet would run as a formula (starting with = + - @ TAB CR LF, or full-width ＝ ＋ － ＠) get a leading `'`.
 *
 * Rows are written from templates into one buffer as they are made; the waiting ones are sorted
 * by keys kept in typed arrays, so a row costs no object or string.
 */
import type { Frame, TraceEvent, TrackInfo } from '../model/events.js';
import { ByteOut } from './byte-out.js';
import { frameLabel, softirqName } from './common.js';
import { argsCell, cellString, closeArgs, csvText, formulaStart, member, num, openArgs, plainCell, text } from './csv-cells.js';
import { HELD_BYTES, HeldRows } from './csv-rows.js';

export { csvText };
import type { OutputAdapter, OutputWriter } from './types.js';

export const CSV_COLUMNS = ['kind', 'ts_ns', 'dur_ns', 'cpu', 'pid', 'tid', 'comm', 'depth', 'name', 'category', 'value', 'stack', 'args'] as const;

/** Rows waiting for their turn before the oldest are written out of turn. */
export const HELD_ROWS = 1 << 17;
export { HELD_BYTES };
/** Bytes of rows a release hands out at a time. */
const RELEASE_PIECE = 256 << 10;
const OTHER_RANK = 1 << 20;

interface Who {
  cpu: string;
  pid: string;
  tid: string;
  comm: string;
  /** `cpu,pid,tid,comm` as written. */
  cells: Buffer;
}

const NOBODY: Who = { cpu: '', pid: '', tid: '', comm: '', cells: Buffer.from(',,,') };

class CsvWriter implements OutputWriter {
  private readonly tracks: TrackInfo[] = [];
  private readonly whos: (Who | undefined)[] = [];
  private header = false;
  private readonly out = new ByteOut();
  private readonly held = new HeldRows();
  /** A release is under way (its pieces are being handed out): no event may come meanwhile. */
  private releasing = false;
  /** Per track: start times of the open slices (outermost first). */
  private readonly open = new Map<number, number[]>();
  /** Per `kind:cpu`, the interrupt running there (undefined once it exited: the key stays, so a Map that never shrinks is never rebuilt). */
  private readonly irqOpen = new Map<string, { ts: number; name: string; args: Record<string, unknown> } | undefined>();
  /** Sort key of the row being written, and where it began. */
  private kTs = 0;
  private kRank = 0;
  private kTrack = 0;
  private rowAt = 0;

  /** Starts a row with this sort key; `endRow()` finishes it. */
  /**
   * A stack's cell (frames root first, `;` between), made once per frames array: inputs share
   * one among the samples of a stack and never change it.
   */
  private readonly stacks = new WeakMap<readonly Frame[], Buffer | null>();

  /**
   * Writes the stack cell. The bytes are kept from the second time a frames array comes: an
   * input that makes a new array per stack (one per dmesg report) would otherwise leave a
   * buffer per row as garbage outside the heap, where it waits for a full collection.
   */
  private stackCell(o: ByteOut, frames: readonly Frame[]) {
    const b = this.stacks.get(frames);
    if (b) return o.bytes(b);
    const s = frames.map(frameLabel).join(';');
    if (b === undefined) {
      this.stacks.set(frames, null);
      return text(o, s);
    }
    const cell = Buffer.from(cellString(s), 'utf8');
    this.stacks.set(frames, cell);
    o.bytes(cell);
  }

  private row(ts: number, rank: number, track: number): ByteOut {
    this.kTs = ts;
    this.kRank = rank;
    this.kTrack = track;
    const b = this.held.buf;
    this.rowAt = b.pos;
    return b;
  }

  private endRow() {
    const b = this.held.buf;
    b.ascii('\r\n');
    this.held.add(this.kTs, this.kRank, this.kTrack, this.rowAt);
  }

  /** Earliest time a row still to come can have: the oldest open slice or interrupt. */
  private watermark(): number {
    let w = Infinity;
    for (const st of this.open.values()) if (st.length && st[0]! < w) w = st[0]!;
    for (const o of this.irqOpen.values()) if (o && o.ts < w) w = o.ts;
    return w;
  }

  /**
   * Moves the rows that nothing to come can precede (or, over the limit, the oldest) to the
   * output, handed out in pieces of `RELEASE_PIECE` bytes as they are copied: a release of
   * `HELD_BYTES` is never gathered whole, and the output's chunks are used again as the pieces
   * are written out. The held rows stay as they are until the last piece is taken.
   */
  private *release(all: boolean): Generator<Uint8Array> {
    const o = this.out;
    if (!this.header) {
      o.ascii(CSV_COLUMNS.join(',') + '\r\n');
      this.header = true;
    }
    const h = this.held;
    if (!all && h.n < HELD_ROWS && h.buf.pos < HELD_BYTES) {
      const rest = o.take();
      if (rest) yield rest;
      return;
    }
    this.releasing = true;
    const idx = h.sorted();
    let n = h.n;
    if (!all) {
      const w = this.watermark();
      n = 0;
      while (n < h.n && h.ts[idx[n]!]! < w) n++;
      if (n < h.n >> 1) n = h.n >> 1;
    }
    yield* h.release(idx, n, o, RELEASE_PIECE);
    this.releasing = false;
    const rest = o.take();
    if (rest) yield rest;
  }

  /** Every piece of a release, joined (for a caller that takes one buffer per push). */
  private joined(pieces: Iterable<Uint8Array>): Uint8Array | null {
    const all = [...pieces];
    if (all.length < 2) return all[0] ?? null;
    return Buffer.concat(all);
  }

  private who(track: number): Who {
    const cached = this.whos[track];
    if (cached) return cached;
    const t = this.tracks[track];
    if (!t) return NOBODY;
    let w: Omit<Who, 'cells'>;
    if (t.kind === 'thread') w = { cpu: t.cpu === undefined ? '' : String(t.cpu), pid: String(t.pid), tid: String(t.tid), comm: csvText(t.name) };
    else if (t.kind === 'cpu') w = { cpu: String(t.cpu), pid: '', tid: '', comm: csvText(t.name) };
    else w = { cpu: '', pid: '', tid: '', comm: csvText(t.name) };
    const who = { ...w, cells: Buffer.from(`${w.cpu},${w.pid},${w.tid},${w.comm}`, 'utf8') };
    this.whos[track] = who;
    return who;
  }

  /** Rows may not change while a release hands out their bytes. */
  private unfinished() {
    if (this.releasing) throw new Error('csv: the pieces of the last release were not all taken');
  }

  push(events: TraceEvent[]): Uint8Array | null {
    this.unfinished();
    for (let i = 0; i < events.length; i++) this.event(events[i]!);
    return this.joined(this.release(false));
  }

  pushChunks(events: TraceEvent[]): Iterable<Uint8Array> {
    this.unfinished();
    for (let i = 0; i < events.length; i++) this.event(events[i]!);
    return this.release(false);
  }

  private event(e: TraceEvent) {
    switch (e.kind) {
      case 'track':
        this.tracks[e.track.id] = e.track;
        this.whos[e.track.id] = undefined;
        return;
      case 'begin': {
        let st = this.open.get(e.track);
        if (!st) this.open.set(e.track, (st = []));
        st.length = Math.min(st.length, e.depth);
        st.push(e.ts);
        return;
      }
      case 'end': {
        const st = this.open.get(e.track);
        if (st) st.length = Math.min(st.length, e.depth);
        const o = this.row(e.start, e.depth, e.track);
        // Merged only when both have arguments: no object made per slice for nothing.
        const a = e.beginArgs && e.args ? { ...e.beginArgs, ...e.args } : (e.beginArgs ?? e.args);
        o.ascii('slice,');
        num(o, e.start);
        o.ascii(',');
        num(o, e.ts - e.start);
        o.ascii(',');
        o.bytes(this.who(e.track).cells);
        o.ascii(',');
        num(o, e.depth);
        o.ascii(',');
        text(o, e.name);
        o.ascii(',');
        text(o, e.cat);
        o.ascii(',,,');
        argsCell(o, a);
        this.endRow();
        return;
      }
      case 'instant': {
        const o = this.row(e.ts, OTHER_RANK, e.track);
        o.ascii('instant,');
        num(o, e.ts);
        o.ascii(',,');
        o.bytes(this.who(e.track).cells);
        o.ascii(',,');
        text(o, e.name);
        o.ascii(',');
        text(o, e.cat);
        o.ascii(',,,');
        argsCell(o, e.args);
        this.endRow();
        return;
      }
      case 'counter': {
        const o = this.row(e.ts, OTHER_RANK, e.track);
        o.ascii('counter,');
        num(o, e.ts);
        o.ascii(',,');
        o.bytes(this.who(e.track).cells);
        o.ascii(',,');
        text(o, e.name);
        o.ascii(',counter,');
        num(o, e.value);
        o.ascii(',,');
        this.endRow();
        return;
      }
      case 'sample': {
        const w = this.who(e.track);
        const extra: Record<string, unknown> = { ...(e.args ?? {}) };
        if (e.reason) extra.reason = e.reason;
        if (e.profile) extra.period = e.profile.period;
        const o = this.row(e.ts, OTHER_RANK, e.track);
        o.ascii('stack,');
        num(o, e.ts);
        o.ascii(',,');
        if (e.cpu !== undefined) num(o, e.cpu);
        else o.ascii(w.cpu);
        o.ascii(',');
        if (e.pid !== undefined) num(o, e.pid);
        else o.ascii(w.pid);
        o.ascii(',');
        if (e.tid !== undefined) num(o, e.tid);
        else o.ascii(w.tid);
        o.ascii(',');
        if (e.comm !== undefined) text(o, e.comm);
        else o.utf8(w.comm);
        o.ascii(',,');
        text(o, e.title ?? e.reason ?? 'stack');
        o.ascii(',stack,');
        num(o, e.weight);
        o.ascii(',');
        this.stackCell(o, e.frames);
        o.ascii(',');
        argsCell(o, extra);
        this.endRow();
        return;
      }
      case 'sched-switch': {
        const o = this.row(e.ts, OTHER_RANK, -1 - e.cpu);
        o.ascii('sched_switch,');
        num(o, e.ts);
        o.ascii(',,');
        num(o, e.cpu);
        o.ascii(',,');
        num(o, e.nextTid);
        o.ascii(',');
        text(o, e.nextComm);
        o.ascii(',,');
        if (plainCell(e.prevComm) && plainCell(e.nextComm) && !(e.prevComm.length > 0 && formulaStart(e.prevComm.charCodeAt(0)))) {
          o.ascii(e.prevComm);
          o.ascii(':');
          num(o, e.prevTid);
          o.ascii(' => ');
          o.ascii(e.nextComm);
          o.ascii(':');
          num(o, e.nextTid);
        } else text(o, `${e.prevComm}:${e.prevTid} => ${e.nextComm}:${e.nextTid}`);
        o.ascii(',sched,,,');
        const mark = openArgs(o);
        let first = member(o, true, 'prev_tid', e.prevTid);
        first = member(o, first, 'prev_comm', e.prevComm);
        first = member(o, first, 'prev_prio', e.prevPrio);
        first = member(o, first, 'prev_state', e.prevState);
        first = member(o, first, 'next_prio', e.nextPrio);
        closeArgs(o, mark, first);
        this.endRow();
        return;
      }
      case 'sched-waking': {
        const o = this.row(e.ts, OTHER_RANK, -1 - e.cpu);
        o.ascii('sched_waking,');
        num(o, e.ts);
        o.ascii(',,');
        num(o, e.cpu);
        o.ascii(',,');
        num(o, e.tid);
        o.ascii(',');
        text(o, e.comm);
        o.ascii(',,');
        if (plainCell(e.comm)) {
          o.ascii('wakes ');
          o.ascii(e.comm);
        } else text(o, `wakes ${e.comm}`);
        o.ascii(',sched,,,');
        const mark = openArgs(o);
        let first = member(o, true, 'prio', e.prio);
        first = member(o, first, 'target_cpu', e.targetCpu);
        first = member(o, first, 'waker_tid', e.wakerTid);
        closeArgs(o, mark, first);
        this.endRow();
        return;
      }
      case 'irq':
      case 'softirq': {
        const key = `${e.kind}:${e.cpu}`;
        if (e.phase === 'entry') {
          const name = e.kind === 'irq' ? `IRQ ${e.irq}${e.name ? ` (${e.name})` : ''}` : softirqName(e.vec);
          this.irqOpen.set(key, { ts: e.ts, name, args: e.kind === 'irq' ? { irq: e.irq } : { vec: e.vec } });
        } else {
          const op = this.irqOpen.get(key);
          if (op) this.irqOpen.set(key, undefined);
          const args = { ...(op?.args ?? {}), ...(e.kind === 'irq' && e.ret !== undefined ? { ret: e.ret } : {}) };
          const name = op?.name ?? (e.kind === 'irq' ? `IRQ ${e.irq}` : softirqName(e.vec));
          const o = this.row(op ? op.ts : e.ts, 0, -1 - e.cpu);
          o.ascii(e.kind);
          o.ascii(',');
          num(o, op ? op.ts : e.ts);
          o.ascii(',');
          if (op) num(o, e.ts - op.ts);
          o.ascii(',');
          num(o, e.cpu);
          o.ascii(',,');
          num(o, e.tid);
          o.ascii(',,,');
          text(o, name);
          o.ascii(`,${e.kind},,,`);
          argsCell(o, args);
          this.endRow();
        }
        return;
      }
      default:
        return;
    }
  }

  written(chunk: Uint8Array): void {
    this.out.written(chunk);
  }

  end(): Uint8Array | null {
    return this.joined(this.endChunks()) ?? new Uint8Array(0);
  }

  /** The end in pieces, as a release (the last rows are not gathered into one buffer). */
  endChunks(): Iterable<Uint8Array> {
    this.unfinished();
    // Interrupts still running when the input ended.
    for (const [key, op] of [...this.irqOpen].sort()) {
      if (!op) continue;
      const [kind, cpu] = key.split(':');
      const o = this.row(op.ts, 0, -1 - Number(cpu));
      o.ascii(`${kind},`);
      num(o, op.ts);
      o.ascii(`,,${cpu},,,,,`);
      text(o, op.name);
      o.ascii(`,${kind},,,`);
      argsCell(o, { ...op.args, unfinished: true });
      this.endRow();
    }
    this.irqOpen.clear();
    return this.release(true);
  }
}

export const csv: OutputAdapter = {
  name: 'csv',
  description: 'CSV, one row per event (RFC 4180, fixed columns)',
  extensions: ['.csv'],
  binary: false,
  createWriter: () => new CsvWriter(),
};

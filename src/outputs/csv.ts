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
 * come) can precede them; past `HELD_ROWS` waiting rows the oldest are written regardless, which
 * bounds memory on huge inputs at the cost of order around very long open calls. Text cells
 * that a spreadsheet would run as a formula (starting with = + - @ TAB CR LF, or full-width ＝ ＋ － ＠) get a leading `'`.
 */
import type { Args, TraceEvent, TrackInfo } from '../model/events.js';
import { frameLabel, softirqName } from './common.js';
import type { OutputAdapter, OutputWriter } from './types.js';

export const CSV_COLUMNS = ['kind', 'ts_ns', 'dur_ns', 'cpu', 'pid', 'tid', 'comm', 'depth', 'name', 'category', 'value', 'stack', 'args'] as const;

/** Quotes a text cell and defuses formula starts. */
export function csvText(s: string): string {
  if (s.length > 0) {
    const c = s.charCodeAt(0);
    // = + - @ TAB CR LF, and their full-width forms (spreadsheets read ＝ as =).
    if (c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13 || c === 10 || c === 0xff1d || c === 0xff0b || c === 0xff0d || c === 0xff20) s = `'${s}`;
  }
  if (/[",\r\n]/.test(s)) return `"${s.replace(/"/g, '""')}"`;
  return s;
}

/** Rows waiting for their turn before the oldest are written out of turn. */
export const HELD_ROWS = 1 << 17;

interface HeldRow {
  ts: number;
  /** Slices: depth; interrupts 0; everything else after the slices of the same time. */
  rank: number;
  track: number;
  seq: number;
  text: string;
}

const byTime = (a: HeldRow, b: HeldRow) => a.ts - b.ts || a.rank - b.rank || a.track - b.track || a.seq - b.seq;
const OTHER_RANK = 1 << 20;

const num = (n: number | undefined) => (n === undefined ? '' : String(n));
const argsCell = (a: Args | Record<string, unknown> | undefined) => (a && Object.keys(a).length ? csvText(JSON.stringify(a)) : '');

class CsvWriter implements OutputWriter {
  private readonly tracks: TrackInfo[] = [];
  private header = false;
  private rows: string[] = [];
  private held: HeldRow[] = [];
  private seq = 0;
  /** Per track: start times of the open slices (outermost first). */
  private readonly open = new Map<number, number[]>();
  /** Sort key of the row `row()` writes next. */
  private key: { ts: number; rank: number; track: number } = { ts: 0, rank: 0, track: 0 };
  private readonly irqOpen = new Map<string, { ts: number; name: string; args: Record<string, unknown> }>();

  private row(cells: (string | number | undefined)[]) {
    const text = cells.map((c) => (c === undefined ? '' : String(c))).join(',') + '\r\n';
    this.held.push({ ...this.key, seq: this.seq++, text });
  }

  private at(ts: number, rank: number, track: number) {
    this.key = { ts, rank, track };
  }

  /** Earliest time a row still to come can have: the oldest open slice or interrupt. */
  private watermark(): number {
    let w = Infinity;
    for (const st of this.open.values()) if (st.length && st[0]! < w) w = st[0]!;
    for (const o of this.irqOpen.values()) if (o.ts < w) w = o.ts;
    return w;
  }

  /** Moves the rows that nothing to come can precede (or, over the limit, the oldest) to the output. */
  private release(all: boolean) {
    if (!this.header) {
      this.rows.push(CSV_COLUMNS.join(',') + '\r\n');
      this.header = true;
    }
    if (!all && this.held.length < HELD_ROWS) return;
    this.held.sort(byTime);
    let n = this.held.length;
    if (!all) {
      const w = this.watermark();
      n = 0;
      while (n < this.held.length && this.held[n]!.ts < w) n++;
      if (n < this.held.length >> 1) n = this.held.length >> 1;
    }
    for (let k = 0; k < n; k++) this.rows.push(this.held[k]!.text);
    this.held = n === this.held.length ? [] : this.held.slice(n);
  }

  private who(track: number): { cpu: string; pid: string; tid: string; comm: string } {
    const t = this.tracks[track];
    if (!t) return { cpu: '', pid: '', tid: '', comm: '' };
    if (t.kind === 'thread') return { cpu: num(t.cpu), pid: String(t.pid), tid: String(t.tid), comm: csvText(t.name) };
    if (t.kind === 'cpu') return { cpu: String(t.cpu), pid: '', tid: '', comm: csvText(t.name) };
    return { cpu: '', pid: '', tid: '', comm: csvText(t.name) };
  }

  push(events: TraceEvent[]): string | null {
    for (const e of events) {
      switch (e.kind) {
        case 'track':
          this.tracks[e.track.id] = e.track;
          break;
        case 'begin': {
          let st = this.open.get(e.track);
          if (!st) this.open.set(e.track, (st = []));
          st.length = Math.min(st.length, e.depth);
          st.push(e.ts);
          break;
        }
        case 'end': {
          const st = this.open.get(e.track);
          if (st) st.length = Math.min(st.length, e.depth);
          this.at(e.start, e.depth, e.track);
          const w = this.who(e.track);
          const a = e.beginArgs ? { ...e.beginArgs, ...(e.args ?? {}) } : e.args;
          this.row(['slice', e.start, e.ts - e.start, w.cpu, w.pid, w.tid, w.comm, e.depth, csvText(e.name), csvText(e.cat), '', '', argsCell(a)]);
          break;
        }
        case 'instant': {
          this.at(e.ts, OTHER_RANK, e.track);
          const w = this.who(e.track);
          this.row(['instant', e.ts, '', w.cpu, w.pid, w.tid, w.comm, '', csvText(e.name), csvText(e.cat), '', '', argsCell(e.args)]);
          break;
        }
        case 'counter': {
          this.at(e.ts, OTHER_RANK, e.track);
          const w = this.who(e.track);
          this.row(['counter', e.ts, '', w.cpu, w.pid, w.tid, w.comm, '', csvText(e.name), 'counter', e.value, '', '']);
          break;
        }
        case 'sample': {
          this.at(e.ts, OTHER_RANK, e.track);
          const w = this.who(e.track);
          const extra: Record<string, unknown> = { ...(e.args ?? {}) };
          if (e.reason) extra.reason = e.reason;
          if (e.profile) extra.period = e.profile.period;
          this.row([
            'stack',
            e.ts,
            '',
            e.cpu !== undefined ? e.cpu : w.cpu,
            e.pid !== undefined ? e.pid : w.pid,
            e.tid !== undefined ? e.tid : w.tid,
            e.comm !== undefined ? csvText(e.comm) : w.comm,
            '',
            csvText(e.title ?? e.reason ?? 'stack'),
            'stack',
            e.weight,
            csvText(e.frames.map(frameLabel).join(';')),
            argsCell(extra),
          ]);
          break;
        }
        case 'sched-switch':
          this.at(e.ts, OTHER_RANK, -1 - e.cpu);
          this.row([
            'sched_switch',
            e.ts,
            '',
            e.cpu,
            '',
            e.nextTid,
            csvText(e.nextComm),
            '',
            csvText(`${e.prevComm}:${e.prevTid} => ${e.nextComm}:${e.nextTid}`),
            'sched',
            '',
            '',
            argsCell({ prev_tid: e.prevTid, prev_comm: e.prevComm, prev_prio: e.prevPrio, prev_state: e.prevState, next_prio: e.nextPrio }),
          ]);
          break;
        case 'sched-waking':
          this.at(e.ts, OTHER_RANK, -1 - e.cpu);
          this.row([
            'sched_waking',
            e.ts,
            '',
            e.cpu,
            '',
            e.tid,
            csvText(e.comm),
            '',
            csvText(`wakes ${e.comm}`),
            'sched',
            '',
            '',
            argsCell({ prio: e.prio, target_cpu: e.targetCpu, ...(e.wakerTid !== undefined ? { waker_tid: e.wakerTid } : {}) }),
          ]);
          break;
        case 'irq':
        case 'softirq': {
          const key = `${e.kind}:${e.cpu}`;
          if (e.phase === 'entry') {
            const name = e.kind === 'irq' ? `IRQ ${e.irq}${e.name ? ` (${e.name})` : ''}` : softirqName(e.vec);
            this.irqOpen.set(key, { ts: e.ts, name, args: e.kind === 'irq' ? { irq: e.irq } : { vec: e.vec } });
          } else {
            const o = this.irqOpen.get(key);
            this.irqOpen.delete(key);
            const args = { ...(o?.args ?? {}), ...(e.kind === 'irq' && e.ret !== undefined ? { ret: e.ret } : {}) };
            const name = o?.name ?? (e.kind === 'irq' ? `IRQ ${e.irq}` : softirqName(e.vec));
            this.at(o ? o.ts : e.ts, 0, -1 - e.cpu);
            this.row([e.kind, o ? o.ts : e.ts, o ? e.ts - o.ts : '', e.cpu, '', e.tid, '', '', csvText(name), e.kind, '', '', argsCell(args)]);
          }
          break;
        }
        default:
          break;
      }
    }
    this.release(false);
    const out = this.rows.join('');
    this.rows = [];
    return out || null;
  }

  end(): string {
    // Interrupts still running when the input ended.
    for (const [key, o] of [...this.irqOpen].sort()) {
      const [kind, cpu] = key.split(':');
      this.at(o.ts, 0, -1 - Number(cpu));
      this.row([kind, o.ts, '', cpu, '', '', '', '', csvText(o.name), kind, '', '', argsCell({ ...o.args, unfinished: true })]);
    }
    this.irqOpen.clear();
    this.release(true);
    const out = this.rows.join('');
    this.rows = [];
    return out;
  }
}

export const csv: OutputAdapter = {
  name: 'csv',
  description: 'CSV, one row per event (RFC 4180, fixed columns)',
  extensions: ['.csv'],
  binary: false,
  createWriter: () => new CsvWriter(),
};

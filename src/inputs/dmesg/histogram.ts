/**
 * Stack histograms: a count line (`Trace1 59281`) whose stack follows, a stated `Total`, and
 * bpftrace maps (`@[` frames `]: N`). Each entry is one sample weighted by its count.
 */
import { closeBlock, openBlock, text } from './assemble.js';
import type { CallerState, DmesgState } from './state.js';
import type { Token } from './tokens.js';

type Tok<K extends Token['t']> = Extract<Token, { t: K }>;

/** A count line: held until a stack follows it (only without caller ids, outside a trace). */
export function countLine(c: DmesgState, st: CallerState, tok: Tok<'count'>, no: number): void {
  if (st === c.main && !st.block) {
    c.hist.pending = { label: tok.label, count: tok.count, line: no };
    return;
  }
  text(c, st, no);
}

export function totalLine(c: DmesgState, tok: Tok<'total'>, no: number): void {
  c.hist.statedTotal += tok.count;
  c.hist.statedTotalLine = no;
}

/** `@name[key...`: a map entry's stack begins. */
export function bpfOpen(c: DmesgState, st: CallerState, tok: Tok<'bpf-open'>, no: number, ts: number | undefined): void {
  closeBlock(c, st);
  const blk = openBlock(c, st, no, ts, false);
  blk.bpf = { name: tok.name, key: tok.key };
}

/** `]: N`: the entry's count; its stack is done. */
export function bpfClose(c: DmesgState, st: CallerState, tok: Tok<'bpf-close'>, no: number): void {
  if (st.block?.bpf) {
    st.block.weight = tok.count;
    closeBlock(c, st);
  } else text(c, st, no);
}

/** A count no stack followed was prose after all. */
export function dropPendingCount(c: DmesgState): void {
  if (!c.hist.pending) return;
  c.report('dmesg.prose', c.hist.pending.line);
  c.hist.pending = undefined;
}

/** End of input: a stated total that the listed entries do not sum to is reported. */
export function checkTotal(c: DmesgState): void {
  const h = c.hist;
  if (h.statedTotalLine > 0 && h.entries > 0 && h.statedTotal !== h.weight) {
    const d = h.weight - h.statedTotal;
    c.report('dmesg.total-mismatch', h.statedTotalLine, `stated total ${h.statedTotal}, the listed stacks sum to ${h.weight} (${d > 0 ? '+' : ''}${d})`);
  }
}

/** The info event's notes about histograms. */
export function histogramNotes(c: DmesgState, notes: Record<string, string>): void {
  const h = c.hist;
  if (h.entries === 0) return;
  notes.histogram_entries = String(h.entries);
  notes.histogram_total = String(h.weight);
  if (h.statedTotalLine > 0) notes.stated_total = String(h.statedTotal);
}

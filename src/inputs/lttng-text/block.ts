/**
 * Block I/O requests (`block_rq_issue` → `block_rq_complete`, matched by device and sector) as
 * slices on per-device lanes (`model/keyed-slices.ts`), named by their blktrace flags.
 */
import { argsOf, type Context } from './context.js';
import type { Domain } from './meaning.js';
import type { LttngRecord } from './record.js';
import { instant } from './tracks.js';
import { EnumValue, intOf, textOf, type Value } from './values.js';

const RWBS_NAMES = ['WRITE', 'DISCARD', 'READ', 'RAHEAD', 'BARRIER', 'SYNC', 'META', 'SECURE', 'FLUSH', 'FUA', 'PREFLUSH'];

/** Block request flags as blktrace letters: perf prints them, LTTng prints lttng's bit flags. */
function rwbsText(v: Value | undefined): string {
  if (typeof v === 'string' && !/^0[xb0-7]/.test(v)) return v.trim();
  let bits = intOf(v);
  if (v instanceof EnumValue && v.labels.length) {
    bits = 0;
    for (const l of v.labels) {
      const k = RWBS_NAMES.findIndex((x) => l.endsWith(`_${x}`));
      if (k >= 0) bits |= 1 << k;
    }
  }
  if (!Number.isFinite(bits)) return 'I/O';
  // blktrace order: preflush, operation, FUA, readahead, sync, meta
  let s = bits & (1 << 10) ? 'F' : '';
  s += bits & 1 ? 'W' : bits & 2 ? 'D' : bits & 4 ? 'R' : 'N';
  if (bits & (1 << 9)) s += 'F';
  if (bits & 8) s += 'A';
  if (bits & 32) s += 'S';
  if (bits & 64) s += 'M';
  return s;
}

export function onBlockIssue(cx: Context, r: LttngRecord, dom: Domain, cpu: number): void {
  const p = r.payload;
  const dev = intOf(p.dev);
  const sector = textOf(p.sector);
  if (!Number.isFinite(dev) || sector === undefined) {
    instant(cx, r, dom, cpu);
    return;
  }
  // LTTng prints the kernel's dev_t: MAJOR << 20 | MINOR.
  cx.nest.blockIssue(String(dev), `${dev >>> 20},${dev & 0xfffff}`, sector, r.ts, rwbsText(p.rwbs), r.line, argsOf(r, false));
}

export function onBlockComplete(cx: Context, r: LttngRecord, dom: Domain, cpu: number): void {
  const p = r.payload;
  if (!cx.nest.blockComplete(String(intOf(p.dev)), String(textOf(p.sector)), r.ts, r.line, argsOf(r, false))) {
    cx.report('lttng-text.unmatched-exit', r.line, 'block_rq_complete without its block_rq_issue: kept as an instant');
    instant(cx, r, dom, cpu);
  }
}

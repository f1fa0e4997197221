/**
 * Block I/O requests (`block_rq_issue` → `block_rq_complete`, matched by device and sector) as
 * slices on per-device lanes: one lane per request in flight, at most `MAX_INFLIGHT` per device.
 */
import type { Args } from '../../model/events.js';
import { CAT } from '../../model/events.js';
import { argsOf, type Context, type Inflight } from './context.js';
import type { Domain } from './meaning.js';
import type { LttngRecord } from './record.js';
import { instant } from './tracks.js';
import { EnumValue, intOf, textOf, type Value } from './values.js';

/** Block requests in flight per device (a lane each); beyond, completions were lost. */
const MAX_INFLIGHT = 256;

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

function done(cx: Context, key: string, f: Inflight, ts: number, line: number, args?: Args): void {
  cx.inflight.delete(key);
  cx.devSlots.get(f.dev)![f.slot] = false;
  cx.nest.close(f.track, ts, key, CAT.io, 'I/O', line, args);
}

export function onBlockIssue(cx: Context, r: LttngRecord, dom: Domain, cpu: number): void {
  const p = r.payload;
  const dev = intOf(p.dev);
  const sector = textOf(p.sector);
  if (!Number.isFinite(dev) || sector === undefined) {
    instant(cx, r, dom, cpu);
    return;
  }
  const key = `${dev}:${sector}`;
  const old = cx.inflight.get(key);
  if (old) done(cx, key, old, r.ts, r.line, { reissued: true });
  let slots = cx.devSlots.get(dev);
  if (!slots) cx.devSlots.set(dev, (slots = []));
  let slot = slots.indexOf(false);
  if (slot === -1 && slots.length >= MAX_INFLIGHT) {
    // Completions were lost: the device's oldest request gives its lane up.
    let oldest: [string, Inflight] | undefined;
    for (const e of cx.inflight) {
      if (e[1].dev === dev) {
        oldest = e;
        break;
      }
    }
    if (oldest) {
      cx.report('lttng-text.lost-exit', r.line, `more than ${MAX_INFLIGHT} requests in flight on one device: the oldest is closed here`);
      done(cx, oldest[0], oldest[1], r.ts, r.line, { truncated: true });
      slot = oldest[1].slot;
    }
  }
  if (slot === -1) slot = slots.length;
  slots[slot] = true;
  const track = cx.b.global(`block ${dev >>> 20},${dev & 0xfffff}${slot ? ` #${slot + 1}` : ''}`);
  cx.inflight.set(key, { track, dev, slot });
  cx.nest.open(track, r.ts, rwbsText(p.rwbs), key, CAT.io, r.line, argsOf(r, false));
}

export function onBlockComplete(cx: Context, r: LttngRecord, dom: Domain, cpu: number): void {
  const p = r.payload;
  const key = `${intOf(p.dev)}:${textOf(p.sector)}`;
  const f = cx.inflight.get(key);
  if (!f) {
    cx.report('lttng-text.unmatched-exit', r.line, 'block_rq_complete without its block_rq_issue: kept as an instant');
    instant(cx, r, dom, cpu);
    return;
  }
  done(cx, key, f, r.ts, r.line, argsOf(r, false));
}

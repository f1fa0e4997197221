/**
 * Userspace function entries and exits (`lttng_ust_cyg_profile`, `-finstrument-functions`)
 * as slices nesting per thread, named by babeltrace's debug_info when it resolved them.
 */
import { CAT, type Args } from '../../model/events.js';
import type { Context } from './context.js';
import type { Domain } from './meaning.js';
import type { LttngRecord } from './record.js';
import { trackOf } from './tracks.js';
import { EnumValue, type Fields, textOf } from './values.js';

/** debug_info's function (without its offset) when babeltrace resolved it, else the address. */
function functionName(r: LttngRecord, addr: string): string {
  const di = r.ctx?.debug_info;
  if (di && typeof di === 'object' && !Array.isArray(di) && !(di instanceof EnumValue)) {
    const fn = textOf((di as Fields).func);
    if (fn) {
      const plus = fn.lastIndexOf('+0x');
      return plus > 0 ? fn.slice(0, plus) : fn;
    }
  }
  return addr;
}

// cyg_profile prints addr (and call_site) on both; cyg_profile_fast's exit has no fields.

export function onFuncEntry(cx: Context, r: LttngRecord, dom: Domain, cpu: number): void {
  const p = r.payload;
  const addr = textOf(p.addr);
  const track = trackOf(cx, r, dom, cpu);
  const args: Args = { addr: addr ?? '?' };
  const site = textOf(p.call_site);
  if (site !== undefined) args.call_site = site;
  cx.nest.open(track, r.ts, functionName(r, addr ?? '?'), addr ?? '?', CAT.function, r.line, args);
}

export function onFuncExit(cx: Context, r: LttngRecord, dom: Domain, cpu: number): void {
  const addr = textOf(r.payload.addr);
  const track = trackOf(cx, r, dom, cpu);
  const name = addr !== undefined ? functionName(r, addr) : (cx.nest.top(track)?.name ?? '[unknown]');
  cx.nest.close(track, r.ts, addr, CAT.function, name, r.line);
}

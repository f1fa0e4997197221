/**
 * kprobe/kretprobe and uprobe/uretprobe hits joined into slices on their thread. The kernel
 * prints (kernel/trace/trace_kprobe.c, trace_uprobe.c):
 *
 * - a kprobe hit `NAME: (func+0xoff/0xsize) args`, the probed address with its offset forced on;
 *   at offset 0 it is the function's entry;
 * - a kretprobe hit `NAME: (caller+0xoff/0xsize <- func) args`, the return address, then the
 *   probed function without offset;
 * - a uprobe hit `NAME: (0xaddr) args`, a uretprobe hit `NAME: (0xret <- 0xfunc) args`.
 *
 * An entry hit is held until the next event of its thread: when that is the return of the same
 * function, the two make a slice. When it is anything else, the hit opens a slice if that
 * function has been seen returning (its return probe exists; nested events and recursion then
 * nest as the thread's stack does), else it stays an instant: a probe with no return probe
 * (reported). A return whose entry is neither held nor open is an instant too (reported).
 */
import type { Report } from '../../model/diagnostics.js';
import type { Args } from '../../model/events.js';
import { CAT } from '../../model/events.js';
import type { SliceBuilder } from '../../model/slices.js';
import { parseKv } from './fields.js';
import type { Ev } from './handlers.js';
import type { KeyedSlices } from '../../model/keyed-slices.js';

export type ProbeHit = { kind: 'entry'; func: string; site: string; offset: number; args: Args } | { kind: 'return'; func: string; caller: string; args: Args };

const MOD = '(?: \\[[^\\]]+\\])?';
const RE_ENTRY = new RegExp(`^\\(([^\\s()<]+?)\\+0x([0-9a-f]+)\\/0x[0-9a-f]+${MOD}\\)(?: (.*))?$`);
const RE_RETURN = new RegExp(`^\\(([^\\s()<]+?)${MOD} <- ([^\\s()<]+?)${MOD}\\)(?: (.*))?$`);
const RE_UPROBE = /^\((0x[0-9a-f]+)\)(?: (.*))?$/;

/** A probe hit's payload (after `NAME: `), or undefined when it is not one. */
export function probeHit(rest: string): ProbeHit | undefined {
  if (rest.charCodeAt(0) !== 40 /* ( */) return undefined;
  let m = RE_ENTRY.exec(rest);
  if (m) return { kind: 'entry', func: m[1]!, site: `${m[1]}+0x${m[2]}`, offset: parseInt(m[2]!, 16), args: parseKv(m[3] ?? '') };
  m = RE_RETURN.exec(rest);
  if (m) return { kind: 'return', func: m[2]!, caller: m[1]!, args: parseKv(m[3] ?? '') };
  m = RE_UPROBE.exec(rest);
  if (m) return { kind: 'entry', func: m[1]!, site: m[1]!, offset: 0, args: parseKv(m[2] ?? '') };
  return undefined;
}

interface Held {
  e: Ev;
  func: string;
  args: Args;
}

/** Joined hits are calls of the probed function, as function_graph's are (folded and top count them). */
const CAT_PROBE = CAT.function;

export class Probes {
  /** The entry hit waiting for its thread's next event, per thread track. */
  private readonly held = new Map<number, Held>();
  /** Functions seen returning (they have a return probe). */
  private readonly returns = new Set<string>();

  constructor(
    private readonly b: SliceBuilder,
    private readonly keyed: KeyedSlices,
    private readonly report: Report,
  ) {}

  /** Handles `e` when it is a probe hit; false when it is not one. */
  hit(e: Ev): boolean {
    const p = probeHit(e.rest);
    if (!p) return false;
    const args: Args = { probe: e.name, ...p.args };
    if (e.flags) args.flags = e.flags;
    if (p.kind === 'entry') {
      this.flush(e.track);
      if (p.offset === 0) this.held.set(e.track, { e, func: p.func, args });
      else this.b.instant(e.track, e.ts, e.name, CAT.event, e.line, { ...args, site: p.site });
      return true;
    }
    const key = `probe:${p.func}`;
    const endArgs: Args = { return_probe: e.name, caller: p.caller, ...p.args };
    const h = this.held.get(e.track);
    if (h && h.func === p.func) {
      this.held.delete(e.track);
      this.returns.add(p.func);
      this.open(h);
      this.keyed.close(e.track, e.ts, key, CAT_PROBE, p.func, e.line, endArgs);
      return true;
    }
    this.flush(e.track);
    if (this.keyed.isOpen(e.track, CAT_PROBE, key)) {
      this.returns.add(p.func);
      this.keyed.close(e.track, e.ts, key, CAT_PROBE, p.func, e.line, endArgs);
      return true;
    }
    this.report('ftrace-events.unmatched-probe', e.line, `${e.name}: a return from ${p.func} with no entry hit of it open on its thread: kept as an instant`);
    this.b.instant(e.track, e.ts, e.name, CAT.event, e.line, { ...endArgs, function: p.func });
    return true;
  }

  /** Another event of the thread comes: its held entry hit becomes a slice or an instant. */
  flush(track: number): void {
    const h = this.held.get(track);
    if (!h) return;
    this.held.delete(track);
    if (this.returns.has(h.func)) return this.open(h);
    this.report('ftrace-events.unmatched-probe', h.e.line, `${h.e.name}: a hit of ${h.func} with no return hit after it on its thread: kept as an instant`);
    this.b.instant(track, h.e.ts, h.e.name, CAT.event, h.e.line, { ...h.args, function: h.func });
  }

  end(): void {
    for (const track of [...this.held.keys()].sort((a, b) => a - b)) this.flush(track);
  }

  private open(h: Held) {
    this.b.cpu = h.e.cpu;
    this.keyed.open(h.e.track, h.e.ts, h.func, `probe:${h.func}`, CAT_PROBE, h.e.line, h.args);
  }
}

/**
 * Records → model events: the adapter's parser, wiring the parts together. Each line is
 * tokenized (`tokenize.ts`), timed (`timeline.ts`), held while what it needs is unknown
 * (`hold.ts`), and handled by the handler of its event's meaning (`meaning.ts`, `dispatch.ts`):
 *
 * - Scheduling and interrupts become the model's own kinds (`sched-switch`, `sched-waking`,
 *   `irq`, `softirq`), so outputs can write them natively (Perfetto ftrace packets).
 * - A kernel event belongs to the task running on its CPU (`hold.ts`); with `vtid`/`tid`
 *   context (or perf's `perf_tid`) the thread is known (`tracks.ts`).
 * - Userspace events go to their `vtid` (else their process, `vpid`); `cyg_profile` function
 *   entries and exits nest per thread.
 * - Every other event is an instant with all its fields as args.
 */
import type { Args, TraceEvent } from '../../model/events.js';
import { CAT } from '../../model/events.js';
import type { InputParser, ParseContext } from '../types.js';
import { Context } from './context.js';
import { CpuHold, type Discarded, StartHold } from './hold.js';
import { closeInterrupts } from './irq.js';
import { type Domain, domainOf } from './meaning.js';
import { learnStatedump } from './processes.js';
import type { LttngRecord } from './record.js';
import { tokenize } from './tokenize.js';

export { PENDING_LIMIT, PREFIX_LIMIT } from './hold.js';

export class LttngTextParser implements InputParser {
  private readonly cx: Context;
  private readonly start = new StartHold();
  private readonly cpuHold: CpuHold;
  // what the info event says
  private readonly hosts = new Set<string>();
  private readonly domains = new Set<Domain>();
  private printer1 = 0;
  private printer2 = 0;

  constructor(ctx: ParseContext) {
    this.cx = new Context(ctx);
    this.cpuHold = new CpuHold(this.cx);
  }

  push(lines: string[], firstLine: number): TraceEvent[] {
    for (let k = 0; k < lines.length; k++) this.line(lines[k]!, firstLine + k);
    return this.cx.b.take();
  }

  end(): TraceEvent[] {
    this.releaseStart();
    this.cpuHold.flush(true);
    closeInterrupts(this.cx);
    const b = this.cx.b;
    b.closeAll();
    const evs = b.take();
    evs.unshift(this.info());
    return evs;
  }

  private info(): TraceEvent {
    const cx = this.cx;
    const notes: Record<string, string> = {};
    if (this.hosts.size) notes.hostname = [...this.hosts].slice(0, 4).join(', ');
    if (this.domains.size) notes.domains = [...this.domains].sort().join(', ');
    notes.timestamps = cx.clock.note();
    if (cx.sawSwitch) notes.prev_state = cx.states.describe();
    const variant = this.printer2 && !this.printer1 ? 'babeltrace2' : this.printer1 && !this.printer2 ? 'babeltrace 1' : 'babeltrace';
    const origin = cx.clock.originNs();
    const info: TraceEvent = { kind: 'info', format: 'lttng-text', variant, clock: origin === undefined ? 'none' : 'absolute', notes };
    if (origin !== undefined) info.clockOriginNs = origin;
    return info;
  }

  private line(raw: string, no: number): void {
    const t = tokenize(raw, no);
    if ('line' in t) {
      if (this.start.active) {
        if (this.start.push(t)) this.releaseStart();
        return;
      }
      this.record(t);
      return;
    }
    switch (t.kind) {
      case 'blank':
        return;
      case 'unparsed':
        this.cx.report('lttng-text.unparsed-line', no, `not parsed (${t.why})`);
        return;
      case 'discarded':
        if (this.start.active) this.start.note({ ...t, line: no });
        else this.discarded({ ...t, line: no });
        return;
    }
  }

  /** babeltrace's warning about lost events: a marker where it was printed. */
  private discarded(t: Discarded) {
    const b = this.cx.b;
    this.cx.report('lttng-text.discarded-events', t.line, t.text);
    const args: Args = { message: t.text };
    if (t.count >= 0) args.count = t.count;
    b.instant(b.global('LTTng'), this.cx.clock.lastTs, `${t.what} discarded`, CAT.marker, t.line, args);
  }

  /** Learns processes and thread names from the held statedump, then handles what was held. */
  private releaseStart() {
    const held = this.start.end();
    if (!held) return;
    learnStatedump(this.cx, held);
    for (const r of held) {
      if ('kind' in r) this.discarded(r);
      else this.record(r);
    }
  }

  private record(r: LttngRecord): void {
    r.ts = this.cx.clock.time(r);
    if (r.host !== undefined && this.hosts.size < 8) this.hosts.add(r.host);
    if (r.printer === 2) this.printer2++;
    else if (r.printer === 1) this.printer1++;
    if (r.malformed) this.cx.report('lttng-text.malformed-fields', r.line, `${r.malformed}: the fields read before it are kept`);
    const dom = domainOf(r);
    this.domains.add(dom);
    this.cpuHold.route(r, dom);
  }
}

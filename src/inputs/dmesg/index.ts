/**
 * `dmesg`: kernel call traces however they were printed or pasted (kernel log, journalctl,
 * syslog, mails, bug trackers, `dump_stack()` collections) and stack histograms (a count, then
 * a stack; bpftrace `@[kstack]: N` maps). See `tokenize.ts` for the line forms and
 * `interpret.ts` for how reports become stack samples.
 */
import type { InputAdapter, SniffAnswer } from '../types.js';
import { createDmesgParser } from './interpret.js';
import { newPrefix, stripPrefix } from './prefix.js';
import { tokenize, type TokenizeFlags } from './tokenize.js';

const RE_OLD_FRAME = /\[<[0-9a-f]{8,16}>\] \(?[\w.]+\+0x[0-9a-f]+\/0x[0-9a-f]+/;

/**
 * `yes` when the head holds call traces (a trace header with frames, three strong frames such
 * as `func+0x1a/0x40` or `[<addr>] func`, arm32 `from` lines, a report header with a frame or a
 * task line) or bpftrace stack maps, or when most lines carry kernel log prefixes (a kernel log
 * is dmesg input even before its first trace); `maybe` on weaker traces of them; `no`
 * otherwise. function_graph text (`func() {`, `1) 0.123 us | }`) and babeltrace text
 * (`[12:34:56.123456789] (+0.000001) host event: { ... }`) have none of these.
 */
export function sniffDmesg(head: string): SniffAnswer {
  const p = newPrefix();
  const flags: TokenizeFlags = { kernel: false, bpf: false };
  let frames = 0;
  let traceHeaders = 0;
  let reportLines = 0;
  let prefixed = 0;
  let lines = 0;
  let bpf = 0;
  let weak = 0;
  let pos = 0;
  while (pos < head.length && lines < 4000) {
    let nl = head.indexOf('\n', pos);
    if (nl < 0) nl = head.length;
    const raw = head.slice(pos, nl);
    pos = nl + 1;
    stripPrefix(raw, p);
    if (p.text.trim() === '') continue;
    lines++;
    if ((p.kernel && !p.foreign) || p.wallKind === 1) prefixed++;
    flags.kernel = p.kernel || p.foreign;
    const t = tokenize(p.text, flags);
    switch (t.t) {
      case 'frames':
        if (t.strong && t.items.some((x) => x.kind === 'frame')) frames++;
        break;
      case 'arm':
        frames++;
        break;
      case 'trace-start':
        traceHeaders++;
        break;
      case 'header':
      case 'task':
      case 'fault':
        reportLines++;
        break;
      case 'bpf-open':
        flags.bpf = true;
        break;
      case 'bpf-close':
        bpf++;
        flags.bpf = false;
        break;
      default:
        if (RE_OLD_FRAME.test(p.text)) weak++;
        break;
    }
    if ((traceHeaders > 0 && frames > 0) || frames >= 3 || bpf > 0) return 'yes';
    if (reportLines > 0 && frames > 0) return 'yes';
  }
  if (prefixed >= 5 && prefixed * 2 >= lines) return 'yes';
  if (traceHeaders > 0 || frames > 0 || reportLines > 1 || weak > 0 || prefixed >= 3) return 'maybe';
  return 'no';
}

export const dmesg: InputAdapter = {
  name: 'dmesg',
  description: 'kernel call traces from dmesg, journalctl, syslog or mails (every architecture), and stack histograms',
  // Before function-graph (20): that sniffer says yes to a kernel log that embeds an ftrace dump
  // (sysrq-z, ftrace_dump_on_oops), while this one's yes needs printk prefixes on most lines or
  // call-trace frames, which function_graph text never has. After lttng-text (10).
  priority: 15,
  sniff: sniffDmesg,
  createParser: createDmesgParser,
};

/**
 * `dmesg`: kernel call traces however they were printed or pasted (kernel log, journalctl,
 * syslog, mails, bug trackers, `dump_stack()` collections) and stack histograms (a count, then
 * a stack; bpftrace `@[kstack]: N` maps). See `frames.ts` for the frame forms, `tokenize.ts`
 * for the line kinds and `interpret.ts` for how reports become stack samples.
 */
import type { InputAdapter, SniffAnswer, SniffVerdict } from '../types.js';
import { codes } from './codes.js';
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
  return sniffDmesgVerdict(head).answer;
}

/** `sniffDmesg` with its evidence: the lines that made the answer, and the share of prefixed or trace lines. */
export function sniffDmesgVerdict(head: string): SniffVerdict {
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
  let lineNo = 0;
  const evidence: number[] = [];
  const prefixLines: number[] = [];
  const note = (n: number) => {
    if (evidence.length < 5) evidence.push(n);
  };
  const verdict = (answer: SniffAnswer, why: string): SniffVerdict => {
    const traceLines = frames + traceHeaders + reportLines + bpf;
    const share = lines === 0 ? 0 : Math.min(1, Math.max(prefixed, traceLines) / lines);
    const ev = evidence.length > 0 ? evidence : prefixLines;
    return { answer, level: answer === 'yes' ? 2 : answer === 'maybe' ? 1 : 0, reason: why, lines: ev, share };
  };
  while (pos < head.length && lines < 4000) {
    let nl = head.indexOf('\n', pos);
    if (nl < 0) nl = head.length;
    const raw = head.slice(pos, nl);
    pos = nl + 1;
    lineNo++;
    stripPrefix(raw, p);
    if (p.text.trim() === '') continue;
    lines++;
    if ((p.kernel && !p.foreign) || p.wallKind === 1) {
      prefixed++;
      if (prefixLines.length < 5) prefixLines.push(lineNo);
    }
    flags.kernel = p.kernel || p.foreign;
    const t = tokenize(p.text, flags);
    switch (t.t) {
      case 'frames':
        if (t.strong && t.items.some((x) => x.kind === 'frame')) {
          frames++;
          note(lineNo);
        }
        break;
      case 'arm':
        frames++;
        note(lineNo);
        break;
      case 'trace-start':
        traceHeaders++;
        note(lineNo);
        break;
      case 'header':
      case 'task':
      case 'fault':
        reportLines++;
        note(lineNo);
        break;
      case 'bpf-open':
        flags.bpf = true;
        break;
      case 'bpf-close':
        bpf++;
        note(lineNo);
        flags.bpf = false;
        break;
      default:
        if (RE_OLD_FRAME.test(p.text)) {
          weak++;
          note(lineNo);
        }
        break;
    }
    if (traceHeaders > 0 && frames > 0) return verdict('yes', 'a call-trace header with frames');
    if (frames >= 3) return verdict('yes', 'three call-trace frames');
    if (bpf > 0) return verdict('yes', 'a bpftrace stack map');
    if (reportLines > 0 && frames > 0) return verdict('yes', 'a kernel report line with frames');
  }
  if (prefixed >= 5 && prefixed * 2 >= lines) return verdict('yes', `${prefixed} of ${lines} lines carry kernel log prefixes`);
  // Short reports (syzkaller's one-line `BUG ...: kasan: ...`): a report header in a kernel log.
  if (reportLines > 0 && prefixed > 0 && prefixed * 2 >= lines) return verdict('yes', 'a kernel report header on kernel log lines');
  if (traceHeaders > 0 || frames > 0 || reportLines > 1 || weak > 0 || prefixed >= 3) {
    return verdict('maybe', `traces of kernel reports (${traceHeaders} trace headers, ${frames} frames, ${reportLines} report lines, ${prefixed} prefixed lines)`);
  }
  return verdict('no', 'no call traces and no kernel log prefixes');
}

export const dmesg: InputAdapter = {
  name: 'dmesg',
  description: 'kernel call traces from dmesg, journalctl, syslog or mails (every architecture), and stack histograms',
  priority: 15,
  codes,
  sniff: sniffDmesg,
  sniffVerdict: sniffDmesgVerdict,
  createParser: createDmesgParser,
};

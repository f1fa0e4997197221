/**
 * One line of ftrace event text → its kind and its head columns. The grammar is the kernel's
 * `trace_print_context` / `trace_print_lat_context` (kernel/trace/trace_output.c) and the
 * dispatch in trace.c (`print_raw_fmt`, `print_hex_fmt`, lost events, annotate), plus
 * trace-cmd's `trace_show_data` (tracecmd/trace-read.c):
 *
 * - tracefs: `%16s-%-7d` (comm right-aligned, pid), `(%7d) ` / `(-------) ` with record-tgid,
 *   `[%03d] `, the 4- or 5-character flags with irq-info (absent without), then
 *   ` %5lu.%06lu: ` for ns clocks or ` %12llu: ` for counters, then the payload;
 * - latency-format: `%8.8s-%-7d %3d` then the flags with no space, ` %4lldus%c: ` (µs since
 *   the buffer start, `%c` a delay mark) or ` %4lld: ` for counters;
 * - latency-format + verbose: `%16s %7d %3d %d %08x %08lx ` (comm, pid, cpu, the flags byte in
 *   decimal, preempt count, entry index) then `[%08llx] %ld.%03ldms (+%ld.%03ldms): ` (the time
 *   in µs as hex, then ms since the buffer start and to the next entry) or, for counters,
 *   `[%016llx] %lld (+%lld): `;
 * - raw (`%d %d %llu `) and hex (three fixed-width hex words) prefixes;
 * - context-info off: the payload alone (a `bare` line: no task, CPU, flags or time);
 * - trace-cmd: pid 5 wide, `-l` like latency-format with decimal times, `-t` nine-digit
 *   fractions, `--ts-diff` ` (+delta)` after the colon, event names padded to 20 columns.
 *
 * The comm may hold spaces and dashes: the pid is the last `-digits` before the CPU column.
 */
import { parseScaled } from '../../model/time.js';

/** How the line printed its time. */
export type TimeForm = 'decimal' | 'integer' | 'latency-us';

export interface EventHead {
  kind: 'event';
  comm: string;
  pid: number;
  /** -1 when the tgid column is absent or printed as dashes. */
  tgid: number;
  cpu: number;
  /** The flags column, '' when absent. */
  flags: string;
  /** ns for decimal times; the printed integer for counters; µs × 1000 for latency-format. */
  ts: number;
  time: TimeForm;
  /** Digits after the decimal point (6 tracefs, 9 trace-cmd -t). */
  fracDigits: number;
  /** Everything after `TIME: `. */
  payload: string;
  layout: 'tracefs' | 'latency' | 'verbose' | 'raw' | 'hex' | 'bare';
}

export type FtLine =
  | EventHead
  | { kind: 'frame'; text: string }
  | { kind: 'header'; tracer?: string; release?: string; cpus?: number }
  | { kind: 'lost'; cpu: number; count: number }
  | { kind: 'buffer-started'; cpu: number }
  | { kind: 'cpus'; cpus: number }
  | { kind: 'blank' }
  /** A payload printed with context-info off (`sched_switch: …`, `sys_read(…)`, `func <-parent`). */
  | { kind: 'bare'; payload: string }
  | { kind: 'unparsed'; why: string };

const RE_WAKEUP_SUMMARY = /^(?:(?:Average wakeup latency|Maximum Latency|Minimum Latency): \d+\.\d{3} usecs(?: at timestamp: \d+\.\d{6})?|RT task timings:)\s*$/;
const RE_TRACEFS =
  /^\s*(.*)-(\d+)\s+(?:\(\s*(\d+|-+)\)\s+)?\[(\d+)\]\s+(?:([a-zA-Z.]{3}[0-9a-f.]{1,3})\s+)?(\d+)(?:\.(\d+))?:(?: \(\+\d+\))? +(.*)$/;
const RE_LATENCY = /^\s*(.*)-(\d+)\s+(\d+)([a-zA-Z.]{3}[0-9a-f.]{1,3})\s+(?:(\d+)us.|(\d+)(?:\.(\d+))?):(?: \(\+\d+\))? +(.*)$/;
const RE_VERBOSE = /^\s*(.*?)\s+(\d+)\s+(\d+) (\d+) ([0-9a-f]{8}) ([0-9a-f]{8,16}) \[([0-9a-f]+)\] (?:\d+\.\d+ms \(\+\d+\.\d+ms\)|(\d+) \(\+\d+\)): (.*)$/;
/**
 * A payload with no context: `name: …` (not babeltrace's `name: { …`), tracefs syscalls,
 * `func <-parent`, a stack trace.
 */
const RE_BARE = /^(?:[A-Za-z_][\w.]*: (?!\{)|sys_\w+\(.*\)$|sys_\w+ -> \S+$|[A-Za-z_.$][\w.$]*(?:\+0x[0-9a-f]+\/0x[0-9a-f]+)? <-[A-Za-z_.$]|<(?:user )?stack trace>)/;
const RE_RAW = /^(\d+) (\d+) (\d+) (.*)$/;
const RE_HEX = /^([0-9a-f]{8}) ([0-9a-f]{8}) ([0-9a-f]{16}) (.*)$/;
const RE_LOST = /^\s*CPU:\s*(\d+)\s*\[(?:LOST\s+)?(?:(\d+)\s+)?(?:EVENTS(?: DROPPED)?|LOST EVENTS)\]/;
const RE_STARTED = /^#{5} CPU (\d+) buffer started #{4}\s*$/;

function head(
  comm: string,
  pid: string,
  tgid: string | undefined,
  cpu: string,
  flags: string | undefined,
  whole: string,
  frac: string | undefined,
  payload: string,
  layout: EventHead['layout'],
): EventHead {
  const fracDigits = frac?.length ?? 0;
  const ts = frac !== undefined ? parseScaled(`${whole}.${frac}`, 9) : Number(whole);
  return {
    kind: 'event',
    comm: comm.trim(),
    pid: Number(pid),
    tgid: tgid !== undefined && tgid.charCodeAt(0) !== 45 ? Number(tgid) : -1,
    cpu: Number(cpu),
    flags: flags ?? '',
    ts,
    time: frac !== undefined ? 'decimal' : 'integer',
    fracDigits,
    payload,
    layout,
  };
}

/**
 * `entry->flags` (TRACE_FLAG_IRQS_OFF 0x01, IRQS_NOSUPPORT/NEED_RESCHED_LAZY 0x02, NEED_RESCHED
 * 0x04, HARDIRQ 0x08, SOFTIRQ 0x10, PREEMPT_RESCHED 0x20, NMI 0x40, BH_OFF 0x80) and the preempt
 * count → the five characters trace_print_lat_fmt prints for them.
 */
export function verboseFlags(f: number, preempt: number): string {
  const irqs = f & 0x01 ? (f & 0x80 ? 'D' : 'd') : f & 0x80 ? 'b' : '.';
  const resched = f & 0x04 && f & 0x20 ? 'N' : f & 0x04 ? 'n' : f & 0x20 ? 'p' : '.';
  const nmi = (f & 0x40) !== 0;
  const hard = (f & 0x08) !== 0;
  const soft = (f & 0x10) !== 0;
  const ctx = nmi && hard ? 'Z' : nmi ? 'z' : hard && soft ? 'H' : hard ? 'h' : soft ? 's' : '.';
  const pc = preempt & 0xf;
  const md = (preempt >> 4) & 0xf;
  return `${irqs}${resched}${ctx}${pc ? pc.toString(16) : '.'}${md ? md.toString(16) : '.'}`;
}

export function tokenizeLine(raw: string): FtLine {
  const s = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  let i = 0;
  while (i < s.length && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9)) i++;
  if (i === s.length) return { kind: 'blank' };
  const c = s.charCodeAt(i);
  if (c === 61 /* = */ && s.charCodeAt(i + 1) === 62 /* > */) return { kind: 'frame', text: s.slice(i + 2).trim() };
  if (c === 35 /* # */) {
    const st = RE_STARTED.exec(s);
    if (st) return { kind: 'buffer-started', cpu: Number(st[1]) };
    const t = /^#\s*tracer:\s*(\S+)/.exec(s);
    if (t) return { kind: 'header', tracer: t[1]! };
    const r = /^#\s*\S+ latency trace v[\d.]+ on (\S+)/.exec(s);
    if (r) return { kind: 'header', release: r[1]! };
    const p = /#P:(\d+)/.exec(s);
    if (p) return { kind: 'header', cpus: Number(p[1]) };
    return { kind: 'header' };
  }
  let m = RE_TRACEFS.exec(s);
  if (m) return head(m[1]!, m[2]!, m[3], m[4]!, m[5], m[6]!, m[7], m[8]!, 'tracefs');
  m = RE_LATENCY.exec(s);
  if (m) {
    if (m[5] !== undefined) {
      const h = head(m[1]!, m[2]!, undefined, m[3]!, m[4], m[5], undefined, m[8]!, 'latency');
      h.ts = Number(m[5]) * 1000;
      h.time = 'latency-us';
      return h;
    }
    return head(m[1]!, m[2]!, undefined, m[3]!, m[4], m[6]!, m[7], m[8]!, 'latency');
  }
  if (c === 67 /* C */) {
    const l = RE_LOST.exec(s);
    if (l) return { kind: 'lost', cpu: Number(l[1]), count: l[2] !== undefined ? Number(l[2]) : -1 };
    const cp = /^cpus=(\d+)\s*$/.exec(s);
    if (cp) return { kind: 'cpus', cpus: Number(cp[1]) };
    if (/^CPU \d+ is empty\s*$/.test(s)) return { kind: 'header' };
  }
  if (c === 99 /* c */) {
    const cp = /^cpus=(\d+)\s*$/.exec(s);
    if (cp) return { kind: 'cpus', cpus: Number(cp[1]) };
  }
  if (/^version = \d+\s*$/.test(s)) return { kind: 'header' };
  // `trace-cmd report -w`: the wakeup latency summary after the events (each switch line has
  // its own ` Latency: N usecs`, which the sched_switch reading leaves out).
  if (RE_WAKEUP_SUMMARY.test(s)) return { kind: 'header' };
  m = RE_VERBOSE.exec(s);
  if (m) {
    // The flags byte (TRACE_FLAG_*) and preempt count, in the letters the default layout prints.
    const h = head(m[1]!, m[2]!, undefined, m[3]!, verboseFlags(Number(m[4]), parseInt(m[5]!, 16)), '0', undefined, m[9]!, 'verbose');
    const t = BigInt(`0x${m[7]}`);
    if (m[8] === undefined) h.ts = Number(t) * 1000;
    else {
      h.ts = Number(t);
      h.time = 'integer';
    }
    if (m[8] === undefined) h.time = 'decimal';
    h.fracDigits = m[8] === undefined ? 6 : 0;
    return h;
  }
  if (i === 0) {
    if (RE_BARE.test(s)) return { kind: 'bare', payload: s };
    m = RE_RAW.exec(s);
    if (m) {
      const h = head('', m[1]!, undefined, m[2]!, undefined, m[3]!, undefined, m[4]!, 'raw');
      return h;
    }
    m = RE_HEX.exec(s);
    if (m) {
      const h = head('', String(parseInt(m[1]!, 16)), undefined, String(parseInt(m[2]!, 16)), undefined, '0', undefined, m[4]!, 'hex');
      h.ts = Number(BigInt(`0x${m[3]}`));
      h.time = 'integer';
      return h;
    }
  }
  return { kind: 'unparsed', why: 'not an ftrace event line' };
}

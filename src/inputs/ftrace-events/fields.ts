/**
 * The payload after the time: what kind of entry it is (a trace event `name: fields`, a function
 * tracer line, a tracefs syscall line, a stack trace start) and its fields.
 *
 * - Trace events print `name: ` then their TP_printk text (trace_raw_output_prep); trace-cmd pads
 *   the name to 20 columns. Fields are read as `key=value` tokens where a value runs to the
 *   next ` key=` (comms hold spaces), so format drift across kernels costs nothing.
 * - syscalls:* events in tracefs print `sys_X(arg: hex, ...)` and `sys_X -> 0xret`
 *   (trace_syscalls.c print_syscall_enter/exit), with no event name.
 * - The function tracer prints `func <-parent` (print-parent), `func`, with sym-offset
 *   `func+0x4/0x80`, with sym-addr ` <ffffffff…>` after each symbol, with func-args
 *   `func(a=1, b=0x2)`, and func-no-repeats ` (repeats: N, last_ts: s.us)`; trace-cmd's function
 *   plugin prints the function indented by depth and `<-- parent`; `-R` prints `ip=… parent_ip=…`.
 */
import type { Args, ArgValue } from '../../model/events.js';

export type Payload =
  | { kind: 'event'; name: string; rest: string }
  | { kind: 'sys-enter'; name: string; rest: string }
  | { kind: 'sys-exit'; name: string; ret: string }
  | { kind: 'function'; fn: string; parent?: string; args?: Args; repeats?: number; lastTs?: string }
  | { kind: 'stack'; user: boolean };

const isIdent = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 36;

/** `name+0x4/0x80 <ffffffff86ae5ed4>` → `name` and the offset text. */
export function symbol(text: string): { name: string; offset?: string } {
  let t = text.trim();
  const lt = t.indexOf(' <');
  if (lt > 0) t = t.slice(0, lt);
  const plus = t.lastIndexOf('+0x');
  if (plus > 0) return { name: t.slice(0, plus), offset: t.slice(plus + 1) };
  return { name: t };
}

const RE_REPEATS = / \(repeats: (\d+), last_ts:\s*([\d.]+)\)\s*$/;

function functionLine(p: string): Payload {
  let s = p;
  let repeats: number | undefined;
  let lastTs: string | undefined;
  const rep = RE_REPEATS.exec(s);
  if (rep) {
    repeats = Number(rep[1]);
    lastTs = rep[2]!;
    s = s.slice(0, rep.index);
  }
  s = s.trim();
  if (s.startsWith('ip=')) {
    // trace-cmd -R
    const kv = parseKv(s);
    const out: Payload = { kind: 'function', fn: symbol(String(kv.ip ?? '?')).name };
    if (kv.parent_ip !== undefined) out.parent = symbol(String(kv.parent_ip)).name;
    return out;
  }
  let parentText: string | undefined;
  const arrow = s.indexOf(' <-');
  if (arrow >= 0) {
    parentText = s.slice(arrow + 3).replace(/^-\s*/, '');
    s = s.slice(0, arrow);
  }
  let args: Args | undefined;
  const paren = s.indexOf('(');
  if (paren > 0 && s.endsWith(')')) {
    args = parseKv(s.slice(paren + 1, -1).replace(/, /g, ' '));
    s = s.slice(0, paren);
  }
  const out: Payload = { kind: 'function', fn: symbol(s).name };
  if (parentText !== undefined) out.parent = symbol(parentText).name;
  if (args && Object.keys(args).length) out.args = args;
  if (repeats !== undefined) {
    out.repeats = repeats;
    out.lastTs = lastTs!;
  }
  return out;
}

/** Classifies a payload. `functionTracer`: the header said `# tracer: function`. */
export function classify(p: string): Payload {
  if (p.charCodeAt(0) === 60 /* < */) {
    if (p.startsWith('<stack trace')) return { kind: 'stack', user: false };
    if (p.startsWith('<user stack trace')) return { kind: 'stack', user: true };
  }
  let j = 0;
  while (j < p.length && isIdent(p.charCodeAt(j))) j++;
  const name = p.slice(0, j);
  const next = p.charCodeAt(j);
  if (j > 0 && next === 58 /* : */ && (j + 1 === p.length || p.charCodeAt(j + 1) === 32)) {
    const rest = p.slice(j + 1).trim();
    if (name === 'function' && (!rest.includes('=') || rest.startsWith('ip='))) return functionLine(rest);
    if (name === 'kernel_stack') return { kind: 'stack', user: false };
    if (name === 'user_stack') return { kind: 'stack', user: true };
    return { kind: 'event', name, rest };
  }
  if (j > 4 && name.startsWith('sys_')) {
    if (next === 40 /* ( */ && p.endsWith(')')) return { kind: 'sys-enter', name: name.slice(4), rest: p.slice(j + 1, -1) };
    if (p.startsWith(' -> ', j)) return { kind: 'sys-exit', name: name.slice(4), ret: p.slice(j + 4).trim() };
  }
  return functionLine(p);
}

const RE_KEY = /(?:^|\s)(\[?)([A-Za-z_][\w.]*)=/g;

/**
 * The `fields` option prints every integer as `0x42e3 (17123)` (the decimal is the value) and a
 * function pointer as `sym+0x0/0x140 (-2126239584)` (the symbol is).
 */
const RE_FIELDS_INT = /^0x[0-9a-f]+ \((-?\d{1,15})\)$/;
const RE_FIELDS_SYM = /^([A-Za-z_.][\w.]*(?:\+0x[0-9a-f]+\/0x[0-9a-f]+)?) \(-?\d+\)$/;

/** A field's text as a number when it is a plain decimal that fits, else the text. */
export function value(v: string): ArgValue {
  if (/^-?\d{1,15}$/.test(v)) return Number(v);
  if (v.charCodeAt(v.length - 1) === 41) {
    const m = RE_FIELDS_INT.exec(v);
    if (m) return Number(m[1]);
    const sym = RE_FIELDS_SYM.exec(v);
    if (sym) return sym[1]!;
  }
  return v;
}

/** `key=value` tokens; a value runs to the next ` key=`. Text with no `=` becomes `{text}`. */
export function parseKv(rest: string): Args {
  const out: Args = {};
  const keys: { key: string; start: number; vstart: number; bracket: boolean }[] = [];
  RE_KEY.lastIndex = 0;
  for (let m = RE_KEY.exec(rest); m; m = RE_KEY.exec(rest)) {
    keys.push({ key: m[2]!, start: m.index, vstart: m.index + m[0].length, bracket: m[1] === '[' });
  }
  if (keys.length === 0) {
    if (rest) out.text = rest;
    return out;
  }
  if (keys[0]!.start > 0 && rest.slice(0, keys[0]!.start).trim()) out.text = rest.slice(0, keys[0]!.start).trim();
  for (let k = 0; k < keys.length; k++) {
    const e = keys[k]!;
    let v = rest.slice(e.vstart, k + 1 < keys.length ? keys[k + 1]!.start : rest.length).trim();
    if (e.bracket && v.endsWith(']')) v = v.slice(0, -1);
    if (v.endsWith(' ==>')) v = v.slice(0, -4);
    out[e.key] = value(v);
  }
  return out;
}

const RE_COLON_KEY = /(?:^|, )([A-Za-z_]\w*): /g;

/** Syscall arguments `name: value, name: value` (tracefs and trace-cmd); `key=value` with -R. */
export function parseSyscallArgs(rest: string): Args {
  if (!/^[A-Za-z_]\w*: /.test(rest)) return parseKv(rest);
  const out: Args = {};
  const keys: { key: string; start: number; vstart: number }[] = [];
  RE_COLON_KEY.lastIndex = 0;
  for (let m = RE_COLON_KEY.exec(rest); m; m = RE_COLON_KEY.exec(rest)) keys.push({ key: m[1]!, start: m.index, vstart: m.index + m[0].length });
  for (let k = 0; k < keys.length; k++) {
    const e = keys[k]!;
    out[e.key] = value(rest.slice(e.vstart, k + 1 < keys.length ? keys[k + 1]!.start : rest.length).trim());
  }
  return out;
}

/** trace-cmd's sched plugin letters, by bit position (libtraceevent plugin_sched_switch). */
const PLUGIN_STATES = 'SDTtZXxW';
/** Kernel (>= 4.14) report letters → bits of the model's layout. */
const KERNEL_STATES: Record<string, number> = { R: 0, S: 1, D: 2, T: 4, t: 8, X: 16, Z: 32, P: 64, I: 128, x: 16, K: 0, W: 0, N: 0 };
const PREEMPTED = 0x100;

/** A tracefs `prev_state` text (`R`, `R+`, `S`, `D|K`, `I`) → bits; NaN when unknown letters. */
export function kernelState(text: string): number {
  let t = text.trim();
  let bits = 0;
  if (t.endsWith('+')) {
    bits |= PREEMPTED;
    t = t.slice(0, -1);
  }
  if (/^\d+$/.test(t)) return Number(t) | bits;
  if (/^0x[0-9a-f]+$/i.test(t)) return parseInt(t, 16) | bits;
  for (const l of t.split('|')) {
    const b = KERNEL_STATES[l];
    if (b === undefined) return NaN;
    bits |= b;
  }
  return bits;
}

/** trace-cmd's plugin state text (`R`, `S`, `W`, `D|W`) → kernel bits. */
export function pluginState(text: string): number {
  if (text === 'R') return 0;
  let bits = 0;
  for (const l of text.split('|')) {
    const k = PLUGIN_STATES.indexOf(l);
    if (k < 0) return NaN;
    bits |= 1 << k;
  }
  return bits;
}

export interface SwitchFields {
  prevComm: string;
  prevPid: number;
  prevPrio: number;
  prevState: number;
  nextComm: string;
  nextPid: number;
  nextPrio: number;
}

const RE_PLUGIN_SWITCH = /^(.*):(\d+) \[(-?\d+)\] (\S+) ==> (.*):(\d+) \[(-?\d+)\]/;
const RE_PLUGIN_WAKEUP = /^(.*):(\d+) \[(-?\d+)\](?: success=(\d+))? CPU:(\d+)/;

/** sched_switch in the kernel's text, trace-cmd's plugin text or trace-cmd -R fields. */
export function parseSwitch(rest: string): { f: SwitchFields; args: Args } | undefined {
  const m = RE_PLUGIN_SWITCH.exec(rest);
  if (m && !rest.includes('prev_pid=')) {
    const f = { prevComm: m[1]!, prevPid: Number(m[2]), prevPrio: Number(m[3]), prevState: pluginState(m[4]!), nextComm: m[5]!, nextPid: Number(m[6]), nextPrio: Number(m[7]) };
    return { f, args: { prev_comm: f.prevComm, prev_pid: f.prevPid, prev_prio: f.prevPrio, prev_state: m[4]!, next_comm: f.nextComm, next_pid: f.nextPid, next_prio: f.nextPrio } };
  }
  const a = parseKv(rest);
  const prevPid = a.prev_pid;
  const nextPid = a.next_pid;
  if (typeof prevPid !== 'number' || typeof nextPid !== 'number') return undefined;
  const f: SwitchFields = {
    prevComm: String(a.prev_comm ?? ''),
    prevPid,
    prevPrio: typeof a.prev_prio === 'number' ? a.prev_prio : 120,
    prevState: kernelState(String(a.prev_state ?? 'R')),
    nextComm: String(a.next_comm ?? ''),
    nextPid,
    nextPrio: typeof a.next_prio === 'number' ? a.next_prio : 120,
  };
  return { f, args: a };
}

export interface WakeFields {
  comm: string;
  pid: number;
  prio: number;
  targetCpu: number;
  success?: number;
}

/** sched_waking / sched_wakeup(_new) in kernel text, trace-cmd plugin text or -R fields. */
export function parseWakeup(rest: string): { f: WakeFields; args: Args } | undefined {
  const m = RE_PLUGIN_WAKEUP.exec(rest);
  if (m && !rest.includes('pid=')) {
    const f: WakeFields = { comm: m[1]!, pid: Number(m[2]), prio: Number(m[3]), targetCpu: Number(m[5]) };
    const args: Args = { comm: f.comm, pid: f.pid, prio: f.prio, target_cpu: f.targetCpu };
    if (m[4] !== undefined) args.success = f.success = Number(m[4]);
    return { f, args };
  }
  const a = parseKv(rest);
  if (typeof a.pid !== 'number') return undefined;
  const target = typeof a.target_cpu === 'number' ? a.target_cpu : Number(a.target_cpu);
  const f: WakeFields = { comm: String(a.comm ?? ''), pid: a.pid, prio: typeof a.prio === 'number' ? a.prio : 120, targetCpu: Number.isFinite(target) ? target : -1 };
  if (typeof a.success === 'number') f.success = a.success;
  return { f, args: a };
}

const RE_BLOCK = /^(\d+),(\d+) (\S+) (?:(\d+) )?\((.*?)\) (\d+) \+ (\d+)(?: (\S+,\d+,\d+))? \[(.*)\]\s*$/;

/** block_rq_issue / insert / complete: `maj,min rwbs [bytes] (cmd) sector + nr [ioprio] [comm|error]`. */
export function parseBlock(rest: string): { dev: string; rwbs: string; sector: string; args: Args } | undefined {
  const m = RE_BLOCK.exec(rest);
  if (!m) return undefined;
  const args: Args = { dev: `${m[1]},${m[2]}`, rwbs: m[3]!, sector: value(m[6]!), nr_sector: Number(m[7]) };
  if (m[4] !== undefined) args.bytes = Number(m[4]);
  if (m[5]) args.cmd = m[5];
  if (m[8]) args.ioprio = m[8];
  args[m[4] !== undefined ? 'comm' : 'error'] = value(m[9]!);
  return { dev: `${m[1]},${m[2]}`, rwbs: m[3]!, sector: m[6]!, args };
}

/** tracefs syscall arguments: `name: hex` (no 0x), strings after the pointer in quotes. */
export function parseSyscall(rest: string): Args {
  const out: Args = {};
  for (const part of rest.split(/, (?=[A-Za-z_]\w*: )/)) {
    const c = part.indexOf(': ');
    if (c > 0) out[part.slice(0, c)] = part.slice(c + 2);
  }
  return out;
}

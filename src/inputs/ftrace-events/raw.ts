/**
 * The payloads of the `raw` and `hex` options and of the kernel's own context-switch entries
 * (kernel/trace/trace_output.c), after the `pid cpu ts ` prefix:
 *
 * - TRACE_CTX / TRACE_WAKE (the wakeup tracers' switch and wake-up records): raw
 *   `%d %d %c %d %d %d %c` = prev_pid prev_prio S next_cpu next_pid next_prio T, with S `+` for
 *   a wake-up (trace_ctxwake_raw); hex: the same seven fields as fixed-width hex words, the two
 *   state characters as their one-byte codes (trace_ctxwake_hex, SEQ_PUT_HEX_FIELD); the default
 *   text ` %7d:%3d:%c ==> [%03d] %7d:%3d:%c %s` (`  +` for a wake-up, trace_ctxwake_print);
 * - TRACE_FN: raw `%lx %lx` (ip, parent ip), hex two 16-digit words;
 * - print (`# ip text`) and bprint/bputs (`: ip : text`) raw forms;
 * - every entry without a raw or hex printer (all trace events): `type: N` (trace_nop_print),
 *   N the event's id, or for the kernel's own entries their enum trace_type number.
 */

export type RawEntry =
  | { kind: 'ctx' | 'wake'; prevPid: number; prevPrio: number; prevState: string; nextCpu: number; nextPid: number; nextPrio: number; nextState: string; nextComm?: string }
  | { kind: 'fn'; ip: string; parent: string }
  | { kind: 'print'; text: string }
  | { kind: 'type'; type: number; entry?: string };

/** enum trace_type (kernel/trace/trace.h) → the entry's name under events/ftrace/. */
const BUILTIN = [
  '',
  'function',
  'context_switch',
  'wakeup',
  'kernel_stack',
  'print',
  'bprint',
  'mmiotrace_rw',
  'mmiotrace_map',
  'branch',
  'funcgraph_exit',
  'funcgraph_entry',
  'user_stack',
  'blktrace',
  'bputs',
  'hwlat',
  'osnoise',
  'timerlat',
  'raw_data',
  'func_repeats',
];

const RE_CTX_RAW = /^(\d+) (-?\d+) (\S) (\d+) (\d+) (-?\d+) (\S)\s*$/;
const H8 = '([0-9a-f]{8})';
const H2 = '([0-9a-f]{2})';
const RE_CTX_HEX = new RegExp(`^${H8} ${H8} ${H2} ${H8} ${H8} ${H8} ${H2}\\s*$`);
const RE_FN_RAW = /^([0-9a-f]{1,16}) ([0-9a-f]{1,16})\s*$/;
const RE_CTX_TEXT = /^\s*(\d+):\s*(-?\d+):(\S) (==>|  \+) \[(\d+)\]\s+(\d+):\s*(-?\d+):(\S) ?(.*)$/;

const int32 = (h: string) => parseInt(h, 16) | 0;

/** A raw or hex payload of a built-in entry, or undefined when it is none of them. */
export function rawEntry(p: string, hex: boolean): RawEntry | undefined {
  if (p.startsWith('type: ')) {
    const type = Number(p.slice(6).trim());
    if (!Number.isInteger(type)) return undefined;
    const e: RawEntry = { kind: 'type', type };
    if (type > 0 && type < BUILTIN.length) e.entry = BUILTIN[type]!;
    return e;
  }
  const print = /^(?:# [0-9a-f]+ |: [0-9a-f]+ : )(.*)$/.exec(p);
  if (print) return { kind: 'print', text: print[1]! };
  if (hex) {
    const m = RE_CTX_HEX.exec(p);
    if (m) {
      const S = String.fromCharCode(parseInt(m[3]!, 16));
      return {
        kind: S === '+' ? 'wake' : 'ctx',
        prevPid: int32(m[1]!),
        prevPrio: int32(m[2]!),
        prevState: S,
        nextCpu: int32(m[4]!),
        nextPid: int32(m[5]!),
        nextPrio: int32(m[6]!),
        nextState: String.fromCharCode(parseInt(m[7]!, 16)),
      };
    }
  } else {
    const m = RE_CTX_RAW.exec(p);
    if (m) {
      return {
        kind: m[3] === '+' ? 'wake' : 'ctx',
        prevPid: Number(m[1]),
        prevPrio: Number(m[2]),
        prevState: m[3]!,
        nextCpu: Number(m[4]),
        nextPid: Number(m[5]),
        nextPrio: Number(m[6]),
        nextState: m[7]!,
      };
    }
  }
  const f = RE_FN_RAW.exec(p);
  if (f) return { kind: 'fn', ip: f[1]!, parent: f[2]! };
  return undefined;
}

/** The default text of a context-switch or wake-up entry (the wakeup tracers), or undefined. */
export function ctxText(p: string): RawEntry | undefined {
  const m = RE_CTX_TEXT.exec(p);
  if (!m) return undefined;
  const e: RawEntry = {
    kind: m[4] === '==>' ? 'ctx' : 'wake',
    prevPid: Number(m[1]),
    prevPrio: Number(m[2]),
    prevState: m[3]!,
    nextCpu: Number(m[5]),
    nextPid: Number(m[6]),
    nextPrio: Number(m[7]),
    nextState: m[8]!,
  };
  if (m[9]) e.nextComm = m[9].trim();
  return e;
}

/** An address as a frame name: `0xffffffff81234567`. */
export const addressName = (hex: string) => `0x${hex.replace(/^0+(?=.)/, '')}`;

/**
 * Classifies the message part of one kernel log line (its prefixes already removed by
 * `prefix.ts`). Frames are read by a character scanner; the other kinds are told apart by their
 * first character and first word, so a line costs a few comparisons and at most one regular
 * expression.
 *
 * Frame forms:
 *
 *   dump_stack+0x5c/0x7b                         x86 and most architectures since 4.x
 *   ? tick_sched_do_timer+0x50/0x50              `?`: unreliable (stale return address)
 *   amdgpu_job_timedout+0x151/0x180 [amdgpu]     module, also `[amdgpu 0a2f...]` with a build id
 *   [<ffffffff81662d11>] dump_stack+0x45/0x56    the old form with the address
 *   [<00000000e0a73ec7>] 0xffffffffc01d2036      bare address (unsymbolised)
 *   [c000000010f930b0] [c000000008068df8] .func+0x278/0x390 (unreliable)        powerpc
 *   ([<000003ff8086d036>] will_oops_init+0x36/0x1000 [will_oops])                s390
 *   [<c0014318>] (dump_backtrace) from [<c001457c>] (show_stack+0x24/0x2c)      arm32
 *   __schedule+0xc91/0x5770 kernel/sched/core.c:6622                            symbolised
 *   context_switch kernel/sched/core.c:5304 [inline]                            inlined call
 *   tcp_sendmsg+5 / ffffffffb4019501 tcp_sendmsg+5 ([kernel.kallsyms])          bpftrace kstack
 *
 * A frame with a `/0xlen` offset or an address is *strong*: it may start a call trace without a
 * header (bare `dump_stack()` output). Other frames are *weak*: only read inside a trace.
 */
import type { RawFrame } from '../../model/stacks.js';

export type Item = { kind: 'open'; section: string } | { kind: 'close'; section: string } | { kind: 'frame'; frame: RawFrame };

export type Token =
  | { t: 'blank' }
  | { t: 'frames'; items: Item[]; strong: boolean }
  /** Looks like a frame (address, `?`, marker) but the rest could not be read. */
  | { t: 'bad-frame' }
  /** arm32 `callee from caller`. */
  | { t: 'arm'; callee: RawFrame; caller: RawFrame | undefined; callerInline?: boolean }
  /** `<Same stack as pid 2294>` (old sysrq-t/hung-task dumps). */
  | { t: 'same-stack'; pid: number }
  /** Where the CPU was: RIP, pc, epc, NIP, PSW, `EIP is at`, `PC is at`, `--- interrupt: at`. */
  | { t: 'fault'; frame: RawFrame }
  | { t: 'trace-start'; items: Item[] }
  | { t: 'trace-end' }
  | { t: 'header'; reason: string; title: string; refine: boolean; cpu?: number; pid?: number; comm?: string }
  | { t: 'task'; cpu?: number; pid?: number; comm?: string; kind?: string; newDump: boolean }
  | { t: 'label'; text: string; pid?: number }
  | { t: 'registers' }
  | { t: 'code' }
  | { t: 'report' }
  /** s390 `Last Breaking-Event-Address:`: the frame after it is not part of the trace. */
  | { t: 'skip-next-frame' }
  | { t: 'count'; label: string; count: number }
  | { t: 'total'; count: number }
  | { t: 'bpf-open'; name: string; key: string }
  | { t: 'bpf-close'; count: number }
  /** A line holding only `[module]`: the end of a frame a mailer wrapped. */
  | { t: 'wrapped-module'; module: string }
  | { t: 'text' };

const BLANK: Token = { t: 'blank' };
const TEXT: Token = { t: 'text' };
const BAD: Token = { t: 'bad-frame' };
const REGS: Token = { t: 'registers' };
const CODE: Token = { t: 'code' };
const REPORT: Token = { t: 'report' };
const TRACE_END: Token = { t: 'trace-end' };

const isDigit = (c: number) => c >= 48 && c <= 57;
const isHex = (c: number) => (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
const isSymChar = (c: number) =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 36;
const isSymStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 46 || c === 36;
const isModChar = (c: number) => isSymChar(c) || c === 45;

function skipSpaces(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9) break;
    i++;
  }
  return i;
}

/** `[<hex>]` at i → index after it, or -1. */
function bracketAddr(s: string, i: number): number {
  if (s.charCodeAt(i) !== 91 || s.charCodeAt(i + 1) !== 60) return -1;
  let j = i + 2;
  const hs = j;
  while (isHex(s.charCodeAt(j))) j++;
  if (j === hs || s.charCodeAt(j) !== 62 || s.charCodeAt(j + 1) !== 93) return -1;
  return j + 2;
}

/** powerpc `[hex]` at i → index after it, or -1. */
function ppcAddr(s: string, i: number): number {
  if (s.charCodeAt(i) !== 91) return -1;
  let j = i + 1;
  const hs = j;
  while (isHex(s.charCodeAt(j))) j++;
  if (j - hs < 8 || s.charCodeAt(j) !== 93) return -1;
  return j + 1;
}

interface Sym {
  frame: RawFrame;
  end: number;
  /** Offset had a `/0xlen`. */
  sized: boolean;
  offset: boolean;
}

/**
 * `name[+off[/len]]` or `0xaddr` at i. Decimal offsets (bpftrace) only when `decimal`. Returns
 * null when there is no symbol there or the offset is malformed.
 */
function symbol(s: string, i: number, decimal: boolean): Sym | null {
  const c0 = s.charCodeAt(i);
  let j = i;
  let name: string;
  if (c0 === 48 && s.charCodeAt(i + 1) === 120) {
    j = i + 2;
    while (isHex(s.charCodeAt(j))) j++;
    if (j === i + 2) return null;
    name = s.slice(i, j);
  } else {
    if (!isSymStart(c0)) return null;
    while (isSymChar(s.charCodeAt(j))) j++;
    name = s.slice(i, j);
    // powerpc ELFv1 dot symbols (`.eeh_dev_check_failure`) name the same function.
    if (name.charCodeAt(0) === 46) {
      if (name.length < 2 || !isSymStart(name.charCodeAt(1)) || name.charCodeAt(1) === 46) return null;
      name = name.slice(1);
    }
  }
  const frame: RawFrame = { name };
  let sized = false;
  let offset = false;
  if (s.charCodeAt(j) === 43 /* + */) {
    const os = j + 1;
    let k = os;
    if (s.charCodeAt(k) === 48 && s.charCodeAt(k + 1) === 120) {
      k += 2;
      const hs = k;
      while (isHex(s.charCodeAt(k))) k++;
      if (k === hs) return null;
      if (s.charCodeAt(k) === 47 /* / */) {
        if (s.charCodeAt(k + 1) !== 48 || s.charCodeAt(k + 2) !== 120) return null;
        k += 3;
        const ls = k;
        while (isHex(s.charCodeAt(k))) k++;
        if (k === ls) return null;
        sized = true;
      }
    } else if (decimal) {
      const ds = k;
      while (isDigit(s.charCodeAt(k))) k++;
      if (k === ds) return null;
    } else return null;
    frame.offset = s.slice(os, k);
    offset = true;
    j = k;
  }
  return { frame, end: j, sized, offset };
}

/** `[mod]` or `[mod buildid]` at i → module and end, or null. `[inline]` is not a module. */
function moduleTag(s: string, i: number): { module: string; end: number } | null {
  if (s.charCodeAt(i) !== 91) return null;
  let j = i + 1;
  const ms = j;
  while (isModChar(s.charCodeAt(j))) j++;
  if (j === ms) return null;
  const module = s.slice(ms, j);
  if (s.charCodeAt(j) === 32) {
    j++;
    const hs = j;
    while (isHex(s.charCodeAt(j))) j++;
    if (j - hs < 8) return null;
  }
  if (s.charCodeAt(j) !== 93) return null;
  return { module, end: j + 1 };
}

/** A source location token `path/file.c:123` (syzkaller's symbolised reports). */
function isSourceToken(s: string, i: number, end: number): boolean {
  const colon = s.lastIndexOf(':', end - 1);
  if (colon <= i || colon === end - 1) return false;
  for (let k = colon + 1; k < end; k++) if (!isDigit(s.charCodeAt(k))) return false;
  for (let k = i; k < colon; k++) {
    const c = s.charCodeAt(k);
    if (c === 47 || c === 46) return true;
  }
  return false;
}

const SECTION_CHARS = (c: number) => (c >= 65 && c <= 90) || c === 35 || c === 95 || isDigit(c);

/** `<IRQ>`, `</IRQ>`, `<EOI>`, `<#DF>` at i → item and end, or null. */
function marker(s: string, i: number): { item: Item; end: number } | null {
  if (s.charCodeAt(i) !== 60) return null;
  let j = i + 1;
  const close = s.charCodeAt(j) === 47;
  if (close) j++;
  const ns = j;
  while (SECTION_CHARS(s.charCodeAt(j))) j++;
  if (j === ns || j - ns > 24 || s.charCodeAt(j) !== 62) return null;
  const name = s.slice(ns, j);
  if (!/[A-Z]/.test(name)) return null;
  return { item: { kind: close || name === 'EOI' ? 'close' : 'open', section: name === 'EOI' ? 'IRQ' : name }, end: j + 1 };
}

/**
 * Reads a frame line from i (leading section markers included). Returns null when the line
 * is not a frame at all, BAD when it starts like one but cannot be read.
 */
export function frameLine(s: string, i: number, bpf: boolean): Token | null {
  const items: Item[] = [];
  i = skipSpaces(s, i);
  for (;;) {
    const m = marker(s, i);
    if (!m) break;
    items.push(m.item);
    i = skipSpaces(s, m.end);
    // Old kernels printed `<IRQ> ` without a newline: the next printk's time lands mid-line.
    const t = /^\[\s*\d+\.\d+\](?:\[\s*[TC]\d+\])?/.exec(s.slice(i, i + 40));
    if (t) i = skipSpaces(s, i + t[0].length);
  }
  if (i >= s.length) return items.length ? { t: 'frames', items, strong: true } : null;
  const start = i;
  let paren = false;
  let addr = false;
  if (s.charCodeAt(i) === 40 /* ( */ && s.charCodeAt(i + 1) === 91) {
    paren = true;
    i++;
  }
  if (s.charCodeAt(i) === 91) {
    let j = bracketAddr(s, i);
    if (j > 0) {
      addr = true;
      i = skipSpaces(s, j);
      // `RIP: 0010:[<a>]  [<a>] func` prints the address twice.
      j = bracketAddr(s, i);
      if (j > 0) i = skipSpaces(s, j);
    } else if ((j = ppcAddr(s, i)) > 0) {
      addr = true;
      i = skipSpaces(s, j);
      j = ppcAddr(s, i);
      if (j > 0) i = skipSpaces(s, j);
    } else return items.length ? BAD : null;
  }
  // bpftrace kstack(perf): `ffffffffb4019501 tcp_sendmsg+5 ([kernel.kallsyms])`.
  if (bpf && isHex(s.charCodeAt(i))) {
    let j = i;
    while (isHex(s.charCodeAt(j))) j++;
    if (j - i >= 8 && s.charCodeAt(j) === 32) i = j + 1;
  }
  let unreliable = false;
  if (s.charCodeAt(i) === 63 /* ? */ && s.charCodeAt(i + 1) === 32) {
    unreliable = true;
    i = skipSpaces(s, i + 2);
  }
  const sym = symbol(s, i, bpf);
  if (!sym) return addr || unreliable || items.length || paren ? BAD : null;
  const f = sym.frame;
  if (unreliable) f.unreliable = true;
  i = sym.end;
  let source = false;
  let inline = false;
  // Trailing tokens: module, source location, `[inline]`, `(unreliable)`, `)`.
  for (;;) {
    i = skipSpaces(s, i);
    if (i >= s.length) break;
    const c = s.charCodeAt(i);
    if (c === 91) {
      if (s.startsWith('[inline]', i)) {
        inline = true;
        i += 8;
        continue;
      }
      const m = moduleTag(s, i);
      if (!m || f.module) return BAD;
      f.module = m.module;
      i = m.end;
      continue;
    }
    if (c === 41 /* ) */ && paren) {
      paren = false;
      i++;
      continue;
    }
    if (c === 40 /* ( */) {
      if (s.startsWith('(unreliable)', i)) {
        f.unreliable = true;
        i += 12;
        continue;
      }
      if (bpf) {
        // `([kernel.kallsyms])`, `([btrfs])`
        const close = s.indexOf(')', i);
        if (close < 0) return BAD;
        let inner = s.slice(i + 1, close);
        if (inner.startsWith('[') && inner.endsWith(']')) inner = inner.slice(1, -1);
        if (inner !== 'kernel.kallsyms' && inner !== 'unknown' && /^[\w.-]+$/.test(inner)) f.module = inner;
        i = close + 1;
        continue;
      }
      return sym.offset || addr ? BAD : null;
    }
    let e = i;
    while (e < s.length && s.charCodeAt(e) !== 32) e++;
    if (!source && isSourceToken(s, i, e)) {
      source = true;
      i = e;
      continue;
    }
    return sym.offset || addr || unreliable ? BAD : null;
  }
  if (paren) return BAD;
  const strong = sym.sized || addr;
  // A bare name is a frame only in bpftrace stacks or when something else says so; a bare
  // address (`0xffffffffc01d2036`, unsymbolised code) is a weak frame.
  if (!strong && !sym.offset && !source && !inline && !f.module && !unreliable && !bpf && !f.name.startsWith('0x')) return null;
  void start;
  items.push({ kind: 'frame', frame: f });
  return { t: 'frames', items, strong };
}

/** A source location a symbolising script appended (`lib/dump_stack.c:88`, `x.c:12:3`). */
const RE_SOURCE_LOC = /^[\w./+-]+:\d+(?::\d+)?$/;

/**
 * `[<addr>] (name+off) ` / `name+off` on one side of an arm32 `from`, with what a symbolising
 * script adds inside the parentheses (`(__dump_stack lib/dump_stack.c:88 [inline])`).
 */
function armSide(s: string, i: number, end: number): { frame: RawFrame; inline: boolean } | null {
  i = skipSpaces(s, i);
  const j = bracketAddr(s, i);
  if (j > 0) i = skipSpaces(s, j);
  let close = end;
  while (close > i && s.charCodeAt(close - 1) === 32) close--;
  if (s.charCodeAt(i) === 40) {
    if (s.charCodeAt(close - 1) !== 41) return null;
    i++;
    close--;
  }
  const sym = symbol(s, i, false);
  if (!sym) return null;
  let inline = false;
  let k = skipSpaces(s, sym.end);
  while (k < close) {
    if (s.startsWith('[inline]', k)) {
      inline = true;
      k = skipSpaces(s, k + 8);
      continue;
    }
    const m = moduleTag(s, k);
    if (m) {
      sym.frame.module = m.module;
      k = skipSpaces(s, m.end);
      continue;
    }
    let e = k;
    while (e < close && s.charCodeAt(e) !== 32) e++;
    if (!RE_SOURCE_LOC.test(s.slice(k, e))) return null;
    k = skipSpaces(s, e);
  }
  return { frame: sym.frame, inline };
}

function armFrom(s: string, i: number): Token | null {
  const f = s.indexOf(' from ', i);
  if (f < 0) return null;
  const callee = armSide(s, i, f);
  if (!callee) return null;
  const caller = armSide(s, f + 6, s.length);
  if (!caller) {
    // `from [<00000000>] (  (null))`: the unwinder lost the caller.
    if (/\(\s*\(null\)\)\s*$/.test(s)) return { t: 'arm', callee: callee.frame, caller: undefined };
    return null;
  }
  const t: Token = { t: 'arm', callee: callee.frame, caller: caller.frame };
  if (caller.inline) t.callerInline = true;
  return t;
}

/** The symbol after `prefix` (`RIP: 0010:func+0x..`, `pc : func+0x..`), as a fault token. */
function faultAt(s: string, i: number): Token {
  i = skipSpaces(s, i);
  const t = frameLine(s, i, false);
  if (t && t.t === 'frames') {
    const fr = t.items.find((x) => x.kind === 'frame');
    if (fr && fr.kind === 'frame') return { t: 'fault', frame: fr.frame };
  }
  // `RIP: 0010:0x0` (a call through a NULL pointer), `pc : do_thing` without offset.
  const sym = symbol(s, i, false);
  if (sym && skipSpaces(s, sym.end) >= s.length) return { t: 'fault', frame: sym.frame };
  return REGS;
}

const RE_COUNT = /^([A-Za-z][\w#.-]*(?:[ \t]+[\w#.-]+){0,3})[ \t]*[:=]?[ \t]+(\d+)[ \t]*$/;
const RE_TOTAL = /^Total\b[^\d]*?(\d+)[ \t]*$/;
const RE_CPU_LINE = /^CPU:\s*(\d+)\s+(?:UID:\s*\d+\s+)?PID:\s*(\d+)\s+Comm:\s*(.*?)(?:\s+(?:Not tainted|Tainted:|Not\s*$)|\s*$)/;
const RE_TASK_LINE = /^task:(.*?)\s+state:\S*.*?\bpid:\s*(\d+)/;
const RE_HUNG = /^INFO: task (.*):(\d+) blocked for more than/;
const RE_DIE = /^[a-z][a-z ]{2,30}: [0-9a-f]{4} \[#\d+\]/;
const RE_HEADER_CPU_PID = /CPU: (\d+) PID: (\d+)/;
const RE_LABEL_TASK = /^(?:Allocated|Freed) by task (\d+)/;
const RE_OLD_TASK = /^(\S(?:.{0,14}\S)?)\s+[RSDTtXZPIKW]\+?\s+(?:running task\s+|[0-9a-f]{8,16}\s+)?\d+\s+(\d+)\s+\d+\s+0x[0-9a-f]+$/;

/** `ffff8801`, `fb`, `<0f>`, `(08dffe60)`: 2 to 16 hex digits, maybe in `<>` or `()`. */
function hexToken(s: string, k: number, e: number): boolean {
  const c = s.charCodeAt(k);
  if (c === 60 || c === 40) k++;
  const l = s.charCodeAt(e - 1);
  if (l === 62 || l === 41) e--;
  if (e - k < 2 || e - k > 16) return false;
  for (let j = k; j < e; j++) if (!isHex(s.charCodeAt(j))) return false;
  return true;
}

/** Lines made of hex words: raw stack contents, instruction bytes, memory dumps. */
function isHexDump(s: string, i: number): boolean {
  let hex = 0;
  let other = 0;
  let k = i;
  // An `address:` or `1bc0:` label first.
  let e = k;
  while (e < s.length && s.charCodeAt(e) !== 32) e++;
  if (s.charCodeAt(e - 1) === 58) k = skipSpaces(s, e);
  while (k < s.length) {
    e = k;
    while (e < s.length && s.charCodeAt(e) !== 32) e++;
    if (e > k) {
      if (hexToken(s, k, e)) hex++;
      else other++;
    }
    k = skipSpaces(s, e);
    if (other > 2 && other * 2 > hex) return false;
  }
  return hex >= 4 && hex >= other * 2;
}

/** A register line: `RAX: ffff... RBX: ...`, `x29: ...`, ` r7:df912310 r6:...`, `GPR00: ...`. */
function isRegisters(s: string, i: number): boolean {
  let pairs = 0;
  let k = i;
  while (k < s.length) {
    const ns = k;
    while (k < s.length && (isSymChar(s.charCodeAt(k)) || s.charCodeAt(k) === 95)) k++;
    if (k === ns || k - ns > 10) break;
    if (s.charCodeAt(k) === 32 && s.charCodeAt(k + 1) === 58) k++;
    if (s.charCodeAt(k) !== 58) break;
    k = skipSpaces(s, k + 1);
    const vs = k;
    if (s.charCodeAt(k) === 91 && s.charCodeAt(k + 1) === 60) k += 2;
    while (isHex(s.charCodeAt(k))) k++;
    if (k === vs) break;
    while (k < s.length && s.charCodeAt(k) !== 32) k++; // `0018:ffff...`, `(0000)`, `>]`
    pairs++;
    k = skipSpaces(s, k);
  }
  // powerpc `GPR00: c000... c000... ...`: one name for a row of values.
  return pairs >= 1 && (k >= s.length || pairs >= 2 || /^GPR\d\d:/.test(s.slice(i, i + 6)));
}

/** First characters of the report headers `classifyHeader` knows (the rest are found anywhere). */
const HEADER_START = new Set([...'WBIKkOUgwNrsSuF['].map((c) => c.charCodeAt(0)));

const RE_SLAB_BUG = /^BUG [^\s()]+ \([^)]*\): \S/;

function classifyHeader(s: string): Token | null {
  if (!HEADER_START.has(s.charCodeAt(0))) {
    if (RE_DIE.test(s)) return { t: 'header', reason: 'Oops', title: title(s), refine: true };
    return anywhereHeader(s);
  }
  // Ordered by how often they occur.
  if (s.startsWith('WARNING:')) {
    const m = RE_HEADER_CPU_PID.exec(s);
    const plain = s.startsWith('WARNING: CPU:') || s.startsWith('WARNING: at ');
    const reason = !plain && /lock|RCU|deadlock/i.test(s) ? 'lockdep' : 'WARNING';
    return m
      ? { t: 'header', reason, title: title(s), refine: false, cpu: Number(m[1]), pid: Number(m[2]) }
      : { t: 'header', reason, title: title(s), refine: false };
  }
  // SLUB's `BUG <cache> (<taint>): <what>` (`BUG UNIX (Not tainted): kasan: bad access detected`).
  if (s.startsWith('BUG ') && RE_SLAB_BUG.test(s)) return { t: 'header', reason: 'BUG', title: title(s), refine: false };
  if (s.startsWith('BUG:')) {
    let reason = 'BUG';
    if (s.startsWith('BUG: KASAN')) reason = 'KASAN';
    else if (s.startsWith('BUG: KMSAN')) reason = 'KMSAN';
    else if (s.startsWith('BUG: KFENCE')) reason = 'KFENCE';
    else if (s.startsWith('BUG: KCSAN')) reason = 'KCSAN';
    else if (s.startsWith('BUG: soft lockup')) reason = 'soft lockup';
    else if (/^BUG: (?:unable to handle|kernel NULL pointer|kernel paging)/.test(s)) reason = 'Oops';
    return { t: 'header', reason, title: title(s), refine: false };
  }
  if (s.startsWith('INFO: ')) {
    const h = RE_HUNG.exec(s);
    if (h) return { t: 'header', reason: 'hung task', title: title(s), refine: false, comm: h[1]!, pid: Number(h[2]) };
    if (/stall/.test(s)) return { t: 'header', reason: 'RCU stall', title: title(s), refine: false };
    if (/lock|non-static key|RCU/i.test(s)) return { t: 'header', reason: 'lockdep', title: title(s), refine: false };
    return null;
  }
  if (s.startsWith('Kernel panic - not syncing')) return { t: 'header', reason: 'panic', title: title(s), refine: false };
  if (s.startsWith('kernel BUG at') || s.startsWith('Kernel BUG at')) return { t: 'header', reason: 'BUG', title: title(s), refine: true };
  if (s.startsWith('Oops') || s.startsWith('Internal error:') || s.startsWith('Unhandled fault:')) {
    return { t: 'header', reason: 'Oops', title: title(s), refine: true };
  }
  if (s.startsWith('Unable to handle kernel')) return { t: 'header', reason: 'Oops', title: title(s), refine: false };
  if (s.startsWith('general protection fault') || RE_DIE.test(s)) return { t: 'header', reason: 'Oops', title: title(s), refine: true };
  if (s.startsWith('UBSAN:')) return { t: 'header', reason: 'UBSAN', title: title(s), refine: false };
  if (/^(?:KASAN|KMSAN|KFENCE|KCSAN): /.test(s)) {
    return { t: 'header', reason: s.slice(0, s.indexOf(':')), title: title(s), refine: true };
  }
  if (s.startsWith('watchdog: ') || s.startsWith('NMI watchdog: ')) {
    if (s.includes('soft lockup')) return { t: 'header', reason: 'soft lockup', title: title(s), refine: false };
    if (s.includes('hard LOCKUP')) return { t: 'header', reason: 'hard lockup', title: title(s), refine: false };
    return REPORT;
  }
  if (s.startsWith('rcu: ')) {
    if (s.includes('INFO') && s.includes('stall')) return { t: 'header', reason: 'RCU stall', title: title(s), refine: false };
    return REPORT;
  }
  if (/^(?:sysrq: |SysRq ?: )/.test(s)) {
    return s.includes('Show') ? { t: 'header', reason: 'sysrq', title: title(s), refine: false } : REPORT;
  }
  if (s.startsWith('unreferenced object ')) return { t: 'header', reason: 'kmemleak', title: title(s), refine: false };
  if (s.startsWith('FAULT_INJECTION: ')) return { t: 'header', reason: 'fault injection', title: title(s), refine: false };
  if (s.startsWith('[ ') && s.endsWith(' ]') && /^\[ (?:INFO|BUG|WARNING): /.test(s)) {
    return { t: 'header', reason: 'lockdep', title: title(s.slice(2, -2)), refine: false };
  }
  return anywhereHeader(s);
}

/** Headers that start with a task name. */
function anywhereHeader(s: string): Token | null {
  if (s.indexOf(': ') < 0) return null;
  if (s.includes(' invoked oom-killer: ')) return { t: 'header', reason: 'OOM', title: title(s), refine: false };
  if (s.includes('allocation failure: ') || s.includes('page allocation stalls for')) {
    return { t: 'header', reason: 'allocation failure', title: title(s), refine: false };
  }
  return null;
}

function title(s: string): string {
  s = s.trim();
  return s.length > 240 ? `${s.slice(0, 239)}…` : s;
}

/** Report text we understand and that never ends a call trace. */
const REPORT_PREFIXES = [
  'Modules linked in:',
  'Hardware name:',
  'Workqueue:',
  'Kernel Offset:',
  'Dumping ftrace buffer:',
  '(ftrace buffer empty)',
  'Sending NMI from CPU',
  'stack backtrace:',
  'Showing all locks held',
  'Showing busy workqueues',
  'other info that might help us debug this:',
  '---[ end Kernel panic',
  'Rebooting in ',
  'note: ',
  'Tainted: ',
  'irq event stamp:',
  'hardirqs last',
  'softirqs last',
  'The buggy address',
  'Memory state around the buggy address:',
  'Read of size',
  'Write of size',
  'kernel tried to execute',
  'Unable to access opcode bytes',
  'potentially unexpected fatal signal',
];

const REPORT_BY_CHAR = new Map<number, string[]>();
for (const p of REPORT_PREFIXES) {
  const c = p.charCodeAt(0);
  const l = REPORT_BY_CHAR.get(c);
  if (l) l.push(p);
  else REPORT_BY_CHAR.set(c, [p]);
}

export interface TokenizeFlags {
  /** The line had a kernel log prefix (timestamp, level, caller id). */
  kernel: boolean;
  /** A bpftrace stack is open: bare names and decimal offsets are frames. */
  bpf: boolean;
}

/** Classifies one message (prefixes removed). */
const RE_PROC_STACK = /^(?:==> )?(\/proc\/(\d+)(?:\/task\/(\d+))?\/stack)(?: <==|:)?\s*$/;

export function tokenize(s: string, flags: TokenizeFlags): Token {
  const i = skipSpaces(s, 0);
  if (i >= s.length) return BLANK;
  const c = s.charCodeAt(i);
  if (flags.bpf) {
    if (c === 93 /* ] */) {
      const m = /^\]:\s*(\d+)\s*$/.exec(s.slice(i));
      if (m) return { t: 'bpf-close', count: Number(m[1]) };
    }
    const f = frameLine(s, i, true);
    if (f) return f;
    return TEXT;
  }
  // `/proc/PID/stack` listings: `==> /proc/1/task/7/stack <==` (tail/head), `/proc/1/stack:`.
  if (c === 47 /* / */ || (c === 61 /* = */ && s.startsWith('==> /proc/', i))) {
    const m = RE_PROC_STACK.exec(s.slice(i));
    if (m) return { t: 'label', text: m[1]!, pid: Number(m[3] ?? m[2]) };
  }
  switch (c) {
    case 60 /* < */: {
      const f = frameLine(s, i, false);
      if (f) return f;
      const m = /^<Same stack as pid (\d+)>/.exec(s.slice(i));
      return m ? { t: 'same-stack', pid: Number(m[1]) } : TEXT;
    }
    case 63 /* ? */: {
      const f = frameLine(s, i, false);
      return f ?? TEXT;
    }
    case 91 /* [ */: {
      const f = frameLine(s, i, false);
      if (f && f.t === 'frames') return f;
      const arm = armFrom(s, i);
      if (arm) return arm;
      if (f) return f;
      const rest = s.slice(i).trimEnd();
      const h = classifyHeader(rest);
      if (h) return h;
      const m = moduleTag(rest, 0);
      if (m && m.end === rest.length) return { t: 'wrapped-module', module: m.module };
      return TEXT;
    }
    case 40 /* ( */: {
      const f = frameLine(s, i, false);
      if (f) return f;
      return s.startsWith('(ftrace buffer empty)', i) ? REPORT : TEXT;
    }
    case 64 /* @ */: {
      const m = /^(@\w*)\[(.*)$/.exec(s.slice(i).trimEnd());
      if (m) return { t: 'bpf-open', name: m[1]!, key: m[2]! };
      return TEXT;
    }
    case 45 /* - */: {
      if (s.startsWith('---[ end trace', i)) return TRACE_END;
      if (s.startsWith('---[ end Kernel panic', i)) return TRACE_END;
      if (s.startsWith('--- interrupt:', i)) {
        const at = s.indexOf(' at ', i);
        return at > 0 ? faultAt(s, at + 4) : REPORT;
      }
      if (s.startsWith('-> #', i)) return { t: 'label', text: title(s).replace(/:$/, '') };
      if (s.startsWith('---', i) || s.startsWith('------------[ cut here ]', i)) return REPORT;
      return TEXT;
    }
    case 61 /* = */:
      return s.startsWith('=====', i) ? REPORT : TEXT;
    case 35 /* # */:
      return /^#\d+:/.test(s.slice(i, i + 8)) ? REPORT : TEXT;
    default:
      break;
  }
  const rest = i === 0 ? s : s.slice(i);
  // First word (up to a space or colon).
  let j = i;
  while (j < s.length && isSymChar(s.charCodeAt(j))) j++;
  const next = s.charCodeAt(j);
  if (j > i && (next === 43 /* + */ || j === s.length || (next === 32 && s.charCodeAt(j + 1) !== 58))) {
    // `func+0x..`, `func kernel/x.c:1 [inline]`, arm32 `func from func+0x..`.
    if (next === 32 && s.indexOf(' from ', j - 1) === j) {
      const arm = armFrom(s, i);
      if (arm) return arm;
    }
    const f = frameLine(s, i, false);
    if (f && f.t === 'frames') return f;
    if (f && next === 43) return f;
  }
  const word = s.slice(i, j);
  switch (word) {
    case 'Call':
      if (s.startsWith(' Trace:', j) || s.startsWith(' trace:', j)) {
        const after = skipSpaces(s, j + 7);
        if (after < s.length) {
          const f = frameLine(s, after, false);
          if (f && f.t === 'frames') return { t: 'trace-start', items: f.items };
        }
        return { t: 'trace-start', items: [] };
      }
      break;
    case 'Backtrace':
    case 'backtrace':
      if (next === 58 || s.startsWith(' (crc', j)) return { t: 'trace-start', items: [] };
      break;
    case 'RIP':
      if (next === 58) {
        // `RIP: 0010:func+0x..`, `RIP: 0010:[<a>]  [<a>] func+0x..`, `RIP: 0033:0x47b7a0` (user).
        let k = skipSpaces(s, j + 1);
        const seg = k;
        while (isHex(s.charCodeAt(k))) k++;
        if (k - seg === 4 && s.charCodeAt(k) === 58) {
          const cs = s.slice(seg, k);
          if (cs === '0033' || cs === '0023' || cs === '002b') return REGS;
          return faultAt(s, k + 1);
        }
        return faultAt(s, k);
      }
      return REGS; // `RIP  [<ffffffff8106d4d1>] func` summary at the end of old oopses
    case 'EIP':
      if (next === 58) {
        const k = skipSpaces(s, j + 1);
        if (s.charCodeAt(k) === 91 || s.includes('SS:ESP')) return REGS;
        let h = k;
        while (isHex(s.charCodeAt(h))) h++;
        if (h > k && (s.charCodeAt(h) === 58 || h >= s.length || s.charCodeAt(h) === 32)) return REGS; // `EIP: 0060:[<c022a7b5>]`
        return faultAt(s, k);
      }
      if (s.startsWith(' is at ', j)) return faultAt(s, j + 7);
      return REGS;
    case 'PC':
      if (s.startsWith(' is at ', j)) return faultAt(s, j + 7);
      break;
    case 'IP':
      // x86 before 4.14: `BUG: unable to handle ...` then `IP: [<ffffffff8123>] func+0x12/0x40`.
      if (next === 58) return faultAt(s, j + 1);
      break;
    case 'LR':
      if (s.startsWith(' is at ', j) || s.startsWith(' [', j) || s.startsWith(' =', j)) return REGS;
      break;
    case 'pc':
    case 'epc':
      if (s.startsWith(' : ', j)) {
        const k = skipSpaces(s, j + 3);
        if (s.charCodeAt(k) === 91 || /^[0-9a-f]{8,}\b/.test(s.slice(k, k + 17))) return REGS;
        return faultAt(s, k);
      }
      break;
    case 'lr':
    case 'sp':
    case 'ra':
      if (s.startsWith(' : ', j)) return REGS;
      break;
    case 'NIP':
      if (s.startsWith(' [', j)) {
        const k = s.indexOf(']', j);
        return k > 0 ? faultAt(s, k + 1) : REGS;
      }
      return REGS;
    case 'Krnl':
      if (s.startsWith(' PSW', j)) {
        const open = s.indexOf('(', j);
        const close = s.lastIndexOf(')');
        if (open > 0 && close > open) {
          const t = frameLine(s.slice(open + 1, close), 0, false);
          if (t && t.t === 'frames') {
            const fr = t.items.find((x) => x.kind === 'frame');
            if (fr && fr.kind === 'frame') return { t: 'fault', frame: fr.frame };
          }
        }
        return REGS;
      }
      if (s.startsWith(' Code', j)) return CODE;
      return REGS;
    case 'Code':
      if (next === 58) return CODE;
      break;
    case 'Instruction':
      if (s.startsWith(' dump:', j)) return CODE;
      break;
    case 'Exception':
      if (s.startsWith(' stack(', j)) return CODE;
      break;
    case 'Stack':
      if (next === 58) return CODE;
      break;
    case 'CPU': {
      const m = RE_CPU_LINE.exec(rest);
      if (m) return { t: 'task', cpu: Number(m[1]), pid: Number(m[2]), comm: m[3]!.trim() || undefined, newDump: true };
      if (next === 58) return REGS; // x86_32 `CPU:    0`
      break;
    }
    case 'Pid': {
      const m = /^Pid: (\d+), comm: (\S+)/.exec(rest);
      if (m) return { t: 'task', pid: Number(m[1]), comm: m[2]!, newDump: true };
      break;
    }
    case 'task': {
      if (next === 58) {
        const m = RE_TASK_LINE.exec(rest);
        if (m) return { t: 'task', pid: Number(m[2]), comm: m[1]!.trim(), kind: 'task state', newDump: true };
        return REGS; // powerpc `task: c000000010d4ec70 ti: ...`
      }
      break;
    }
    case 'Process': {
      const m = /^Process (.*?) \(pid: (\d+)/.exec(rest);
      if (m) return { t: 'task', pid: Number(m[2]), comm: m[1]!, newDump: false };
      break;
    }
    case 'comm': {
      const m = /^comm "(.*)", pid (\d+)/.exec(rest);
      if (m) return { t: 'task', pid: Number(m[2]), comm: m[1]!, newDump: false };
      break;
    }
    case 'NMI': {
      const m = /^NMI backtrace for cpu (\d+)(.*)$/.exec(rest);
      if (m) return m[2]!.includes('skipped') ? REPORT : { t: 'task', cpu: Number(m[1]), kind: 'NMI backtrace', newDump: true };
      break;
    }
    case 'Allocated':
    case 'Freed': {
      const m = RE_LABEL_TASK.exec(rest);
      if (m) return { t: 'label', text: title(rest.replace(/:\s*$/, '')), pid: Number(m[1]) };
      break;
    }
    case 'Last':
      if (s.startsWith(' Breaking-Event-Address:', j)) return { t: 'skip-next-frame' };
      if (/potentially related work creation:/.test(rest)) return { t: 'label', text: title(rest.replace(/:\s*$/, '')) };
      break;
    case 'Second':
      if (/potentially related work creation:/.test(rest)) return { t: 'label', text: title(rest.replace(/:\s*$/, '')) };
      break;
    case 'Total':
      if (!flags.kernel) {
        const m = RE_TOTAL.exec(rest);
        if (m) return { t: 'total', count: Number(m[1]) };
      }
      break;
    default:
      break;
  }
  const h = classifyHeader(rest.trimEnd());
  if (h) return h;
  const known = REPORT_BY_CHAR.get(rest.charCodeAt(0));
  if (known) for (const p of known) if (rest.startsWith(p)) return REPORT;
  const tail = rest.trimEnd();
  if (tail.endsWith(' stack trace:') || tail.endsWith(' stack dump:')) return { t: 'label', text: title(tail.slice(0, -1)) };
  if (tail.lastIndexOf(' 0x') > 0) {
    // sched_show_task() before 4.18: `init  D ffff88008addf688  0  2295  1 0x00000000`.
    const m = RE_OLD_TASK.exec(tail);
    if (m) return { t: 'task', pid: Number(m[2]), comm: m[1]!, kind: 'task state', newDump: true };
  }
  if (isRegisters(s, i)) return REGS;
  if (isHexDump(s, i)) return CODE;
  if (!flags.kernel) {
    const m = RE_COUNT.exec(rest);
    if (m) return { t: 'count', label: m[1]!, count: Number(m[2]) };
  }
  return TEXT;
}

/**
 * Frame lines, read by a character scanner (no regular expression but for an old kernel's
 * mid-line timestamp after a section marker).
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
import { bracketAddr, isDigit, isHex, isModChar, isSymChar, isSymStart, skipSpaces } from './scan.js';
import { BAD, type Item, type Token } from './tokens.js';

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
export function symbol(s: string, i: number, decimal: boolean): Sym | null {
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
export function moduleTag(s: string, i: number): { module: string; end: number } | null {
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

/**
 * After a bare name and a space (`name kernel/x.c:1`, `name [mod]`): whether what follows can
 * make the line a frame. `frameLine` reads a bare name's line as a frame only when its first
 * trailing token is `[...]`, `(...)` or a source location, or when nothing follows; a prose line
 * (`nvme nvme0: I/O timeout`) is told apart here without reading a symbol.
 */
export function mayFollowName(s: string, k: number): boolean {
  k = skipSpaces(s, k);
  if (k >= s.length) return true;
  const c = s.charCodeAt(k);
  if (c === 91 || c === 40) return true;
  let e = k;
  while (e < s.length && s.charCodeAt(e) !== 32) e++;
  return isSourceToken(s, k, e);
}

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
  items.push({ kind: 'frame', frame: f });
  return { t: 'frames', items, strong };
}

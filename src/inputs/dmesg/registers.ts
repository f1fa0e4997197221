/**
 * Where the CPU was and what it held: fault locations (`RIP:`, `pc :`, `epc :`, `NIP`, s390
 * `Krnl PSW`, `EIP is at`, `PC is at`), register dumps, code bytes and raw stack contents. Words
 * that start such lines map to a rule (`REGISTER_WORDS`); lines without one are told by shape
 * (`isRegisters`, `isHexDump`).
 */
import { frameLine, symbol } from './frames.js';
import { isHex, isSymChar, skipSpaces } from './scan.js';
import { CODE, REGS, type Token, type WordRule } from './tokens.js';

/** The symbol after `prefix` (`RIP: 0010:func+0x..`, `pc : func+0x..`), as a fault token. */
export function faultAt(s: string, i: number): Token {
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

/** The fault location of an s390 `Krnl PSW : ... (func+0x../0x..)`. */
function pswFault(s: string, j: number): Token {
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

const riscLocation: WordRule = (s, j) => {
  if (!s.startsWith(' : ', j)) return null;
  const k = skipSpaces(s, j + 3);
  if (s.charCodeAt(k) === 91 || /^[0-9a-f]{8,}\b/.test(s.slice(k, k + 17))) return REGS;
  return faultAt(s, k);
};

const riscRegister: WordRule = (s, j) => (s.startsWith(' : ', j) ? REGS : null);

/** First words of fault, register and code lines; a rule returns null when the line is not one. */
export const REGISTER_WORDS: Record<string, WordRule> = {
  RIP: (s, j, next) => {
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
  },
  EIP: (s, j, next) => {
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
  },
  PC: (s, j) => (s.startsWith(' is at ', j) ? faultAt(s, j + 7) : null),
  // x86 before 4.14: `BUG: unable to handle ...` then `IP: [<ffffffff8123>] func+0x12/0x40`.
  IP: (s, j, next) => (next === 58 ? faultAt(s, j + 1) : null),
  LR: (s, j) => (s.startsWith(' is at ', j) || s.startsWith(' [', j) || s.startsWith(' =', j) ? REGS : null),
  pc: riscLocation,
  epc: riscLocation,
  lr: riscRegister,
  sp: riscRegister,
  ra: riscRegister,
  NIP: (s, j) => {
    if (s.startsWith(' [', j)) {
      const k = s.indexOf(']', j);
      return k > 0 ? faultAt(s, k + 1) : REGS;
    }
    return REGS;
  },
  Krnl: (s, j) => {
    if (s.startsWith(' PSW', j)) return pswFault(s, j);
    if (s.startsWith(' Code', j)) return CODE;
    return REGS;
  },
  Code: (_s, _j, next) => (next === 58 ? CODE : null),
  Instruction: (s, j) => (s.startsWith(' dump:', j) ? CODE : null),
  Exception: (s, j) => (s.startsWith(' stack(', j) ? CODE : null),
  Stack: (_s, _j, next) => (next === 58 ? CODE : null),
};

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
export function isHexDump(s: string, i: number): boolean {
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
export function isRegisters(s: string, i: number): boolean {
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

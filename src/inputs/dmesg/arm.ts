/**
 * arm32 backtraces: `[<c0014318>] (dump_backtrace) from [<c001457c>] (show_stack+0x24/0x2c)`,
 * one line per call, the callee first.
 */
import type { RawFrame } from '../../model/stacks.js';
import { moduleTag, symbol } from './frames.js';
import { bracketAddr, skipSpaces } from './scan.js';
import type { Token } from './tokens.js';

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

export function armFrom(s: string, i: number): Token | null {
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

/**
 * Classifies the message part of one kernel log line (its prefixes already removed by
 * `prefix.ts`). Frames are read by a character scanner (`frames.ts`, `arm.ts`); the other kinds
 * are told apart by their first character and first word (a table of word rules from
 * `registers.ts` and `task-lines.ts`), then by `headers.ts` and the shape of the line, so a line
 * costs a few comparisons and at most one regular expression.
 */
import { armFrom } from './arm.js';
import { frameLine, mayFollowName, moduleTag } from './frames.js';
import { classifyHeader, isKnownReport } from './headers.js';
import { faultAt, isHexDump, isRegisters, REGISTER_WORDS } from './registers.js';
import { isSymChar, skipSpaces, title } from './scan.js';
import { procStack, tailLabel, TASK_WORDS } from './task-lines.js';
import { BLANK, CODE, REGS, REPORT, TEXT, TRACE_END, type Token, type TokenizeFlags, type WordRule } from './tokens.js';

export { frameLine } from './frames.js';
export type { Item, Token, TokenizeFlags } from './tokens.js';

const RE_COUNT = /^([A-Za-z][\w#.-]*(?:[ \t]+[\w#.-]+){0,3})[ \t]*[:=]?[ \t]+(\d+)[ \t]*$/;
const RE_TOTAL = /^Total\b[^\d]*?(\d+)[ \t]*$/;

const backtrace: WordRule = (s, j, next) => (next === 58 || s.startsWith(' (crc', j) ? { t: 'trace-start', items: [] } : null);

/** Words that open a call trace, and a histogram's stated total. */
const TRACE_WORDS: Record<string, WordRule> = {
  Call: (s, j) => {
    if (!(s.startsWith(' Trace:', j) || s.startsWith(' trace:', j))) return null;
    const after = skipSpaces(s, j + 7);
    if (after < s.length) {
      const f = frameLine(s, after, false);
      if (f && f.t === 'frames') return { t: 'trace-start', items: f.items };
    }
    return { t: 'trace-start', items: [] };
  },
  Backtrace: backtrace,
  backtrace,
  Total: (_s, _j, _next, rest, flags) => {
    if (flags.kernel) return null;
    const m = RE_TOTAL.exec(rest);
    return m ? { t: 'total', count: Number(m[1]) } : null;
  },
};

/** Every first-word rule (a Map: a line's first word is never looked up among object keys). */
const WORDS = new Map<string, WordRule>([...Object.entries(TRACE_WORDS), ...Object.entries(REGISTER_WORDS), ...Object.entries(TASK_WORDS)]);

/** Inside a bpftrace map entry: frames, or the `]: count` that closes it. */
function bpfLine(s: string, i: number, c: number): Token {
  if (c === 93 /* ] */) {
    const m = /^\]:\s*(\d+)\s*$/.exec(s.slice(i));
    if (m) return { t: 'bpf-close', count: Number(m[1]) };
  }
  return frameLine(s, i, true) ?? TEXT;
}

/** Lines told by their first character; null for a character that says nothing. */
function byFirstChar(s: string, i: number, c: number): Token | null {
  switch (c) {
    case 60 /* < */: {
      const f = frameLine(s, i, false);
      if (f) return f;
      const m = /^<Same stack as pid (\d+)>/.exec(s.slice(i));
      return m ? { t: 'same-stack', pid: Number(m[1]) } : TEXT;
    }
    case 63 /* ? */:
      return frameLine(s, i, false) ?? TEXT;
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
    case 40 /* ( */:
      return frameLine(s, i, false) ?? (s.startsWith('(ftrace buffer empty)', i) ? REPORT : TEXT);
    case 64 /* @ */: {
      const m = /^(@\w*)\[(.*)$/.exec(s.slice(i).trimEnd());
      return m ? { t: 'bpf-open', name: m[1]!, key: m[2]! } : TEXT;
    }
    case 45 /* - */:
      return dashLine(s, i);
    case 61 /* = */:
      return s.startsWith('=====', i) ? REPORT : TEXT;
    case 35 /* # */:
      return /^#\d+:/.test(s.slice(i, i + 8)) ? REPORT : TEXT;
    default:
      return null;
  }
}

/** `---[ end trace`, `--- interrupt: ... at`, lockdep's `-> #1`, cut-here lines. */
function dashLine(s: string, i: number): Token {
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

/** Lines told by their first word, then by what they hold. */
function byFirstWord(s: string, i: number, flags: TokenizeFlags): Token {
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
    const f = next === 32 && !mayFollowName(s, j) ? null : frameLine(s, i, false);
    if (f && f.t === 'frames') return f;
    if (f && next === 43) return f;
  }
  const rule = WORDS.get(s.slice(i, j));
  if (rule) {
    const t = rule(s, j, next, rest, flags);
    if (t) return t;
  }
  const tail = rest.trimEnd();
  const h = classifyHeader(tail);
  if (h) return h;
  if (isKnownReport(rest)) return REPORT;
  const t = tailLabel(tail);
  if (t) return t;
  if (isRegisters(s, i)) return REGS;
  if (isHexDump(s, i)) return CODE;
  if (!flags.kernel) {
    const m = RE_COUNT.exec(rest);
    if (m) return { t: 'count', label: m[1]!, count: Number(m[2]) };
  }
  return TEXT;
}

/** Classifies one message (prefixes removed). */
export function tokenize(s: string, flags: TokenizeFlags): Token {
  const i = skipSpaces(s, 0);
  if (i >= s.length) return BLANK;
  const c = s.charCodeAt(i);
  if (flags.bpf) return bpfLine(s, i, c);
  if (c === 47 /* / */ || (c === 61 /* = */ && s.startsWith('==> /proc/', i))) {
    const t = procStack(s.slice(i));
    if (t) return t;
  }
  return byFirstChar(s, i, c) ?? byFirstWord(s, i, flags);
}

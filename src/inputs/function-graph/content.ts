/** Readers of the FUNCTION column and of trace-cmd event fields. */
import type { Args } from '../../model/events.js';
import { parseScaled } from '../../model/time.js';
import type { FgKind } from './line.js';

const RE_DURATION = /^\s*([+!#*@$])?\s*(\d+(?:\.\d+)?)\s*us\s*$/;
const RE_IDENT = /^[A-Za-z_.$][\w.$]*$/;
const RE_ENTRY_RETADDR = /\{\s*\/\*\s*<-(\S+)\s*\*\/$/;

/** Parses the FUNCTION column (`func() {`, `func();`, `}`, `} /* func *\/`, `/* text *\/`). */
export function parseContent(
  content: string,
): { kind: FgKind; text: string; args?: Args; tail?: string } | { kind: 'ident'; text: string } | null {
  let s = content.trim();
  if (s === '') return null;
  // A trailing `# note` a person added after the code (never inside it).
  const hash = s.indexOf('#');
  if (hash > 0 && /[{};/]\s*$/.test(s.slice(0, hash).trimEnd()) && /\s/.test(s.charAt(hash - 1))) {
    s = s.slice(0, hash).trimEnd();
  }
  const c0 = s.charCodeAt(0);
  if (c0 === 125 /* } */) {
    if (s === '}') return { kind: 'exit', text: '' };
    const m = /^\}\s*\/\*\s*(.*?)\s*\*\/\s*$/.exec(s);
    if (!m) return null;
    const r = splitRet(m[1]!);
    const out: { kind: FgKind; text: string; args?: Args; tail?: string } = { kind: 'exit', text: '', tail: r.name };
    if (r.ret !== undefined) out.args = { ret: r.ret };
    return out;
  }
  if (s.startsWith('/*')) {
    const m = /^\/\*\s*(.*?)\s*\*\/$/.exec(s);
    return m ? { kind: 'comment', text: m[1]! } : null;
  }
  let kind: FgKind;
  let body: string;
  let after = '';
  // funcgraph-retaddr on an entry: `func() { /* <-caller+0x1a/0x40 */`.
  let caller: string | undefined;
  if (s.endsWith('*/')) {
    const m = RE_ENTRY_RETADDR.exec(s);
    if (m) {
      caller = m[1]!;
      s = s.slice(0, m.index + 1);
    }
  }
  if (s.endsWith('{')) {
    kind = 'entry';
    body = s.slice(0, -1).trimEnd();
  } else {
    const semi = s.indexOf(');');
    if (semi === -1) {
      if (RE_IDENT.test(s)) return { kind: 'ident', text: s };
      return null;
    }
    kind = 'leaf';
    body = s.slice(0, semi + 1);
    after = s.slice(semi + 2).trim();
  }
  if (!body.endsWith(')')) return null;
  const open = body.indexOf('(');
  if (open <= 0) return null;
  const name = body.slice(0, open).trim();
  const inner = body.slice(open + 1, -1).trim();
  if (!/^[\w.$][\w.$]*(?: \[[\w.-]+(?: [0-9a-f]+)?\])?$/.test(name)) return null;
  const out: { kind: FgKind; text: string; args?: Args; tail?: string } = { kind, text: name };
  if (inner) out.args = parseArgList(inner);
  if (after) {
    const m = /^\/\*\s*(.*?)\s*\*\/$/.exec(after);
    if (!m) return null;
    let t = m[1]!;
    // funcgraph-retaddr on a leaf: `/* <-caller+0x1a/0x40 ret=0x0 */` (the return value is optional).
    if (t.startsWith('<-')) {
      const sp = t.indexOf(' ');
      caller = sp === -1 ? t.slice(2) : t.slice(2, sp);
      t = sp === -1 ? '' : t.slice(sp + 1);
    }
    const r = splitRet(t);
    if (r.ret !== undefined) out.args = { ...(out.args ?? {}), ret: r.ret };
  }
  if (caller) out.args = { ...(out.args ?? {}), caller };
  return out;
}

/** `func ret=0`, `func = 0x0`, `= 0x0`, `func()`, `func [mod]` → name and return value. */
function splitRet(t: string): { name: string | undefined; ret?: string } {
  const m = /^(.*?)\s*(?:ret\s*=|=)\s*(\S+)$/.exec(t);
  let name = (m ? m[1]! : t).trim();
  if (name.endsWith('()')) name = name.slice(0, -2);
  const out: { name: string | undefined; ret?: string } = { name: name || undefined };
  if (m) out.ret = m[2]!;
  return out;
}

function parseArgList(inner: string): Args {
  const args: Args = {};
  let i = 0;
  for (const part of inner.split(',')) {
    const p = part.trim();
    if (!p) continue;
    const eq = p.indexOf('=');
    if (eq > 0) args[`arg.${p.slice(0, eq).trim()}`] = p.slice(eq + 1).trim();
    else args[`arg${i}`] = p;
    i++;
  }
  return args;
}

export function fieldArgs(rest: string): Args {
  const args: Args = {};
  const re = /(\w+)=(\S+)/g;
  let m: RegExpExecArray | null;
  let n = 0;
  while ((m = re.exec(rest)) && n < 64) {
    args[m[1]!] = m[2]!;
    n++;
  }
  if (n === 0 && rest.trim()) args.text = rest.trim();
  return args;
}

/** `  + 17.381 us  `, `!2485684 us`, or blank → ns; blank → -1; anything else → null. */
export function parseDurationCol(col: string): number | null {
  let blank = true;
  for (let k = 0; k < col.length; k++) {
    const ch = col.charCodeAt(k);
    if (ch !== 32 && ch !== 9) {
      blank = false;
      break;
    }
  }
  if (blank) return -1;
  const m = RE_DURATION.exec(col);
  if (!m) return null;
  return parseScaled(m[2]!, 3);
}

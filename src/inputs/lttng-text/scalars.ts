/**
 * The pieces of babeltrace's field text below a value: delimiters, field-name characters, the
 * end of a quoted string, escapes, and numbers in their display base.
 */
import type { Scalar } from './fields.js';

export const SP = 32;
export const COMMA = 44;
export const LBRACE = 123;
export const RBRACE = 125;
export const LBRACK = 91;
export const RBRACK = 93;
export const QUOTE = 34;
export const BSLASH = 92;
export const LPAREN = 40;
export const RPAREN = 41;
export const LT = 60;
export const COLON = 58;
export const EQ = 61;

/** A field name (`cpu_id`, `_seqfield1_length`, `stream.packet.context`, `trace:hostname`). */
export function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 58 || c === 36 || c === 45;
}

/** The closing quote of a string is followed by a delimiter (or ends the line). */
export function endsValue(s: string, i: number): boolean {
  while (i < s.length && s.charCodeAt(i) === SP) i++;
  if (i >= s.length) return true;
  const c = s.charCodeAt(i);
  return c === COMMA || c === RBRACE || c === RBRACK || c === COLON || c === RPAREN;
}

const ESC: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

export function unescape(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch !== '\\' || i + 1 >= raw.length) {
      out += ch;
      continue;
    }
    const n = raw[i + 1]!;
    if (n === 'x' && /^[0-9a-fA-F]{2}$/.test(raw.slice(i + 2, i + 4))) {
      out += String.fromCharCode(parseInt(raw.slice(i + 2, i + 4), 16));
      i += 3;
    } else if (ESC[n] !== undefined) {
      out += ESC[n];
      i++;
    } else out += ch; // babeltrace 1 prints backslashes raw: keep it
  }
  return out;
}

/** Decimal integers become numbers (when exact); other bases, and huge values, stay text. */
export function scalarOf(s: string, start: number, end: number): Scalar {
  let i = start;
  let c = s.charCodeAt(i);
  const neg = c === 45; /* - */
  if (neg) c = s.charCodeAt(++i);
  if (c >= 48 && c <= 57) {
    // 0x.., 0b.., 0755 (octal) keep their text.
    if (c === 48 && end - i > 1) {
      const d = s.charCodeAt(i + 1);
      if (d === 120 || d === 98 || (d >= 48 && d <= 57)) return s.slice(start, end);
    }
    let v = 0;
    let j = i;
    for (; j < end; j++) {
      const e = s.charCodeAt(j);
      if (e < 48 || e > 57) break;
      v = v * 10 + (e - 48);
    }
    if (j === end) {
      if (end - i > 15 && !Number.isSafeInteger(v)) return s.slice(start, end);
      return neg ? -v : v;
    }
    const f = Number(s.slice(start, end));
    return Number.isNaN(f) ? s.slice(start, end) : f;
  }
  const t = s.slice(start, end);
  if (t === 'true') return true;
  if (t === 'false') return false;
  if (t === 'nan' || t === '-nan') return 'nan';
  return t;
}

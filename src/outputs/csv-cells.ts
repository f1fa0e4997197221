/**
 * CSV cells written into a ByteOut, byte for byte what `csvText` (and `csvText(JSON.stringify(args))`
 * for the args cell) gives: plain printable ASCII is copied as it is, anything else goes through
 * csvText; an args cell is its JSON with every `"` doubled, inside quotes.
 */
import type { Args } from '../model/events.js';
import type { ByteOut } from './byte-out.js';
import { jsonObject, jsonValue } from './json-text.js';

export function formulaStart(c: number): boolean {
  // = + - @ TAB CR LF, and their full-width forms (spreadsheets read ＝ as =).
  return c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13 || c === 10 || c === 0xff1d || c === 0xff0b || c === 0xff0d || c === 0xff20;
}

/** Quotes a text cell and defuses formula starts. */
export function csvText(s: string): string {
  if (s.length > 0 && formulaStart(s.charCodeAt(0))) s = `'${s}`;
  if (/[",\r\n]/.test(s)) return `"${s.replace(/"/g, '""')}"`;
  return s;
}

/** Printable ASCII with no `"` or `,`: written into a cell as it is (after the first character's check). */
export function plainCell(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x2c) return false;
  }
  return true;
}

/** A text cell's text, as csvText gives it (the text itself when it needs nothing). */
export function cellString(s: string): string {
  return plainCell(s) && !(s.length > 0 && formulaStart(s.charCodeAt(0))) ? s : csvText(s);
}

/** A text cell, as csvText gives it. */
export function text(o: ByteOut, s: string): void {
  if (plainCell(s) && !(s.length > 0 && formulaStart(s.charCodeAt(0)))) o.ascii(s);
  else o.utf8(csvText(s));
}

/** A number cell, as String() prints it. */
export function num(o: ByteOut, n: number | undefined): void {
  if (n === undefined) return;
  if (Number.isSafeInteger(n)) o.int(n);
  else o.ascii(String(n));
}

/** The args cell: the JSON of `a` as one CSV text cell (empty without arguments). */
export function argsCell(o: ByteOut, a: Args | Record<string, unknown> | undefined): void {
  if (!a) return;
  let any = false;
  for (const k in a) {
    if (Object.prototype.hasOwnProperty.call(a, k)) {
      any = true;
      break;
    }
  }
  if (!any) return;
  const mark = o.pos - o.start;
  o.ascii('"');
  if (jsonObject(o, a as Record<string, unknown>, true) === 0) {
    o.pos = o.start + mark;
    o.ascii('{}');
  } else o.ascii('"');
}

/** `""key"":value` members of an args cell being written (no comma while `first`); false once one is written. */
export function member(o: ByteOut, first: boolean, key: string, v: unknown): boolean {
  if (v === undefined) return first;
  o.ascii(first ? '""' : ',""');
  o.ascii(key);
  o.ascii('"":');
  jsonValue(o, v, true);
  return false;
}

/** Opens an args cell written member by member; returns where it began. */
export function openArgs(o: ByteOut): number {
  const mark = o.pos - o.start;
  o.ascii('"{');
  return mark;
}

/** Closes it: an object left empty is `{}`, unquoted, as csvText(JSON.stringify({})) gives. */
export function closeArgs(o: ByteOut, mark: number, empty: boolean): void {
  if (empty) {
    o.pos = o.start + mark;
    o.ascii('{}');
  } else o.ascii('}"');
}


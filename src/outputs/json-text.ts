/**
 * JSON text written straight into a ByteOut, byte for byte what `JSON.stringify` gives: strings
 * of plain printable ASCII are copied as they are, anything else goes through JSON.stringify.
 * In CSV mode every `"` of the JSON is doubled, so the text can sit inside a quoted CSV cell.
 */
import { nsToUsString } from '../model/time.js';
import type { ByteOut } from './byte-out.js';

/** A JSON string literal. */
export function jsonString(out: ByteOut, s: string, csv = false): void {
  if (typeof s !== 'string') {
    jsonValue(out, s, csv);
    return;
  }
  const n = s.length;
  out.ensure(n + 4);
  const buf = out.buf;
  const start = out.pos;
  let p = start;
  if (csv) buf[p++] = 0x22;
  buf[p++] = 0x22;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) {
      // Something to escape or encode: JSON.stringify decides.
      const j = JSON.stringify(s);
      out.pos = start;
      out.utf8(csv ? j.replace(/"/g, '""') : j);
      return;
    }
    buf[p++] = c;
  }
  buf[p++] = 0x22;
  if (csv) buf[p++] = 0x22;
  out.pos = p;
}

/** A number as JSON.stringify writes it (null when not finite). */
export function jsonNumber(out: ByteOut, n: number): void {
  if (Number.isSafeInteger(n)) out.int(n);
  else if (Number.isFinite(n)) out.ascii(String(n));
  else out.ascii('null');
}

/** Any value JSON.stringify would write as an object member (not undefined, functions, symbols). */
function writable(v: unknown): boolean {
  return v !== undefined && typeof v !== 'function' && typeof v !== 'symbol';
}

/** A value already written as JSON text (kept as its UTF-8 bytes), written as it is. */
export class RawJson {
  readonly bytes: Buffer;
  private csvBytes: Buffer | undefined;

  constructor(readonly text: string) {
    this.bytes = Buffer.from(text, 'utf8');
  }

  /** The text with every `"` doubled, for a quoted CSV cell. */
  csv(): Buffer {
    return (this.csvBytes ??= Buffer.from(this.text.replace(/"/g, '""'), 'utf8'));
  }
}

/** A JSON value: scalars written in place, objects of scalars member by member, the rest by JSON.stringify. */
export function jsonValue(out: ByteOut, v: unknown, csv = false): void {
  switch (typeof v) {
    case 'string':
      jsonString(out, v, csv);
      return;
    case 'number':
      jsonNumber(out, v);
      return;
    case 'boolean':
      out.ascii(v ? 'true' : 'false');
      return;
    case 'undefined':
      // Where JSON.stringify gives undefined (a template prints it so).
      out.ascii('undefined');
      return;
    default:
      if (v === null) out.ascii('null');
      else if (v instanceof RawJson) out.bytes(csv ? v.csv() : v.bytes);
      else if (typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype && !('toJSON' in v)) jsonObject(out, v as Record<string, unknown>, csv);
      else {
        const j = JSON.stringify(v);
        out.utf8(csv ? j.replace(/"/g, '""') : j);
      }
  }
}

/** A plain object as JSON.stringify writes it (members in key order, undefined ones left out); returns how many members. */
export function jsonObject(out: ByteOut, o: Record<string, unknown>, csv = false): number {
  out.ascii('{');
  let n = 0;
  for (const k in o) {
    if (!Object.prototype.hasOwnProperty.call(o, k)) continue;
    const v = o[k];
    if (!writable(v)) continue;
    if (n++ > 0) out.ascii(',');
    jsonString(out, k, csv);
    out.ascii(':');
    jsonValue(out, v, csv);
  }
  out.ascii('}');
  return n;
}

/** Nanoseconds as microseconds, the shortest exact decimal (`1500` → `1.5`), as nsToUsString. */
export function usTime(out: ByteOut, ns: number): void {
  if (!Number.isSafeInteger(ns) || ns < 0) {
    out.ascii(nsToUsString(ns));
    return;
  }
  const whole = Math.floor(ns / 1000);
  const frac = ns - whole * 1000;
  out.int(whole);
  if (frac === 0) return;
  out.ensure(4);
  const buf = out.buf;
  let p = out.pos;
  buf[p++] = 0x2e;
  const d1 = Math.floor(frac / 100);
  const r = frac - d1 * 100;
  const d2 = Math.floor(r / 10);
  const d3 = r - d2 * 10;
  buf[p++] = 48 + d1;
  if (d2 !== 0 || d3 !== 0) buf[p++] = 48 + d2;
  if (d3 !== 0) buf[p++] = 48 + d3;
  out.pos = p;
}

/** A number as a template literal prints it. */
export function templateNumber(o: ByteOut, n: number): void {
  if (Number.isSafeInteger(n)) o.int(n);
  else o.ascii(String(n));
}

/**
 * `,"key":value` (no comma while `first`), as JSON.stringify writes a member; nothing for
 * undefined. Returns whether the next member is still the first.
 */
export function jsonMember(o: ByteOut, first: boolean, key: string, v: unknown): boolean {
  if (v === undefined) return first;
  o.ascii(first ? `"${key}":` : `,"${key}":`);
  jsonValue(o, v);
  return false;
}


/**
 * What a field value holds, read out: its integer, its text, its compact rendering, and event
 * args from it. The value model is `fields.ts`, its reader `value-reader.ts`.
 */
import type { Args } from '../../model/events.js';
import { EnumValue, type Value } from './fields.js';

export { EnumValue, type Fields, type Scalar, type Value } from './fields.js';
export { internName } from './names.js';
export { ValueReader } from './value-reader.js';

/** The integer a value holds (decimal, hex, octal, binary, enumeration container), or NaN. */
export function intOf(v: Value | undefined): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (v.length > 2 && v.charCodeAt(0) === 48) {
      const p = v.charCodeAt(1);
      if (p === 120) return parseInt(v.slice(2), 16);
      if (p === 98) return parseInt(v.slice(2), 2);
      return parseInt(v.slice(1), 8);
    }
    return v === '' ? NaN : Number(v);
  }
  if (v instanceof EnumValue) return intOf(v.value);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return NaN;
}

/** The text a value holds (strings as they are, other scalars printed). */
export function textOf(v: Value | undefined): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof EnumValue) return v.labels.length ? v.labels.join('|') : textOf(v.value);
  return render(v);
}

/** Compact text of any value (arrays and nested structures in args). */
export function render(v: Value): string {
  if (v === null) return '<none>';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v !== 'object') return String(v);
  if (v instanceof EnumValue) return v.labels.length ? v.labels.join('|') : render(v.value);
  if (Array.isArray(v)) return `[${v.map(render).join(', ')}]`;
  const keys = Object.keys(v);
  return `{${keys.map((k) => `${k}: ${render(v[k]!)}`).join(', ')}}`;
}

/**
 * Adds a value to event args: structures become dotted keys, arrays one text cell
 * (`[1, 2, 3]`, or the characters when an array of small integers is text), enumerations their
 * label (or the integer when babeltrace knew none).
 */
export function addArg(out: Args, key: string, v: Value): void {
  if (v === null) out[key] = '<none>';
  else if (typeof v !== 'object') out[key] = v;
  else if (v instanceof EnumValue) {
    out[key] = v.labels.length ? v.labels.join('|') : v.value === null ? '<unknown>' : v.value;
  } else if (Array.isArray(v)) out[key] = `[${v.map((x) => (typeof x === 'string' ? x : render(x))).join(', ')}]`;
  else for (const k of Object.keys(v)) addArg(out, `${key}.${k}`, v[k]!);
}

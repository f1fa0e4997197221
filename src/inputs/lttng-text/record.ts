/**
 * What the tokenizer gives the interpreter: one record per event line (or a note that the line
 * is blank, a discarded-events warning, or not babeltrace output at all).
 */
import { EnumValue, type Fields, type Value, ValueReader } from './values.js';

export type TsKind = 'tod' | 'date' | 'seconds' | 'cycles' | 'none';

export interface LttngRecord {
  line: number;
  /** How the time was printed; `sec`/`nsec` hold it (seconds of the day, of the epoch, or cycles / 10^9). */
  tsKind: TsKind;
  sec: number;
  nsec: number;
  /** Nanoseconds on the trace timeline, set by the interpreter. */
  ts: number;
  /** Characters of the line (what holding the record costs, roughly). */
  chars: number;
  name: string;
  /** From the header: hostname, tracing domain (`kernel`/`ust`), process name and vpid (per-process UST buffers). */
  host?: string;
  domain?: string;
  procname?: string;
  vpid?: number;
  /** Packet, common and specific contexts merged (later scopes win), or undefined. */
  ctx: Fields | undefined;
  payload: Fields;
  /** What could not be read in the field text (the rest of the record is kept). */
  malformed?: string;
  /** Printer hints: `2` for babeltrace2-only shapes, `1` for babeltrace 1-only ones. */
  printer?: 1 | 2;
}

export type TokenResult =
  | LttngRecord
  | { kind: 'blank' }
  | { kind: 'discarded'; count: number; what: string; text: string }
  | { kind: 'unparsed'; why: string };

const EMPTY: Fields = Object.freeze({}) as Fields;

export function newRecord(line: number, chars: number): LttngRecord {
  // Every property set up front: records keep one shape (the interpreter's hot paths stay monomorphic).
  return {
    line,
    tsKind: 'none',
    sec: 0,
    nsec: 0,
    ts: 0,
    chars,
    name: '',
    host: undefined,
    domain: undefined,
    procname: undefined,
    vpid: undefined,
    ctx: undefined,
    payload: EMPTY,
    malformed: undefined,
    printer: undefined,
  };
}

/** One reader for every line (it holds no state between lines). */
export const reader = new ValueReader('');

/** A scope is a structure; anything else (never printed by babeltrace) is kept as `value`. */
export function asFields(v: Value): Fields {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof EnumValue) ? v : { value: v };
}

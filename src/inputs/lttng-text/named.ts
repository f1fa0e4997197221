/**
 * `--names=all` (babeltrace2) and `-n all` (babeltrace 1): every column as `key = value`, items
 * separated by `, `, the scopes as `stream.packet.context = { ... }` and so on.
 */
import { asFields, newRecord, reader, type TokenResult } from './record.js';
import { parseTime } from './timestamps.js';
import type { Fields } from './values.js';

const SCOPE_NAMES = new Set(['stream.packet.context', 'stream.event.context', 'event.context', 'event.fields']);

/** `--names=all` / `-n all`: `key = value` items separated by `, `. */
export function namedLine(s: string, line: number): TokenResult {
  const rec = newRecord(line, s.length);
  const n = s.length;
  const r = reader;
  r.reset(s, 0);
  let i = 0;
  let sawName = false;
  let sawTime = false;
  let ctx: Fields | undefined;
  let merged = false;
  while (i < n) {
    while (i < n && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 44)) i++;
    if (i >= n) break;
    const eq = s.indexOf(' = ', i);
    if (eq === -1) {
      rec.malformed = `expected \`name = value\` at column ${i + 1}`;
      break;
    }
    const key = s.slice(i, eq);
    i = eq + 3;
    if (SCOPE_NAMES.has(key) && s.charCodeAt(i) === 123) {
      r.pos = i;
      const f = asFields(r.struct());
      if (key === 'event.fields') rec.payload = f;
      else if (ctx === undefined) ctx = f;
      else {
        if (!merged) {
          ctx = Object.assign({}, ctx);
          merged = true;
        }
        Object.assign(ctx, f);
      }
      i = r.pos;
      if (r.error !== undefined) {
        rec.malformed = r.error;
        break;
      }
      continue;
    }
    let end = s.indexOf(', ', i);
    if (end === -1) end = n;
    const val = s.slice(i, end);
    i = end;
    switch (key) {
      case 'timestamp':
        if (!parseTime(val, 0, val.length, rec)) return { kind: 'unparsed', why: `unreadable timestamp "${val}"` };
        sawTime = true;
        break;
      case 'name':
        rec.name = val;
        sawName = true;
        break;
      case 'trace:hostname':
        rec.host = val;
        break;
      case 'trace:domain':
        rec.domain = val;
        break;
      case 'trace:procname':
        rec.procname = val;
        break;
      case 'trace:vpid': {
        const m = /^(\()?(\d+)\)?$/.exec(val);
        if (m) {
          rec.vpid = Number(m[2]);
          rec.printer = m[1] ? 2 : 1;
        }
        break;
      }
      case 'trace':
        // babeltrace2 prints `trace = NAME, , trace:hostname = ...`
        if (s.startsWith(', , ', i)) rec.printer = 2;
        break;
      default:
        break; // delta, loglevel, model.emf.uri
    }
  }
  if (!sawName || !sawTime) return { kind: 'unparsed', why: 'a `timestamp = ...` line without `name = ...`' };
  rec.ctx = ctx;
  return rec;
}

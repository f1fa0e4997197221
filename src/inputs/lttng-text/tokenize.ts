/**
 * One babeltrace text line → one record (or a note that it is blank, a discarded-events warning,
 * or not babeltrace output at all). No state beyond small caches: the interpreter owns meaning.
 *
 * Layouts read (babeltrace2 `sink.text.pretty` and babeltrace 1 `text` output, same shapes):
 *
 *   [TIME] (+DELTA) [TRACE] [HOST[:DOMAIN][:PROC][:VPID][:LOGLEVEL (N)]] EVENT: { scope }, { scope }, ...
 *   timestamp = TIME, delta = +DELTA, trace:hostname = HOST, ..., name = EVENT, stream.packet.context = { ... }, ...
 *
 * TIME is `HH:MM:SS.nnnnnnnnn` (default), `YYYY-MM-DD HH:MM:SS.nnnnnnnnn` (`--clock-date`),
 * `SSSSSSSSSS.nnnnnnnnn` (`--clock-seconds`) or 20 digits of cycles (`--clock-cycles`); the
 * delta is `(+?.?????????)` on the first line, `(+????????????)`/`(+000000001276)` in cycles
 * (babeltrace2), and absent with `--no-delta`. VPID is `(N)` in babeltrace2, `N` in babeltrace 1.
 * Without names the scopes are, in order, whichever of packet context, event common context,
 * event specific context and payload the event has: the payload is the last one.
 */
import { EnumValue, type Fields, internName, type Value, ValueReader } from './values.js';

export type TsKind = 'tod' | 'date' | 'seconds' | 'cycles' | 'none';

export interface LttngRecord {
  line: number;
  /** How the time was printed; `sec`/`nsec` hold it (seconds of the day, of the epoch, or cycles / 10^9). */
  tsKind: TsKind;
  sec: number;
  nsec: number;
  /** Nanoseconds on the trace timeline, set by the interpreter. */
  ts: number;
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

/** Header prefix → host/domain/procname/vpid; the same few prefixes repeat on every line. */
interface HeaderInfo {
  host?: string;
  domain?: string;
  procname?: string;
  vpid?: number;
  printer?: 1 | 2;
}
const headerCache = new Map<string, HeaderInfo>();
let lastHeader = '\u0000';
let lastHeaderInfo: HeaderInfo = {};

const isDigit = (c: number) => c >= 48 && c <= 57;

function digits(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(i + k);
    if (c < 48 || c > 57) return NaN;
    v = v * 10 + (c - 48);
  }
  return v;
}

/** Nanoseconds from the fraction digits in s[i, end) (9 printed; fewer are scaled up). */
function fraction(s: string, i: number, end: number): number {
  let v = 0;
  let n = 0;
  for (; i < end && n < 9; i++, n++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return NaN;
    v = v * 10 + (c - 48);
  }
  if (i !== end) return NaN;
  for (; n < 9; n++) v *= 10;
  return v;
}

let lastDate = '';
let lastDateDays = 0;

/** Days since 1970-01-01 of a proleptic Gregorian date (no Date object per line). */
function daysOf(y: number, m: number, d: number): number {
  const key = `${y}-${m}-${d}`;
  if (key === lastDate) return lastDateDays;
  lastDate = key;
  lastDateDays = Math.round(Date.UTC(y, m - 1, d) / 86_400_000);
  return lastDateDays;
}

/** Parses the time in s[start, end); returns false when it is not one of babeltrace's forms. */
function parseTime(s: string, start: number, end: number, r: { tsKind: TsKind; sec: number; nsec: number }): boolean {
  const len = end - start;
  if (s.charCodeAt(start) === 63 /* ? */) {
    r.tsKind = 'none';
    return s.startsWith('??:??:??', start);
  }
  if (len >= 18 && s.charCodeAt(start + 2) === 58 && s.charCodeAt(start + 5) === 58 && s.charCodeAt(start + 8) === 46) {
    const h = digits(s, start, 2);
    const m = digits(s, start + 3, 2);
    const sec = digits(s, start + 6, 2);
    const ns = fraction(s, start + 9, end);
    if (Number.isNaN(h + m + sec + ns)) return false;
    r.tsKind = 'tod';
    r.sec = h * 3600 + m * 60 + sec;
    r.nsec = ns;
    return true;
  }
  if (len >= 29 && s.charCodeAt(start + 4) === 45 && s.charCodeAt(start + 10) === 32) {
    const y = digits(s, start, 4);
    const mo = digits(s, start + 5, 2);
    const d = digits(s, start + 8, 2);
    const t = start + 11;
    if (s.charCodeAt(t + 2) !== 58 || s.charCodeAt(t + 5) !== 58 || s.charCodeAt(t + 8) !== 46) return false;
    const h = digits(s, t, 2);
    const m = digits(s, t + 3, 2);
    const sec = digits(s, t + 6, 2);
    const ns = fraction(s, t + 9, end);
    if (Number.isNaN(y + mo + d + h + m + sec + ns)) return false;
    r.tsKind = 'date';
    r.sec = daysOf(y, mo, d) * 86_400 + h * 3600 + m * 60 + sec;
    r.nsec = ns;
    return true;
  }
  const dot = s.indexOf('.', start);
  if (dot !== -1 && dot < end) {
    // --clock-seconds (babeltrace also falls back to it for negative times)
    const neg = s.charCodeAt(start) === 45;
    const i0 = neg ? start + 1 : start;
    if (dot === i0 || dot - i0 > 15) return false;
    const whole = digits(s, i0, dot - i0);
    const ns = fraction(s, dot + 1, end);
    if (Number.isNaN(whole + ns)) return false;
    r.tsKind = 'seconds';
    if (neg) {
      // -1.250000000 s = -2 s + 0.75 s
      r.sec = ns === 0 ? -whole : -whole - 1;
      r.nsec = ns === 0 ? 0 : 1e9 - ns;
    } else {
      r.sec = whole;
      r.nsec = ns;
    }
    return true;
  }
  // --clock-cycles: %020u
  if (len < 1 || len > 20) return false;
  for (let i = start; i < end; i++) if (!isDigit(s.charCodeAt(i))) return false;
  const cut = Math.max(start, end - 9);
  r.tsKind = 'cycles';
  r.sec = cut > start ? digits(s, start, cut - start) : 0;
  r.nsec = digits(s, cut, end - cut);
  return true;
}

/**
 * The header between the delta and the event name: `host`, `proc:(vpid)`, `host:proc:vpid`,
 * `trace host:domain:proc:(vpid):LOGLEVEL (13)` (`--fields=all`; babeltrace2 glues the trace
 * name to the hostname there).
 */
function headerInfo(prefix: string): HeaderInfo {
  let h = headerCache.get(prefix);
  if (h) return h;
  h = {};
  let p = prefix.trim();
  // `:TRACE_DEBUG_LINE (13)` or a leading `TRACE_INFO (6)` when it is the only field.
  const ll = /(?:^|:)TRACE_[A-Z_]+ \(\d+\)$/.exec(p);
  if (ll) p = p.slice(0, ll.index);
  const sp = p.lastIndexOf(' ');
  if (sp !== -1) p = p.slice(sp + 1); // trace name (babeltrace 1 -f all)
  const parts = p === '' ? [] : p.split(':');
  let vpidAt = -1;
  for (let k = parts.length - 1; k >= 1; k--) {
    const m = /^(\()?(\d+)\)?$/.exec(parts[k]!);
    if (m) {
      h.vpid = Number(m[2]);
      h.printer = m[1] ? 2 : 1;
      vpidAt = k;
      break;
    }
  }
  const domAt = parts.findIndex((x, k) => k > 0 && (x === 'kernel' || x === 'ust'));
  if (domAt !== -1) h.domain = parts[domAt];
  if (vpidAt !== -1) {
    const procAt = vpidAt - 1;
    if (procAt !== domAt) h.procname = parts[procAt];
    if (procAt > 0 && domAt !== 0) h.host = parts[0];
  } else if (parts.length > 0) h.host = parts[0];
  if (h.host === '') delete h.host;
  if (headerCache.size > 10_000) headerCache.clear();
  headerCache.set(prefix, h);
  return h;
}

const SCOPE_NAMES = new Set(['stream.packet.context', 'stream.event.context', 'event.context', 'event.fields']);

/** Tokenizes one line (exported for tests). */
export function tokenize(s: string, line: number): TokenResult {
  let n = s.length;
  if (n > 0 && s.charCodeAt(n - 1) === 13) s = s.slice(0, --n);
  if (n === 0) return { kind: 'blank' };
  const c0 = s.charCodeAt(0);
  if (c0 === 91 /* [ */) {
    const close = s.indexOf(']', 1);
    if (close !== -1 && close < 40) {
      const rec = newRecord(line);
      if (parseTime(s, 1, close, rec)) return bracketLine(s, close + 1, rec);
    }
  } else if (c0 === 116 /* t */ && s.startsWith('timestamp = ')) {
    return namedLine(s, line);
  } else if (c0 === 32 || c0 === 9) {
    let i = 0;
    while (i < n && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9)) i++;
    if (i === n) return { kind: 'blank' };
  }
  const d = discarded(s);
  if (d) return d;
  // A stream without a clock: no time column at all.
  if (s.indexOf(': {') !== -1 && /^[^\s{}[\]=]+(?: [^\s{}[\]=]+)?: \{/.test(s)) {
    const rec = newRecord(line);
    rec.tsKind = 'none';
    return bracketLine(s, 0, rec);
  }
  return { kind: 'unparsed', why: 'not a babeltrace event line' };
}

function newRecord(line: number): LttngRecord {
  // Every property set up front: records keep one shape (the interpreter's hot paths stay monomorphic).
  return {
    line,
    tsKind: 'none',
    sec: 0,
    nsec: 0,
    ts: 0,
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
const reader = new ValueReader('');

const RE_DISCARDED = /Tracer (?:may have )?(?:discarded|lost) (?:(\d+) )?(event|packet|trace packet)s?/;

/** babeltrace's warnings about data the tracer lost (printed on stderr, often saved along). */
function discarded(s: string): TokenResult | undefined {
  if (s.indexOf('Tracer ') === -1) return undefined;
  const m = RE_DISCARDED.exec(s);
  if (!m) return undefined;
  // eslint-disable-next-line no-control-regex
  const text = s.replace(/\x1b\[[0-9;]*m/g, '').trim();
  return { kind: 'discarded', count: m[1] ? Number(m[1]) : -1, what: m[2] === 'event' ? 'events' : 'packets', text };
}

/** A scope is a structure; anything else (never printed by babeltrace) is kept as `value`. */
function asFields(v: Value): Fields {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof EnumValue) ? v : { value: v };
}

function bracketLine(s: string, i: number, rec: LttngRecord): TokenResult {
  const n = s.length;
  if (s.charCodeAt(i) === 32) i++;
  if (s.charCodeAt(i) === 40 /* ( */ && s.charCodeAt(i + 1) === 43 /* + */) {
    const close = s.indexOf(')', i);
    if (close === -1) return { kind: 'unparsed', why: 'unterminated delta' };
    // babeltrace2 prints cycle deltas as 12 digits.
    if (close - i === 14 && s.charCodeAt(i + 3) !== 46) rec.printer = 2;
    i = close + 1;
    if (s.charCodeAt(i) === 32) i++;
  }
  // The event name is the last word before the first `{` and ends with `:`.
  const brace = s.indexOf('{', i);
  let headEnd = brace === -1 ? n : brace;
  while (headEnd > i && s.charCodeAt(headEnd - 1) === 32) headEnd--;
  if (headEnd <= i || s.charCodeAt(headEnd - 1) !== 58 /* : */) return { kind: 'unparsed', why: 'no `event:` before the fields' };
  const sp = s.lastIndexOf(' ', headEnd - 1);
  const nameStart = sp < i ? i : sp + 1;
  if (nameStart >= headEnd - 1) return { kind: 'unparsed', why: 'empty event name' };
  rec.name = internName(s, nameStart, headEnd - 1);
  if (nameStart > i) {
    // The header of the previous line, most of the time: compare in place instead of slicing.
    const len = nameStart - 1 - i;
    let h: HeaderInfo;
    if (len === lastHeader.length && s.startsWith(lastHeader, i)) h = lastHeaderInfo;
    else {
      lastHeader = s.slice(i, nameStart - 1);
      h = lastHeaderInfo = headerInfo(lastHeader);
    }
    if (h.host !== undefined) rec.host = h.host;
    if (h.domain !== undefined) rec.domain = h.domain;
    if (h.procname !== undefined) rec.procname = h.procname;
    if (h.vpid !== undefined) rec.vpid = h.vpid;
    if (h.printer !== undefined) rec.printer = h.printer;
  }
  if (brace === -1) return rec;
  // Scopes: { ... }, { ... }, ...
  const r = reader;
  r.reset(s, brace);
  // Scopes in order: packet context, common context, specific context, payload (the last one).
  let ctx: Fields | undefined;
  let merged = false;
  let last: Fields | undefined;
  for (;;) {
    const f = asFields(r.struct());
    if (last !== undefined) {
      if (ctx === undefined) ctx = last;
      else {
        if (!merged) {
          ctx = Object.assign({}, ctx);
          merged = true;
        }
        Object.assign(ctx, last);
      }
    }
    last = f;
    if (r.error !== undefined) break;
    while (r.pos < n && s.charCodeAt(r.pos) === 32) r.pos++;
    if (r.pos >= n) break;
    if (s.charCodeAt(r.pos) === 44 && s.charCodeAt(r.pos + 1) === 32 && s.charCodeAt(r.pos + 2) === 123) {
      r.pos += 2;
      continue;
    }
    r.error = `unexpected text after the fields at column ${r.pos + 1}`;
    break;
  }
  rec.payload = last!;
  rec.ctx = ctx;
  if (r.error !== undefined) rec.malformed = r.error;
  return rec;
}

/** `--names=all` / `-n all`: `key = value` items separated by `, `. */
function namedLine(s: string, line: number): TokenResult {
  const rec = newRecord(line);
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

/** A line that only babeltrace's pretty printer writes (for sniffing). */
export const RE_SNIFF_LINE =
  /^(?:\[(?:\d\d:\d\d:\d\d\.\d{9}|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9}|-?\d{1,15}\.\d{9}|\d{20})\] (?:\(\+(?:\?\.\?{9}|\d+\.\d{9}|\?{12}|\d{12})\) )?(?:[^{}=]*? )?[^\s{}=]+:(?: \{|\s*$)|timestamp = (?:[\d:. -]+), .*\bname = [^\s,]+, )/;

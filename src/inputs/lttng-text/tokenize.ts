/**
 * One babeltrace text line → one record (or a note that it is blank, a discarded-events warning,
 * or not babeltrace output at all). No state beyond small caches: the interpreter owns meaning.
 *
 * Layouts read (babeltrace2 `sink.text.pretty` and babeltrace 1 `text` output, same shapes):
 *
 *   [TIME] (+DELTA) [TRACE] [HOST[:DOMAIN][:PROC][:VPID][:LOGLEVEL (N)]] EVENT: { scope }, { scope }, ...
 *   timestamp = TIME, delta = +DELTA, trace:hostname = HOST, ..., name = EVENT, stream.packet.context = { ... }, ...
 *
 * TIME is one of babeltrace's time forms (`timestamps.ts`); the delta is `(+?.?????????)` on
 * the first line, `(+????????????)`/`(+000000001276)` in cycles (babeltrace2), and absent with
 * `--no-delta`. VPID is `(N)` in babeltrace2, `N` in babeltrace 1.
 * Without names the scopes are, in order, whichever of packet context, event common context,
 * event specific context and payload the event has: the payload is the last one.
 */
import { type HeaderInfo, headerInfo } from './header.js';
import { namedLine } from './named.js';
import { asFields, type LttngRecord, newRecord, reader, type TokenResult } from './record.js';
import { parseTime } from './timestamps.js';
import { type Fields, internName } from './values.js';

export type { LttngRecord, TokenResult, TsKind } from './record.js';

let lastHeader = '\u0000';
let lastHeaderInfo: HeaderInfo = {};

/** Tokenizes one line (exported for tests). */
export function tokenize(s: string, line: number): TokenResult {
  let n = s.length;
  if (n > 0 && s.charCodeAt(n - 1) === 13) s = s.slice(0, --n);
  if (n === 0) return { kind: 'blank' };
  const c0 = s.charCodeAt(0);
  if (c0 === 91 /* [ */) {
    const close = s.indexOf(']', 1);
    if (close !== -1 && close < 40) {
      const rec = newRecord(line, n);
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
    const rec = newRecord(line, n);
    rec.tsKind = 'none';
    return bracketLine(s, 0, rec);
  }
  return { kind: 'unparsed', why: 'not a babeltrace event line' };
}

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

/** A line that only babeltrace's pretty printer writes (for sniffing). */
export const RE_SNIFF_LINE =
  /^(?:\[(?:\d\d:\d\d:\d\d\.\d{9}|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9}|-?\d{1,15}\.\d{9}|\d{20})\] (?:\(\+(?:\?\.\?{9}|\d+\.\d{9}|\?{12}|\d{12})\) )?(?:[^{}=]*? )?[^\s{}=]+:(?: \{|\s*$)|timestamp = (?:[\d:. -]+), .*\bname = [^\s,]+, )/;

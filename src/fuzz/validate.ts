/**
 * Validators for every output, written against the formats and not against the writers: they
 * share no code with src/outputs, so a writer bug cannot hide in its own checker.
 *
 * - chrome-json: JSON.parse, then per thread (in file order) every `E` closes an open `B` at a
 *   time not before it, nothing stays open, every time is finite and >= 0;
 * - perfetto: decoded with the schema in proto/, every timestamp in 0..2^53-1 ns;
 * - folded: every line `^.+ \d+$`;
 * - csv: RFC 4180 (CRLF rows, quoted fields with doubled quotes), one column count throughout;
 * - top: UTF-8 text ending in a line end;
 * - svg: well-formed XML with an <svg> root; html: every inline <svg> well-formed XML.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const PROTO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'proto', 'perfetto_trace_subset.proto');
const MAX_NS = 2n ** 53n - 1n;

let traceType: protobuf.Type | undefined;
function perfettoTrace(): protobuf.Type {
  if (!traceType) {
    const root = new protobuf.Root().loadSync(PROTO, { keepCase: true });
    root.resolveAll();
    traceType = root.lookupType('perfetto.protos.Trace');
  }
  return traceType;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Returns null when valid, else what is wrong. */
export type Validator = (bytes: Uint8Array) => string | null;

export function validateChromeJson(bytes: Uint8Array): string | null {
  let doc: unknown;
  try {
    doc = JSON.parse(utf8.decode(bytes));
  } catch (e) {
    return `JSON.parse: ${(e as Error).message}`;
  }
  const evs = (doc as { traceEvents?: unknown }).traceEvents;
  if (!Array.isArray(evs)) return 'no traceEvents array';
  if (evs.length === 0) return 'empty traceEvents';
  const open = new Map<string, number[]>();
  for (let i = 0; i < evs.length; i++) {
    const e = evs[i] as Record<string, unknown>;
    if (typeof e !== 'object' || e === null) return `event ${i} is not an object`;
    const ph = e.ph;
    if (typeof ph !== 'string') return `event ${i} has no ph`;
    if (ph === 'M') continue;
    const ts = e.ts;
    if (typeof ts !== 'number' || !Number.isFinite(ts) || ts < 0) return `event ${i} (${ph}) has ts ${String(ts)}`;
    if (e.dur !== undefined && (typeof e.dur !== 'number' || !Number.isFinite(e.dur) || e.dur < 0)) return `event ${i} has dur ${String(e.dur)}`;
    if (ph !== 'B' && ph !== 'E') continue;
    const key = `${String(e.pid)}:${String(e.tid)}`;
    let st = open.get(key);
    if (!st) open.set(key, (st = []));
    if (ph === 'B') st.push(ts);
    else {
      const b = st.pop();
      if (b === undefined) return `event ${i}: E on ${key} with no open B`;
      if (ts < b) return `event ${i}: E ts ${ts} < B ts ${b} on ${key}`;
    }
  }
  for (const [key, st] of open) if (st.length) return `${st.length} B left open on ${key}`;
  return null;
}

function big(v: unknown): bigint | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number') return BigInt(Math.trunc(v));
  if (typeof v === 'object' && 'low' in (v as object)) {
    const l = v as { low: number; high: number; unsigned: boolean };
    const hi = BigInt(l.high >>> 0);
    const u = (hi << 32n) | BigInt(l.low >>> 0);
    return l.unsigned ? u : BigInt.asIntN(64, u);
  }
  return null;
}

export function validatePerfetto(bytes: Uint8Array): string | null {
  let trace: Record<string, unknown>;
  try {
    trace = perfettoTrace().decode(bytes) as unknown as Record<string, unknown>;
  } catch (e) {
    return `protobuf decode: ${(e as Error).message}`;
  }
  const packets = (trace.packet ?? []) as Record<string, unknown>[];
  if (packets.length === 0) return 'no packets';
  const check = (v: unknown, where: string): string | null => {
    const b = big(v);
    if (b === null) return null;
    return b < 0n || b > MAX_NS ? `${where}: ${b} outside 0..2^53-1` : null;
  };
  // Incremental clocks: a sequence's deltas must sum into range too.
  const seqSum = new Map<number, bigint>();
  for (let i = 0; i < packets.length; i++) {
    const p = packets[i]!;
    const r = check(p.timestamp, `packet ${i} timestamp`);
    if (r) return r;
    const seq = Number(p.trusted_packet_sequence_id ?? 0);
    const cs = p.clock_snapshot as { clocks?: { clock_id?: number; timestamp?: unknown; is_incremental?: boolean }[] } | undefined;
    if (cs?.clocks) {
      for (const c of cs.clocks) {
        const r2 = check(c.timestamp, `packet ${i} clock ${c.clock_id}`);
        if (r2) return r2;
        if (c.is_incremental) seqSum.set(seq, big(c.timestamp) ?? 0n);
      }
    } else if (p.track_event && p.timestamp_clock_id === undefined && seqSum.has(seq)) {
      const s = seqSum.get(seq)! + (big(p.timestamp) ?? 0n);
      if (s > MAX_NS) return `packet ${i}: sequence ${seq} time ${s} beyond 2^53-1`;
      seqSum.set(seq, s);
    }
    const fe = p.ftrace_events as { event?: { timestamp?: unknown }[] } | undefined;
    if (fe?.event) {
      for (let k = 0; k < fe.event.length; k++) {
        const r3 = check(fe.event[k]!.timestamp, `packet ${i} ftrace event ${k}`);
        if (r3) return r3;
      }
    }
  }
  return null;
}

export function validateFolded(bytes: Uint8Array): string | null {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return 'not UTF-8';
  }
  if (text === '') return null;
  if (!text.endsWith('\n')) return 'no final line end';
  const lines = text.slice(0, -1).split('\n');
  for (let i = 0; i < lines.length; i++) if (!/^.+ \d+$/.test(lines[i]!)) return `line ${i + 1} is not "stack weight": ${JSON.stringify(lines[i]!.slice(0, 120))}`;
  return null;
}

export function validateCsv(bytes: Uint8Array): string | null {
  let s: string;
  try {
    s = utf8.decode(bytes);
  } catch {
    return 'not UTF-8';
  }
  if (s === '') return null;
  let cols = -1;
  let fields = 0;
  let row = 1;
  let i = 0;
  const n = s.length;
  while (i < n) {
    // One field.
    if (s.charCodeAt(i) === 34) {
      i++;
      for (;;) {
        if (i >= n) return `row ${row}: unterminated quoted field`;
        if (s.charCodeAt(i) === 34) {
          if (s.charCodeAt(i + 1) === 34) i += 2;
          else {
            i++;
            break;
          }
        } else i++;
      }
    } else {
      while (i < n) {
        const c = s.charCodeAt(i);
        if (c === 44 || c === 13) break;
        if (c === 34) return `row ${row}: quote inside an unquoted field`;
        if (c === 10) return `row ${row}: bare LF`;
        i++;
      }
    }
    fields++;
    const c = s.charCodeAt(i);
    if (c === 44) {
      i++;
      continue;
    }
    if (c === 13 && s.charCodeAt(i + 1) === 10) {
      i += 2;
      if (cols === -1) cols = fields;
      else if (fields !== cols) return `row ${row}: ${fields} fields, the header has ${cols}`;
      fields = 0;
      row++;
      continue;
    }
    return `row ${row}: field followed by ${JSON.stringify(s[i] ?? 'end of file')}`;
  }
  if (fields !== 0) return 'last row without CRLF';
  return null;
}

export function validateText(bytes: Uint8Array): string | null {
  let s: string;
  try {
    s = utf8.decode(bytes);
  } catch {
    return 'not UTF-8';
  }
  return s.endsWith('\n') ? null : 'no final line end';
}

const NAME = /[A-Za-z_:][\w.:-]*/y;
const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});/y;
// Characters XML 1.0 does not allow anywhere (C0 controls but tab, LF, CR; U+FFFE, U+FFFF).
const XML_BAD_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

/**
 * XML well-formedness of one document: one root element, tags closed in order, attributes
 * quoted once each, `&` only as an entity, `<` only as markup, CDATA/comments/PIs closed, no
 * character XML forbids. Returns null when well formed.
 */
export function xmlProblem(s: string): string | null {
  const bad = XML_BAD_CHAR.exec(s);
  if (bad) return `character U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${bad.index}`;
  const stack: string[] = [];
  let roots = 0;
  let i = 0;
  const entityAt = (j: number) => {
    ENTITY.lastIndex = j;
    return ENTITY.test(s);
  };
  while (i < s.length) {
    const lt = s.indexOf('<', i);
    const text = s.slice(i, lt < 0 ? s.length : lt);
    for (let a = text.indexOf('&'); a >= 0; a = text.indexOf('&', a + 1)) if (!entityAt(i + a)) return `bare & at ${i + a}`;
    if (stack.length === 0 && text.trim() !== '') return `text outside the root element at ${i}`;
    if (lt < 0) break;
    i = lt;
    const closeOf = (open: string, close: string, what: string): string | null => {
      const e = s.indexOf(close, i + open.length);
      if (e < 0) return `${what} at ${i} not closed`;
      i = e + close.length;
      return null;
    };
    if (s.startsWith('<![CDATA[', i)) {
      if (stack.length === 0) return `CDATA outside the root element at ${i}`;
      const r = closeOf('<![CDATA[', ']]>', 'CDATA');
      if (r) return r;
      continue;
    }
    if (s.startsWith('<!--', i)) {
      const r = closeOf('<!--', '-->', 'comment');
      if (r) return r;
      continue;
    }
    if (s.startsWith('<?', i)) {
      const r = closeOf('<?', '?>', 'processing instruction');
      if (r) return r;
      continue;
    }
    const closing = s[i + 1] === '/';
    NAME.lastIndex = i + (closing ? 2 : 1);
    const m = NAME.exec(s);
    if (!m) return `< not starting a tag at ${i}`;
    const name = m[0];
    let j = NAME.lastIndex;
    if (closing) {
      while (/\s/.test(s[j] ?? '')) j++;
      if (s[j] !== '>') return `bad closing tag </${name} at ${i}`;
      const open = stack.pop();
      if (open !== name) return `</${name}> at ${i} closes <${open ?? 'nothing'}>`;
      i = j + 1;
      continue;
    }
    const attrs = new Set<string>();
    for (;;) {
      const ws = j;
      while (/\s/.test(s[j] ?? '')) j++;
      if (s[j] === '>' || s.startsWith('/>', j)) break;
      if (j === ws) return `tag <${name} at ${i}: attribute without space before it at ${j}`;
      NAME.lastIndex = j;
      const an = NAME.exec(s);
      if (!an) return `tag <${name} at ${i}: bad attribute at ${j}`;
      if (attrs.has(an[0])) return `tag <${name} at ${i}: attribute ${an[0]} twice`;
      attrs.add(an[0]);
      j = NAME.lastIndex;
      while (/\s/.test(s[j] ?? '')) j++;
      if (s[j] !== '=') return `tag <${name} at ${i}: attribute ${an[0]} without =`;
      j++;
      while (/\s/.test(s[j] ?? '')) j++;
      const q = s[j];
      if (q !== '"' && q !== "'") return `tag <${name} at ${i}: attribute ${an[0]} not quoted`;
      const end = s.indexOf(q, j + 1);
      if (end < 0) return `tag <${name} at ${i}: attribute ${an[0]} not closed`;
      const v = s.slice(j + 1, end);
      if (v.includes('<')) return `tag <${name} at ${i}: < in attribute ${an[0]}`;
      for (let a = v.indexOf('&'); a >= 0; a = v.indexOf('&', a + 1)) if (!entityAt(j + 1 + a)) return `bare & in attribute ${an[0]} at ${j + 1 + a}`;
      j = end + 1;
    }
    if (stack.length === 0 && ++roots > 1) return `second root element <${name}> at ${i}`;
    if (s[j] === '>') stack.push(name);
    i = j + (s[j] === '>' ? 1 : 2);
  }
  if (stack.length) return `<${stack[stack.length - 1]}> not closed`;
  return roots === 1 ? null : 'no root element';
}

/** SVG: UTF-8 ending in a line end, well-formed XML with an <svg> root. */
export function validateSvg(bytes: Uint8Array): string | null {
  const t = validateText(bytes);
  if (t) return t;
  const s = utf8.decode(bytes);
  if (!/^(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>]/.test(s)) return 'no <svg> root';
  return xmlProblem(s);
}

/** HTML page: UTF-8 ending in a line end; every inline <svg> is well-formed XML (as the SVG output is). */
export function validateHtml(bytes: Uint8Array): string | null {
  const t = validateText(bytes);
  if (t) return t;
  const s = utf8.decode(bytes);
  for (let a = s.indexOf('<svg'); a >= 0; a = s.indexOf('<svg', a + 1)) {
    const e = s.indexOf('</svg>', a);
    if (e < 0) return `<svg> at ${a} not closed`;
    const r = xmlProblem(s.slice(a, e + 6));
    if (r) return `inline svg at ${a}: ${r}`;
    a = e;
  }
  return null;
}

/** The validator of each output format by name (formats without one get the text check). */
export const VALIDATORS: Record<string, Validator> = {
  'chrome-json': validateChromeJson,
  perfetto: validatePerfetto,
  folded: validateFolded,
  csv: validateCsv,
  top: validateText,
  svg: validateSvg,
  html: validateHtml,
};

export function validatorFor(output: string, binary: boolean): Validator | null {
  return VALIDATORS[output] ?? (binary ? null : validateText);
}

/**
 * Babeltrace's field text: `{ a = 1, b = "x", c = [ [0] = 1 ], d = ( "LABEL" : container = 3 ) }`.
 *
 * One pass with a small recursive-descent parser over the line (charCode scanning, no regex),
 * giving plain JS values. What both printers write (babeltrace2 `print.c`, babeltrace 1
 * `ctf-text`):
 *
 * - structures `{ name = value, ... }`, empty `{ }`; variants and options print their selected
 *   field inside braces without a name (`{ 42 }`), a missing option is `<none>`;
 * - arrays and sequences `[ [0] = v, [1] = v ]` (names off: `[ v, v ]`);
 * - integers in their display base: decimal (signed), `0x1F` (hex), `0755` (octal), `0b101`;
 *   reals `%g` (`1.5`, `1e+10`, `nan`, `-inf`); booleans `true`/`false`;
 * - strings in double quotes; babeltrace2 escapes `\\ \' \" \? \0 \a \b \e \f \n \r \t \v \xHH`,
 *   babeltrace 1 prints them raw (so a quote ends a string only before `,`, `}`, `]`, `:`, `)`
 *   or the end of the line, and an unknown escape keeps its backslash);
 * - enumerations `( "LABEL" : container = 1 )`, several labels `( "A", "B" : container = 3 )`,
 *   none `( <unknown> : container = 9 )`.
 */
import type { Args } from '../../model/events.js';

/** An enumeration value: its labels (empty when babeltrace printed `<unknown>`) and integer. */
export class EnumValue {
  constructor(
    readonly labels: string[],
    readonly value: Scalar,
  ) {}
}

export type Scalar = string | number | boolean | null;
export type Value = Scalar | EnumValue | Value[] | Fields;
export interface Fields {
  [name: string]: Value;
}

const SP = 32;
const COMMA = 44;
const LBRACE = 123;
const RBRACE = 125;
const LBRACK = 91;
const RBRACK = 93;
const QUOTE = 34;
const BSLASH = 92;
const LPAREN = 40;
const RPAREN = 41;
const LT = 60;
const COLON = 58;
const EQ = 61;

/** A field name (`cpu_id`, `_seqfield1_length`, `stream.packet.context`, `trace:hostname`). */
function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 58 || c === 36 || c === 45;
}

/**
 * Field names repeat on every line: hand out one internalized string per name, so building the
 * field objects takes V8's fast property paths (a fresh slice as a key costs a string-table
 * lookup on every store).
 */
const names = new Map<number, string[]>();
let namesCount = 0;

export function internName(s: string, start: number, end: number): string {
  const key = (end - start) * 65536 + s.charCodeAt(start) * 256 + (s.charCodeAt(end - 1) & 255);
  let list = names.get(key);
  if (list) {
    for (let k = 0; k < list.length; k++) if (s.startsWith(list[k]!, start)) return list[k]!;
  } else if (namesCount < 50_000) names.set(key, (list = []));
  const name = s.slice(start, end);
  if (!list || list.length >= 32) return name;
  const o: Record<string, number> = {};
  o[name] = 0;
  const interned = Object.keys(o)[0]!;
  list.push(interned);
  namesCount++;
  return interned;
}

/**
 * Parses values out of one line. `pos` moves as values are read; `error` holds the first
 * problem (the value read so far is still returned, so a damaged line keeps what was readable).
 */
export class ValueReader {
  pos = 0;
  error: string | undefined;
  private depth = 0;

  constructor(public s: string) {}

  /** Starts reading another line. */
  reset(s: string, pos: number): void {
    this.s = s;
    this.pos = pos;
    this.error = undefined;
    this.depth = 0;
  }

  private fail(why: string): void {
    if (this.error === undefined) this.error = `${why} at column ${this.pos + 1}`;
  }

  private skipSpaces(): void {
    const s = this.s;
    let i = this.pos;
    while (i < s.length && s.charCodeAt(i) === SP) i++;
    this.pos = i;
  }

  /** Reads one value at `pos`. */
  value(): Value {
    this.skipSpaces();
    const c = this.s.charCodeAt(this.pos);
    switch (c) {
      case LBRACE:
        return this.struct();
      case LBRACK:
        return this.array();
      case QUOTE:
        return this.string();
      case LPAREN:
        return this.enumeration();
      case LT: {
        const end = this.s.indexOf('>', this.pos);
        if (end === -1) {
          this.fail('unterminated <...>');
          this.pos = this.s.length;
          return null;
        }
        const t = this.s.slice(this.pos, end + 1);
        this.pos = end + 1;
        return t === '<none>' ? null : t;
      }
      default:
        return this.scalar();
    }
  }

  /** `{ a = 1, b = 2 }`, `{ }`, `{ 42 }` (variant/option: the value itself). */
  struct(): Fields | Value {
    const s = this.s;
    this.pos++; // {
    if (++this.depth > 64) {
      this.fail('fields nested too deep');
      this.pos = s.length;
      return {};
    }
    const out: Fields = {};
    let unnamed: Value[] | undefined;
    let named = 0;
    for (;;) {
      this.skipSpaces();
      if (this.pos >= s.length) {
        this.fail('unterminated {');
        break;
      }
      const c = s.charCodeAt(this.pos);
      if (c === RBRACE) {
        this.pos++;
        break;
      }
      if (c === COMMA) {
        this.pos++;
        continue;
      }
      const name = this.nameBeforeEquals();
      const v = this.value();
      if (name !== undefined) {
        out[name === '__proto__' ? '__proto__ ' : name] = v;
        named++;
      } else (unnamed ??= []).push(v);
      if (this.error !== undefined) break;
      this.skipSpaces();
      const d = s.charCodeAt(this.pos);
      if (d === COMMA) this.pos++;
      else if (d !== RBRACE) {
        this.fail('expected , or }');
        break;
      }
    }
    this.depth--;
    if (unnamed) {
      // A variant or option prints its one selected field without a name.
      if (named === 0 && unnamed.length === 1) return unnamed[0]!;
      unnamed.forEach((v, k) => (out[String(k)] = v));
    }
    return out;
  }

  /** `name = ` at pos: returns the name and moves past ` = `, or leaves pos alone. */
  private nameBeforeEquals(): string | undefined {
    const s = this.s;
    let i = this.pos;
    const c0 = s.charCodeAt(i);
    // Names start with a letter or `_`; values with a digit, `-`, a quote or a bracket.
    if (!((c0 >= 97 && c0 <= 122) || (c0 >= 65 && c0 <= 90) || c0 === 95)) return undefined;
    i++;
    while (i < s.length && isNameChar(s.charCodeAt(i))) i++;
    if (s.charCodeAt(i) === SP && s.charCodeAt(i + 1) === EQ && s.charCodeAt(i + 2) === SP) {
      const name = internName(s, this.pos, i);
      this.pos = i + 3;
      return name;
    }
    return undefined;
  }

  /** `[ [0] = 1, [1] = 2 ]` or `[ 1, 2 ]`. */
  array(): Value[] {
    const s = this.s;
    this.pos++; // [
    const out: Value[] = [];
    if (++this.depth > 64) {
      this.fail('fields nested too deep');
      this.pos = s.length;
      return out;
    }
    for (;;) {
      this.skipSpaces();
      if (this.pos >= s.length) {
        this.fail('unterminated [');
        break;
      }
      const c = s.charCodeAt(this.pos);
      if (c === RBRACK) {
        this.pos++;
        break;
      }
      if (c === COMMA) {
        this.pos++;
        continue;
      }
      if (c === LBRACK) {
        // `[N] = ` index
        const close = s.indexOf('] = ', this.pos);
        if (close !== -1 && close - this.pos < 24) this.pos = close + 4;
      }
      out.push(this.value());
      if (this.error !== undefined) break;
      this.skipSpaces();
      const d = s.charCodeAt(this.pos);
      if (d === COMMA) this.pos++;
      else if (d !== RBRACK) {
        this.fail('expected , or ]');
        break;
      }
    }
    this.depth--;
    return out;
  }

  /** A quoted string; see the module comment for the two printers' escaping. */
  string(): string {
    const s = this.s;
    const start = this.pos + 1;
    let i = start;
    let escaped = false;
    for (;;) {
      if (i >= s.length) {
        this.fail('unterminated string');
        this.pos = s.length;
        return escaped ? unescape(s.slice(start)) : s.slice(start);
      }
      const c = s.charCodeAt(i);
      if (c === BSLASH) {
        escaped = true;
        // `\"` is an escaped quote, unless it is the last quote of the line: then it closes a
        // babeltrace 1 string that ends in a raw backslash.
        i += s.charCodeAt(i + 1) === QUOTE && s.indexOf('"', i + 2) === -1 && endsValue(s, i + 2) ? 1 : 2;
        continue;
      }
      if (c === QUOTE && endsValue(s, i + 1)) {
        this.pos = i + 1;
        const raw = s.slice(start, i);
        return escaped ? unescape(raw) : raw;
      }
      i++;
    }
  }

  /** `( "A", "B" : container = 3 )`, `( <unknown> : container = 9 )`. */
  enumeration(): EnumValue | string {
    const s = this.s;
    this.pos++; // (
    const labels: string[] = [];
    for (;;) {
      this.skipSpaces();
      const c = s.charCodeAt(this.pos);
      if (c === QUOTE) labels.push(this.string());
      else if (c === LT) {
        const end = s.indexOf('>', this.pos);
        if (end === -1) break;
        this.pos = end + 1;
      } else if (c === COMMA || c === 124 /* | */) this.pos++;
      else break;
    }
    this.skipSpaces();
    if (s.charCodeAt(this.pos) !== COLON) {
      this.fail('expected : container = in an enumeration');
      return labels.join('|');
    }
    this.pos++;
    this.skipSpaces();
    if (!s.startsWith('container = ', this.pos)) {
      this.fail('expected container = in an enumeration');
      return labels.join('|');
    }
    this.pos += 12;
    const v = this.scalar();
    this.skipSpaces();
    if (s.charCodeAt(this.pos) === RPAREN) this.pos++;
    else this.fail('expected ) after an enumeration');
    return new EnumValue(labels, v);
  }

  /** A number, boolean or bare word, up to the next delimiter. */
  scalar(): Scalar {
    const s = this.s;
    const start = this.pos;
    let i = start;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c === SP || c === COMMA || c === RBRACE || c === RBRACK || c === RPAREN) break;
      i++;
    }
    this.pos = i;
    if (i === start) {
      this.fail('expected a value');
      return '';
    }
    return scalarOf(s, start, i);
  }
}

/** The closing quote of a string is followed by a delimiter (or ends the line). */
function endsValue(s: string, i: number): boolean {
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

function unescape(raw: string): string {
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
function scalarOf(s: string, start: number, end: number): Scalar {
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

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
import { EnumValue, type Fields, type Scalar, type Value } from './fields.js';
import { internName } from './names.js';
import { BSLASH, COLON, COMMA, endsValue, EQ, isNameChar, LBRACE, LBRACK, LPAREN, LT, QUOTE, RBRACE, RBRACK, RPAREN, scalarOf, SP, unescape } from './scalars.js';

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

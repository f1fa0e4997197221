/**
 * Protocol buffer wire encoding straight into the output buffer, field by field, producing the
 * bytes protobufjs's reflection encoder produces for the same message (fields in ascending number
 * order, the same varint forms for negative int32/int64, unpacked repeated scalars): a test
 * decodes both and compares (test/outputs/perfetto-encoding.test.ts).
 *
 * A nested message is opened with `open(field)` and closed with `close()`: one byte is reserved
 * for its length and, in the rare case the body reaches 128 bytes, the body is moved up to make
 * room for a longer varint.
 */
import { ByteOut } from '../byte-out.js';

const VARINT = 0;
const I64 = 1;
const LEN = 2;

const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);

export class ProtoWriter extends ByteOut {
  /** Positions of the length bytes of the open nested messages, innermost last. */
  private readonly stack: number[] = [];

  protected override moved(by: number): void {
    const st = this.stack;
    for (let i = 0; i < st.length; i++) st[i]! -= by;
  }

  /** An unsigned varint of a non-negative safe integer. */
  varint(n: number): void {
    this.ensure(10);
    const buf = this.buf;
    let p = this.pos;
    if (n < 0x80000000) {
      let v = n >>> 0;
      while (v > 127) {
        buf[p++] = (v & 127) | 128;
        v >>>= 7;
      }
      buf[p++] = v;
      this.pos = p;
      return;
    }
    this.pos = p;
    this.varint64(n);
  }

  /** Any number as protobufjs writes a uint64/int64 given as a JS number (two's complement). */
  varint64(value: number): void {
    this.ensure(10);
    let lo: number;
    let hi: number;
    if (value === 0) lo = hi = 0;
    else {
      const sign = value < 0;
      if (sign) value = -value;
      lo = value >>> 0;
      hi = ((value - lo) / 4294967296) >>> 0;
      if (sign) {
        hi = ~hi >>> 0;
        lo = ~lo >>> 0;
        if (++lo > 4294967295) {
          lo = 0;
          if (++hi > 4294967295) hi = 0;
        }
      }
    }
    this.loHi(lo, hi);
  }

  /** A varint of the 64-bit value hi·2^32 + lo. */
  private loHi(lo: number, hi: number): void {
    this.ensure(10);
    const buf = this.buf;
    let p = this.pos;
    while (hi) {
      buf[p++] = (lo & 127) | 128;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    while (lo > 127) {
      buf[p++] = (lo & 127) | 128;
      lo = lo >>> 7;
    }
    buf[p++] = lo;
    this.pos = p;
  }

  private key(field: number, wire: number): void {
    const k = field * 8 + wire;
    this.ensure(2);
    if (k < 128) this.buf[this.pos++] = k;
    else {
      this.buf[this.pos++] = (k & 127) | 128;
      this.varint(k >>> 7);
    }
  }

  /** uint64 / int64 field from a number. */
  u64(field: number, v: number): void {
    this.key(field, VARINT);
    if (v >= 0 && v < 0x80000000) this.varint(v);
    else this.varint64(v);
  }

  i64(field: number, v: number): void {
    this.u64(field, v);
  }

  /** uint64 field from a decimal string (values past 2^53), modulo 2^64 as protobufjs reads it. */
  u64Decimal(field: number, s: string): void {
    this.key(field, VARINT);
    const v = BigInt.asUintN(64, BigInt(s));
    this.loHi(Number(v & 0xffffffffn), Number(v >> 32n));
  }

  /** uint32 field (the value taken modulo 2^32, as protobufjs does). */
  u32(field: number, v: number): void {
    this.key(field, VARINT);
    this.varint(v >>> 0);
  }

  /** int32 and enum fields: negative values as ten-byte varints. */
  i32(field: number, v: number): void {
    this.key(field, VARINT);
    v |= 0;
    if (v < 0) this.varint64(v);
    else this.varint(v);
  }

  bool(field: number, v: boolean): void {
    this.key(field, VARINT);
    this.ensure(1);
    this.buf[this.pos++] = v ? 1 : 0;
  }

  double(field: number, v: number): void {
    this.key(field, I64);
    this.ensure(8);
    f64[0] = v;
    this.buf.set(f64Bytes, this.pos);
    this.pos += 8;
  }

  /** fixed64 from a number (two's complement for negatives). */
  fixed64(field: number, v: number): void {
    this.key(field, I64);
    this.ensure(8);
    let lo: number;
    let hi: number;
    const sign = v < 0;
    const a = sign ? -v : v;
    lo = a >>> 0;
    hi = ((a - lo) / 4294967296) >>> 0;
    if (sign) {
      hi = ~hi >>> 0;
      lo = ~lo >>> 0;
      if (++lo > 4294967295) {
        lo = 0;
        if (++hi > 4294967295) hi = 0;
      }
    }
    this.buf.writeUInt32LE(lo, this.pos);
    this.buf.writeUInt32LE(hi, this.pos + 4);
    this.pos += 8;
  }

  string(field: number, s: string): void {
    this.key(field, LEN);
    const n = s.length;
    if (n < 128) {
      // Reserve one length byte and write in place; fix up when the text was not ASCII or long.
      this.ensure(1 + n);
      const at = this.pos++;
      const buf = this.buf;
      let p = this.pos;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[p++] = c;
      }
      if (i === n) {
        buf[at] = n;
        this.pos = p;
        return;
      }
      this.pos = at;
    }
    const len = Buffer.byteLength(s, 'utf8');
    this.varint(len);
    this.ensure(len);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  /** Opens a nested message (or a packed run) as field `field`. */
  open(field: number): void {
    this.key(field, LEN);
    this.ensure(1);
    this.stack.push(this.pos++);
  }

  close(): void {
    const st = this.stack;
    let at = st[st.length - 1]!;
    const len = this.pos - at - 1;
    if (len < 128) {
      this.buf[at] = len;
      st.pop();
      return;
    }
    let extra = 1;
    for (let v = len >>> 14; v > 0; v >>>= 7) extra++;
    this.ensure(extra);
    at = st.pop()!;
    this.buf.copyWithin(at + 1 + extra, at + 1, this.pos);
    const end = this.pos + extra;
    this.pos = at;
    this.varint(len);
    this.pos = end;
  }
}

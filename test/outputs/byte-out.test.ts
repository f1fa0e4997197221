/**
 * The writers' byte output: numbers, JSON and CSV text written in place must be, byte for byte,
 * what String(), JSON.stringify and csvText give; views handed out are never written over.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nsToUsString } from '../../src/model/time.js';
import { ByteOut, CHUNK_BYTES } from '../../src/outputs/byte-out.js';
import { argsCell, text } from '../../src/outputs/csv-cells.js';
import { csvText } from '../../src/outputs/csv.js';
import { jsonObject, jsonString, usTime } from '../../src/outputs/json-text.js';

function written(f: (o: ByteOut) => void): string {
  const o = new ByteOut(16);
  f(o);
  return Buffer.from(o.take() ?? new Uint8Array(0)).toString('utf8');
}

const scalar = fc.oneof(fc.string({ unit: 'binary' }), fc.integer(), fc.double(), fc.boolean(), fc.constant(undefined), fc.maxSafeInteger());
const names = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('vfs_read', '=cmd', '-x', 'a,b', 'q"q', 'ünï', ''));

describe('ByteOut', () => {
  it('writes integers as String() does', () => {
    fc.assert(fc.property(fc.oneof(fc.maxSafeInteger(), fc.integer(), fc.double(), fc.constant(-0)), (n) => {
      expect(written((o) => o.int(n))).toBe(String(n));
    }));
  });

  it('writes any string as UTF-8, as Buffer.from does', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => {
      const o = new ByteOut(16);
      o.utf8(s);
      expect(Buffer.from(o.take() ?? new Uint8Array(0)).equals(Buffer.from(s, 'utf8'))).toBe(true);
    }));
  });

  it('copies a range of another buffer, short or long, as it is', () => {
    const src = Buffer.from(Array.from({ length: 2000 }, (_, i) => (i * 7) & 0xff));
    const o = new ByteOut(64);
    const want: number[] = [];
    for (const [from, to] of [[0, 0], [3, 4], [10, 266], [5, 262], [100, 1900], [1999, 2000]] as const) {
      o.copyRange(src, from, to);
      want.push(...src.subarray(from, to));
    }
    expect([...o.take()!]).toEqual(want);
  });

  it('never writes over what it handed out', () => {
    const o = new ByteOut();
    const parts: [Buffer, string][] = [];
    for (let i = 0; i < 300; i++) {
      const s = `${i}:`.padEnd(1 + ((i * 7919) % 20000), 'x');
      o.ascii(s);
      if (i % 3 === 0) parts.push([o.take()!, s]);
      else {
        o.ascii('|');
        parts.push([o.take()!, `${s}|`]);
      }
    }
    for (const [b, s] of parts) expect(b.toString('latin1')).toBe(s);
    expect(CHUNK_BYTES).toBeGreaterThan(20000);
  });
  it('uses a chunk again whose views were all written while it was still being written into', () => {
    const o = new ByteOut();
    o.written(new Uint8Array(1));
    o.ensure(1000);
    o.pos += 1000;
    const v1 = o.take()!;
    const A = v1.buffer;
    o.written(v1); // A is still the chunk at hand
    o.ensure(CHUNK_BYTES); // does not fit: A is replaced, nothing of it is out
    expect(o.buf.buffer === A).toBe(false);
    o.pos += CHUNK_BYTES;
    const v2 = o.take()!; // that chunk is full: the next one is A again
    expect(v2.buffer === A).toBe(false);
    expect(o.buf.buffer === A).toBe(true);
  });

  it('uses a chunk again only once every view of it is reported written, and not before the first report', () => {
    const fill = (o: ByteOut, n: number, c: number) => {
      o.ensure(n);
      o.buf.fill(c, o.pos, o.pos + n);
      o.pos += n;
    };
    const near = CHUNK_BYTES - 1000;
    // No report yet: every chunk is new.
    const quiet = new ByteOut();
    const seen = new Set<ArrayBufferLike>();
    for (let k = 0; k < 4; k++) {
      fill(quiet, near, k);
      seen.add(quiet.take()!.buffer);
    }
    expect(seen.size).toBe(4);

    const o = new ByteOut();
    o.written(new Uint8Array(1)); // the first report (of something not its own) starts the tracking
    fill(o, 1000, 1);
    const a1 = o.take()!;
    fill(o, near - 1000, 2);
    const a2 = o.take()!; // chunk A is full: the next bytes go to a new chunk B
    const A = a1.buffer;
    expect(a2.buffer === A).toBe(true);
    const copies = [Buffer.from(a1), Buffer.from(a2)];
    o.written(a1);
    fill(o, near, 3);
    const b = o.take()!; // chunk B full; A still has a view out: C is new
    expect(b.buffer === A).toBe(false);
    fill(o, near, 4);
    const c = o.take()!;
    expect(c.buffer === A).toBe(false);
    expect(Buffer.from(a1).equals(copies[0]!) && Buffer.from(a2).equals(copies[1]!)).toBe(true);
    o.written(a2); // every view of A is written: A comes back when the chunk at hand is full
    fill(o, near, 5);
    const d = o.take()!;
    expect(d.buffer === A).toBe(false);
    fill(o, near, 6);
    const e = o.take()!;
    expect(e.buffer === A).toBe(true);
    expect(e.every((x) => x === 6) && d.every((x) => x === 5)).toBe(true);
    expect(b.every((x) => x === 3) && c.every((x) => x === 4)).toBe(true);
  });
});

describe('JSON text', () => {
  it('writes strings as JSON.stringify does, in CSV mode with quotes doubled', () => {
    fc.assert(
      fc.property(names, (s) => {
        expect(written((o) => jsonString(o, s))).toBe(JSON.stringify(s));
        expect(written((o) => jsonString(o, s, true))).toBe(JSON.stringify(s).replace(/"/g, '""'));
      }),
    );
  });

  it('writes objects of scalars as JSON.stringify does', () => {
    fc.assert(fc.property(fc.dictionary(names, scalar), (a) => {
      expect(written((o) => jsonObject(o, a))).toBe(JSON.stringify(a));
    }));
  });

  it('writes times in µs as nsToUsString does', () => {
    fc.assert(fc.property(fc.oneof(fc.maxSafeInteger(), fc.integer({ min: 0, max: 5000 }), fc.double()), (ns) => {
      expect(written((o) => usTime(o, ns))).toBe(nsToUsString(ns));
    }));
  });
});

describe('CSV cells', () => {
  it('write text cells as csvText does', () => {
    fc.assert(fc.property(names, (s) => {
      expect(written((o) => text(o, s))).toBe(csvText(s));
    }));
  });

  it('write the args cell as csvText(JSON.stringify(args)) does', () => {
    fc.assert(
      fc.property(fc.dictionary(names, scalar), (a) => {
        const want = Object.keys(a).length ? csvText(JSON.stringify(a)) : '';
        expect(written((o) => argsCell(o, a))).toBe(want);
      }),
    );
  });
});

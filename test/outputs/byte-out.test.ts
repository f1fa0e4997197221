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

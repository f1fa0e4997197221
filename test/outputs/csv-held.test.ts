import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../src/model/events.js';
import { csv, HELD_BYTES, HELD_ROWS } from '../../src/outputs/csv.js';

const FRAMES = Array.from({ length: 40 }, (_, k) => ({ name: `function_with_a_long_name_${k}` }));
const TRACK: TraceEvent = { kind: 'track', track: { kind: 'thread', id: 0, pid: 7, tid: 7, name: 'worker', processName: 'worker' } };

/** `count` batches of `per` samples of a long stack on one thread, at times `ts(i)`. */
function batches(count: number, per: number, ts: (i: number) => number): TraceEvent[][] {
  const out: TraceEvent[][] = [];
  for (let b = 0; b < count; b++) {
    const evs: TraceEvent[] = b === 0 ? [TRACK] : [];
    for (let k = 0; k < per; k++) evs.push({ kind: 'sample', ts: ts(b * per + k), track: 0, frames: FRAMES, weight: 1 });
    out.push(evs);
  }
  return out;
}

const rowsIn = (b: Uint8Array | null) => {
  let n = 0;
  if (b) for (let i = 0; i < b.length; i++) if (b[i] === 10) n++;
  return n;
};

describe('csv held rows', () => {
  it('are bounded by bytes, not only by count: rows of long stacks are written while the input goes on', () => {
    const w = csv.createWriter({});
    const per = 100;
    const count = 200; // 20,000 rows of ~1.2 KB: far below HELD_ROWS, three times HELD_BYTES
    expect(count * per).toBeLessThan(HELD_ROWS);
    let made = 0;
    let written = -1; // the header line
    let bytes = 0;
    let maxHeld = 0;
    for (const evs of batches(count, per, (i) => i * 1000)) {
      const out = w.push(evs);
      written += rowsIn(out);
      bytes += out?.length ?? 0;
      made += per;
      maxHeld = Math.max(maxHeld, made - written);
    }
    const tail = w.end();
    expect(written + rowsIn(tail)).toBe(made);
    const rowBytes = (bytes + (tail?.length ?? 0)) / made;
    expect(rowBytes).toBeGreaterThan(1000);
    // Released during the run, and never more than HELD_BYTES (and one batch) waiting.
    expect(written).toBeGreaterThan(made / 2);
    expect(maxHeld * rowBytes).toBeLessThanOrEqual(HELD_BYTES + per * rowBytes);
  });

  it('keep time order across releases when nothing is open', () => {
    const w = csv.createWriter({});
    const chunks: Buffer[] = [];
    // Times run backwards within each batch of 100, forwards from batch to batch.
    for (const evs of batches(200, 100, (i) => Math.floor(i / 100) * 1e6 + (99 - (i % 100)) * 10)) {
      const out = w.push(evs);
      if (out) chunks.push(Buffer.from(out));
    }
    chunks.push(Buffer.from(w.end()!));
    expect(chunks.length).toBeGreaterThan(2);
    const lines = Buffer.concat(chunks).toString('utf8').trim().split('\r\n');
    expect(lines).toHaveLength(20001);
    const ts = lines.slice(1).map((l) => Number(l.split(',')[1]));
    for (let i = 1; i < ts.length; i++) expect(ts[i]).toBeGreaterThanOrEqual(ts[i - 1]!);
  });
});

describe('csv waiting-row order', () => {
  it('is the sort by time, depth, lane and arrival, whether the rows came in order or not', async () => {
    const { HeldRows } = await import('../../src/outputs/csv-rows.js');
    let seed = 11;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (const shape of ['ordered', 'ties', 'shuffled', 'one-late']) {
      const h = new HeldRows();
      const keys: [number, number, number][] = [];
      for (let i = 0; i < 500; i++) {
        const ts = shape === 'shuffled' ? rnd(50) : shape === 'ties' ? Math.floor(i / 7) : i * 10;
        const k: [number, number, number] = shape === 'ties' ? [ts, rnd(3), rnd(3) - 1] : [shape === 'one-late' && i === 300 ? 5 : ts, 0, 0];
        keys.push(k);
        h.add(k[0], k[1], k[2], i);
      }
      const want = keys
        .map((k, i) => ({ k, i }))
        .sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.k[2] - b.k[2] || a.i - b.i)
        .map((x) => x.i);
      expect([...h.sorted()], shape).toEqual(want);
    }
  });
});

describe('csv waiting rows dropped', () => {
  it('leave the others at the front with their bytes and keys, in arrival order, for runs of any length', async () => {
    const { HeldRows } = await import('../../src/outputs/csv-rows.js');
    let seed = 5;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (const pattern of ['none', 'all', 'alternate', 'runs', 'first-half', 'last-half']) {
      const h = new HeldRows();
      const rows: { text: string; k: number[] }[] = [];
      for (let i = 0; i < 400; i++) {
        const text = `row ${i} ${'x'.repeat(rnd(300))}\r\n`;
        const k = [rnd(1000), rnd(4), rnd(9)];
        const at = h.buf.pos;
        h.buf.ascii(text);
        h.add(k[0]!, k[1]!, k[2]!, at);
        rows.push({ text, k });
      }
      const gone = new Uint8Array(h.n);
      let runLeft = 0;
      let runGone = false;
      for (let i = 0; i < h.n; i++) {
        if (pattern === 'all') gone[i] = 1;
        else if (pattern === 'alternate') gone[i] = i & 1;
        else if (pattern === 'first-half') gone[i] = i < 200 ? 1 : 0;
        else if (pattern === 'last-half') gone[i] = i >= 200 ? 1 : 0;
        else if (pattern === 'runs') {
          if (runLeft === 0) [runLeft, runGone] = [1 + rnd(20), !runGone];
          runLeft--;
          gone[i] = runGone ? 1 : 0;
        }
      }
      const kept = rows.filter((_, i) => !gone[i]);
      h.compact(gone);
      expect(h.n, pattern).toBe(kept.length);
      expect(h.buf.buf.toString('latin1', 0, h.buf.pos), pattern).toBe(kept.map((r) => r.text).join(''));
      for (let i = 0; i < h.n; i++) {
        expect(h.buf.buf.toString('latin1', h.at[i]!, h.end(i)), pattern).toBe(kept[i]!.text);
        expect([h.ts[i], h.rank[i], h.track[i]], pattern).toEqual(kept[i]!.k);
      }
    }
  });
});

describe('csv releases in pieces', () => {
  it('hand out the bytes push gives, a piece at a time, in chunks used again once written', () => {
    const byPush = csv.createWriter({});
    const byPieces = csv.createWriter({});
    const want: Buffer[] = [];
    const got: Buffer[] = [];
    const memory = new Set<ArrayBufferLike>();
    let pieces = 0;
    for (const evs of batches(300, 100, (i) => i * 1000)) {
      const b = byPush.push(evs);
      if (b) want.push(Buffer.from(b));
      for (const p of byPieces.pushChunks!(evs)) {
        const u = p as Uint8Array;
        expect(u.length).toBeLessThanOrEqual(256 << 10);
        got.push(Buffer.from(u));
        memory.add(u.buffer);
        pieces++;
        // As the pipeline does once the piece is in the file.
        byPieces.written!(u);
      }
    }
    want.push(Buffer.from(byPush.end()!));
    // The end, too, in pieces (what end() gives, never gathered into one buffer).
    for (const p of byPieces.endChunks!()) {
      const u = p as Uint8Array;
      expect(u.length).toBeLessThanOrEqual(256 << 10);
      got.push(Buffer.from(u));
      byPieces.written!(u);
    }
    expect(Buffer.concat(got).equals(Buffer.concat(want))).toBe(true);
    // About 36 MB of rows went out in more than a hundred pieces, through a few chunks.
    expect(Buffer.concat(got).length).toBeGreaterThan(30e6);
    expect(pieces).toBeGreaterThan(100);
    expect(memory.size).toBeLessThanOrEqual(6);
  });

  it('may not be left half taken', () => {
    const w = csv.createWriter({});
    const [first, ...rest] = batches(200, 100, (i) => i * 1000);
    w.push(first!);
    let it: Iterator<Uint8Array | string> | undefined;
    for (const evs of rest) {
      it = w.pushChunks!(evs)[Symbol.iterator]();
      const r = it.next();
      if (!r.done && !it.next().done) break;
      while (!it.next().done);
      it = undefined;
    }
    expect(it).toBeDefined();
    expect(() => w.push(rest[0]!)).toThrow(/not all taken/);
  });
});

describe('csv stack cells', () => {
  it('are the same whether a frames array comes once or again', () => {
    for (const names of [['a', 'b'], ['-start', 'x,y', 'quote"d', 'café'], ['=1+1'], []]) {
      const shared = names.map((name) => ({ name }));
      const w = csv.createWriter({});
      const evs: TraceEvent[] = [TRACK];
      for (let k = 0; k < 3; k++) evs.push({ kind: 'sample', ts: k, track: 0, frames: shared, weight: 1 });
      evs.push({ kind: 'sample', ts: 3, track: 0, frames: names.map((name) => ({ name })), weight: 1 });
      const text = Buffer.concat([Buffer.from(w.push(evs) ?? []), Buffer.from(w.end()!)]).toString('utf8');
      const rows = text.trim().split('\r\n').slice(1);
      expect(rows).toHaveLength(4);
      const rest = rows.map((r) => r.replace(/^stack,\d,/, ''));
      expect(rest[0]).not.toBe(rows[0]);
      expect(new Set(rest).size, names.join('|')).toBe(1);
    }
  });
});

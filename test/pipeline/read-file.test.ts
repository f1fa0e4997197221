import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileChunks } from '../../src/pipeline/read-file.js';
import { SAMPLES, run } from '../support/convert-helpers.js';

async function* iterate(c: FileChunks): AsyncGenerator<Buffer> {
  for await (const chunk of c.stream) yield chunk as Buffer;
}

describe('file reads into reused buffers', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracebridge-read-'));
  const file = path.join(dir, 'in.txt');
  const bytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => `line ${i}\n`).join(''));
  fs.writeFileSync(file, bytes);

  it('gives the file bytes, reading into a chunk again only once it is handed back, poisoned first', async () => {
    const c = new FileChunks(file, 4096);
    const seen: Buffer[] = [];
    const memories = new Set<ArrayBufferLike>();
    for await (const chunk of iterate(c)) {
      const copy = Buffer.from(chunk);
      seen.push(copy);
      memories.add(chunk.buffer);
      // The reader reads ahead meanwhile; the chunk held stays as it was.
      await new Promise((r) => setTimeout(r, 1));
      expect(chunk.equals(copy)).toBe(true);
      c.done(chunk);
      expect(chunk.every((b) => b === 0xff)).toBe(true);
    }
    expect(Buffer.concat(seen).equals(bytes)).toBe(true);
    expect(c.bytesRead).toBe(bytes.length);
    expect(seen.length).toBeGreaterThan(10);
    // A few buffers served every read.
    expect(memories.size).toBeLessThanOrEqual(3);
  });

  it('leaves a chunk that is not handed back alone', async () => {
    const c = new FileChunks(file, 4096);
    const kept: Buffer[] = [];
    for await (const chunk of iterate(c)) kept.push(chunk);
    expect(Buffer.concat(kept).equals(bytes)).toBe(true);
    expect(new Set(kept.map((k) => k.buffer)).size).toBe(kept.length);
  });

  it('reads a named pipe, waiting for what its writer sends', { timeout: 20_000 }, async () => {
    const fifo = path.join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    // The writer sends the bytes in two parts, a pause between them.
    const writer = spawn('sh', ['-c', 'head -c 20000 "$0" > "$1.part"; tail -c +20001 "$0" > "$1.rest"; { cat "$1.part"; sleep 0.2; cat "$1.rest"; } > "$1"', file, fifo]);
    const closed = new Promise((r) => writer.on('close', r));
    const c = new FileChunks(fifo, 4096);
    const seen: Buffer[] = [];
    for await (const chunk of iterate(c)) {
      seen.push(Buffer.from(chunk));
      c.done(chunk);
    }
    await closed;
    expect(Buffer.concat(seen).equals(bytes)).toBe(true);
  });

  it('ignores what is not its own', () => {
    const c = new FileChunks(file, 4096);
    const other = Buffer.from('abc');
    c.done(other);
    expect(other.toString()).toBe('abc');
    c.stream.destroy();
  });
});

describe('every sample read from its file (reused read buffers) gives what its bytes in memory give', () => {
  const files = fs
    .readdirSync(SAMPLES, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.txt') || f.endsWith('.log'))
    .sort();
  it('there are samples', () => expect(files.length).toBeGreaterThan(50));
  it.each(files)('%s', async (f) => {
    const p = path.join(SAMPLES, f);
    const mem = new Uint8Array(fs.readFileSync(p));
    for (const to of ['chrome-json', 'csv', 'folded']) {
      const want = await run(mem, to, { inputName: p });
      for (const chunkSize of [97, 4096]) {
        const got = await run(p, to, { chunkSize });
        expect(got.text, `${to}, read size ${chunkSize}`).toBe(want.text);
      }
    }
  });
});

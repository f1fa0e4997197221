/**
 * A file read in large chunks into a few buffers that are used again and again. A buffer of
 * its own per read would be garbage the size of the input, held outside the heap until the
 * collector meets its small JS object (often only at a full collection), which raised peak
 * memory by tens of MB. Here the pipeline hands each chunk back (`done`) once every line of it
 * has been parsed; only then is the buffer read into again. Nothing downstream keeps a view of a
 * chunk: the line splitter copies the line a read cuts, parsers copy the bytes they keep, and the
 * lines held before the format is known are copied (`convert.ts`).
 *
 * A chunk that comes back is filled with 0xff before it is used again, so a view kept by mistake
 * gives wrong bytes at once, in every test, rather than now and then.
 */
import fs from 'node:fs';
import { Readable } from 'node:stream';

export class FileChunks {
  /** Bytes read so far. */
  bytesRead = 0;
  readonly stream: Readable;
  private readonly free: Buffer[] = [];
  /** The pool's buffers by their memory, to know a chunk that comes back. */
  private readonly mine = new Map<ArrayBufferLike, Buffer>();

  constructor(
    path: string,
    private readonly size: number,
  ) {
    this.stream = Readable.from(this.chunks(path), { objectMode: false });
  }

  /** The pipeline is done with `chunk` (a chunk of this file, or anything else: then nothing happens). */
  done(chunk: Uint8Array): void {
    const b = this.mine.get(chunk.buffer);
    if (b === undefined || this.free.includes(b)) return;
    b.fill(0xff);
    this.free.push(b);
  }

  private take(): Buffer {
    const b = this.free.pop();
    if (b) return b;
    const n = Buffer.allocUnsafeSlow(this.size);
    this.mine.set(n.buffer, n);
    return n;
  }

  private async *chunks(path: string): AsyncGenerator<Buffer> {
    const fh = await fs.promises.open(path, 'r');
    try {
      for (;;) {
        const buf = this.take();
        const { bytesRead } = await fh.read(buf, 0, buf.length, null);
        if (bytesRead === 0) {
          this.free.push(buf);
          return;
        }
        this.bytesRead += bytesRead;
        yield bytesRead === buf.length ? buf : buf.subarray(0, bytesRead);
      }
    } finally {
      await fh.close();
    }
  }
}

import { PassThrough, Readable } from 'node:stream';
import zlib from 'node:zlib';

/** Compression formats recognised by their first bytes. */
export type Compression = 'gzip' | 'none';

export function sniffCompression(b: Uint8Array): Compression {
  if (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b) return 'gzip';
  return 'none';
}

/**
 * Returns the decompressed bytes of `src`: the first chunk is looked at, and a gzip stream is
 * inflated on the fly (several concatenated members too, as `gzip -c a b` makes).
 */
export function decompressed(src: Readable): Readable {
  const out = new PassThrough();
  let decided = false;
  let target: NodeJS.WritableStream = out;
  const fail = (e: Error) => out.destroy(e);
  src.on('error', fail);
  src.on('data', (chunk: Buffer) => {
    if (!decided) {
      decided = true;
      if (sniffCompression(chunk) === 'gzip') {
        const gz = zlib.createGunzip();
        gz.on('error', fail);
        gz.pipe(out);
        target = gz;
      }
    }
    if (!target.write(chunk)) {
      src.pause();
      (target as NodeJS.WritableStream & { once(e: string, f: () => void): void }).once('drain', () => src.resume());
    }
  });
  src.on('end', () => {
    target.end();
  });
  return out;
}

import { PassThrough, Readable, Transform } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import zlib from 'node:zlib';
import { Decompress as ZstdDecompress } from 'fzstd';
import unbzip2 from 'unbzip2-stream';
import xzDecompress from 'xz-decompress';

// A CommonJS bundle whose named exports Node cannot see statically.
const { XzReadableStream } = xzDecompress;

/** Compression formats recognised by their first bytes. */
export type Compression = 'gzip' | 'xz' | 'zstd' | 'bzip2' | 'none';

/** File name endings of the compressed formats (used for naming outputs, never for detection). */
export const COMPRESSION_SUFFIXES: Record<Exclude<Compression, 'none'>, readonly string[]> = {
  gzip: ['.gz'],
  xz: ['.xz'],
  zstd: ['.zst', '.zstd'],
  bzip2: ['.bz2'],
};

/** Bytes `sniffCompression` needs to decide (fewer are fine at the end of the input). */
export const COMPRESSION_MAGIC_BYTES = 10;

/** Nested compressed layers read before giving up (`x.gz` holding `x.xz` is two). */
export const MAX_COMPRESSION_LAYERS = 4;

export function sniffCompression(b: Uint8Array): Compression {
  if (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b) return 'gzip';
  if (b.length >= 6 && b[0] === 0xfd && b[1] === 0x37 && b[2] === 0x7a && b[3] === 0x58 && b[4] === 0x5a && b[5] === 0x00) return 'xz';
  if (b.length >= 4 && b[0] === 0x28 && b[1] === 0xb5 && b[2] === 0x2f && b[3] === 0xfd) return 'zstd';
  // `BZh1`..`BZh9`, then the magic of a block (pi) or of the end of the stream (sqrt pi), so
  // text that happens to start with "BZh5" is not taken for bzip2.
  if (b.length >= 10 && b[0] === 0x42 && b[1] === 0x5a && b[2] === 0x68 && b[3]! >= 0x31 && b[3]! <= 0x39) {
    const m = Buffer.from(b.subarray(4, 10)).toString('hex');
    if (m === '314159265359' || m === '177245385090') return 'bzip2';
  }
  return 'none';
}

/** The input is corrupt or truncated compressed data (code `ECORRUPT`). */
export class CorruptDataError extends Error {
  readonly code = 'ECORRUPT';
  constructor(compression: Compression, detail: string) {
    super(`corrupt or truncated ${compression} data (${detail})`);
    this.name = 'CorruptDataError';
  }
}

/** The decompressed data grew past the limit given to `decompressed` (code `ELIMIT`). */
export class SizeLimitError extends Error {
  readonly code = 'ELIMIT';
  constructor(readonly limit: number) {
    super(`decompressed data is larger than the limit of ${limit} bytes (a decompression bomb?); stopped`);
    this.name = 'SizeLimitError';
  }
}

export interface DecompressOptions {
  /** Stop with a SizeLimitError once the decompressed bytes exceed this (default: no limit). */
  maxBytes?: number;
  /** Called with each layer found, outermost first (`['gzip']` for `x.txt.gz`, `[]` for text). */
  onCompression?: (layers: Compression[]) => void;
}

/**
 * Returns the decompressed bytes of `src`: the first bytes are looked at, and gzip, xz, zstd and
 * bzip2 are decoded on the fly (concatenated streams too, as `gzip -c a b` makes), layer after
 * layer (`x.gz` holding xz data). Anything else passes through unchanged. Streams: memory does
 * not grow with the input.
 */
export function decompressed(src: Readable, opts: DecompressOptions = {}): Readable {
  const layers: Compression[] = [];
  let out = 0;
  const limited = async function* (): AsyncGenerator<Uint8Array> {
    for await (const chunk of decode(src, layers, opts, 0)) {
      out += chunk.length;
      if (opts.maxBytes !== undefined && out > opts.maxBytes) throw new SizeLimitError(opts.maxBytes);
      yield chunk;
    }
  };
  return Readable.from(limited(), { objectMode: false });
}

async function* decode(
  src: AsyncIterable<Uint8Array>,
  layers: Compression[],
  opts: DecompressOptions,
  depth: number,
): AsyncGenerator<Uint8Array> {
  const it = src[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let headBytes = 0;
  let ended = false;
  while (headBytes < COMPRESSION_MAGIC_BYTES) {
    const r = await it.next();
    if (r.done) {
      ended = true;
      break;
    }
    head.push(r.value);
    headBytes += r.value.length;
  }
  const first = head.length === 1 ? head[0]! : Buffer.concat(head);
  const kind = sniffCompression(first);
  if (kind !== 'none') layers.push(kind);
  else opts.onCompression?.([...layers]);
  const rest = async function* (): AsyncGenerator<Uint8Array> {
    try {
      if (first.length) yield first;
      if (ended) return;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    } finally {
      if (!ended) await it.return?.();
    }
  };
  if (kind === 'none') {
    yield* rest();
    return;
  }
  if (depth + 1 >= MAX_COMPRESSION_LAYERS) throw new CorruptDataError(kind, `more than ${MAX_COMPRESSION_LAYERS} nested compressed layers`);
  const decoded = decoder(kind, Readable.from(rest(), { objectMode: false }));
  try {
    yield* decode(decoded, layers, opts, depth + 1);
  } finally {
    decoded.destroy();
  }
}

/** Number of xz decoders alive on this thread (xz-decompress allows one at a time per thread). */
let xzActive = 0;

function decoder(kind: Exclude<Compression, 'none'>, src: Readable): Readable {
  const corrupt = (e: unknown) => (e instanceof SizeLimitError || e instanceof CorruptDataError ? e : new CorruptDataError(kind, (e as Error)?.message ?? String(e)));
  switch (kind) {
    case 'gzip':
      // zlib's own errors (Z_DATA_ERROR, Z_BUF_ERROR) are the ones `convert` already explains.
      return wire(src, zlib.createGunzip(), (e) => e as Error);
    case 'zstd': {
      let d: ZstdDecompress | undefined;
      const t = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          try {
            d!.push(chunk);
            cb();
          } catch (e) {
            cb(corrupt(e));
          }
        },
        flush(cb) {
          try {
            d!.push(new Uint8Array(0), true);
            cb();
          } catch (e) {
            cb(corrupt(e));
          }
        },
      });
      d = new ZstdDecompress((data) => {
        if (data.length) t.push(data);
      });
      return wire(src, t, corrupt);
    }
    case 'bzip2': {
      // unbzip2-stream is a classic (through) stream: carry its data and errors into a Readable.
      const bz = unbzip2();
      const out = new PassThrough();
      const fail = (e: unknown) => out.destroy(corrupt(e));
      bz.on('error', fail);
      src.on('error', (e) => out.destroy(e));
      out.on('close', () => {
        if (!src.destroyed) src.destroy();
      });
      src.pipe(bz).pipe(out);
      return out;
    }
    case 'xz': {
      // One xz decoder per thread at a time: a second one would wait for the first forever.
      if (xzActive > 0) {
        src.destroy();
        const out = new PassThrough();
        out.destroy(new CorruptDataError('xz', 'xz data inside xz data cannot be read in one pass; decompress the outer layer first'));
        return out;
      }
      xzActive++;
      const web = Readable.toWeb(src) as unknown as ReadableStream<Uint8Array>;
      const xz = Readable.fromWeb(new XzReadableStream(web) as unknown as WebReadableStream<Uint8Array>);
      const out = new PassThrough();
      let released = false;
      const release = () => {
        if (!released) {
          released = true;
          xzActive--;
        }
      };
      xz.on('error', (e) => {
        release();
        out.destroy(corrupt(e));
      });
      xz.on('end', release);
      xz.on('close', release);
      out.on('close', () => {
        if (!xz.destroyed) xz.destroy();
      });
      xz.pipe(out);
      return out;
    }
  }
}

/** Pipes `src` into the decoder `d`, turning decoder errors into CorruptDataError. */
function wire(src: Readable, d: Transform, corrupt: (e: unknown) => Error): Readable {
  const out = new PassThrough();
  src.on('error', (e) => out.destroy(e));
  d.on('error', (e) => out.destroy(corrupt(e)));
  out.on('close', () => {
    if (!src.destroyed) src.destroy();
    if (!d.destroyed) d.destroy();
  });
  src.pipe(d).pipe(out);
  return out;
}

/**
 * Reads the members of tar (plain or compressed) and zip archives as streams, one after the
 * other, without extracting anything to disk.
 */
import fs from 'node:fs';
import { PassThrough, Readable, Transform } from 'node:stream';
import tar from 'tar-stream';
import yauzl from 'yauzl';
import { decompressed, SizeLimitError } from '../decompress.js';

export type MemberKind = 'file' | 'dir' | 'link' | 'other';

export interface Member {
  /** The name as stored in the archive (not yet checked). */
  name: string;
  kind: MemberKind;
  /** Size of the member's data as the archive declares it. */
  size: number;
  /** The member's data. May be called once; what is not read is skipped afterwards. */
  open(): Readable;
}

/** Called per member; the next member is read only when the returned promise settles. */
export type OnMember = (m: Member) => Promise<void>;

/** The archive itself is broken (truncated, not an archive, unreadable). */
export class ArchiveError extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'ArchiveError';
  }
}

/**
 * A stream of a member's data that can be dropped early: the rest of the member is then read
 * and thrown away (a tar stream must be read through to reach the next member). Counts the
 * bytes against `maxBytes` either way.
 */
interface EntryStream {
  on(event: 'data', f: (chunk: Buffer) => void): unknown;
  on(event: 'end', f: () => void): unknown;
  on(event: 'error', f: (e: Error) => void): unknown;
  pause(): unknown;
  resume(): unknown;
}

function detachable(src: EntryStream, maxBytes: number, onTooBig: (e: Error) => void): { stream: PassThrough; ended: Promise<void> } {
  const out = new PassThrough();
  // Whoever reads `out` sees its error; until someone does, it must not go unhandled.
  out.on('error', () => undefined);
  let n = 0;
  let stopped = false;
  const ended = new Promise<void>((resolve, reject) => {
    src.on('end', resolve);
    src.on('error', (e: Error) => {
      if (!out.destroyed) out.destroy(e);
      reject(e);
    });
  });
  ended.catch(() => undefined);
  src.on('data', (chunk: Buffer) => {
    n += chunk.length;
    if (n > maxBytes && !stopped) {
      stopped = true;
      const e = new SizeLimitError(maxBytes);
      if (!out.destroyed) out.destroy(e);
      onTooBig(e);
      return;
    }
    if (out.destroyed) return;
    if (!out.write(chunk)) {
      src.pause();
      const go = () => {
        out.off('drain', go);
        out.off('close', go);
        src.resume();
      };
      out.on('drain', go);
      out.on('close', go);
    }
  });
  src.on('end', () => {
    if (!out.destroyed) out.end();
  });
  return { stream: out, ended };
}

function tarKind(type: string | null | undefined): MemberKind | null {
  switch (type) {
    case 'file':
    case 'contiguous-file':
    case null:
    case undefined:
      return 'file';
    case 'directory':
      return 'dir';
    case 'link':
    case 'symlink':
      return 'link';
    case 'character-device':
    case 'block-device':
    case 'fifo':
      return 'other';
    default:
      // pax global headers and other metadata records
      return null;
  }
}

/**
 * Reads a tar archive (gzip, xz, zstd or bzip2 compressed, or not). Resolves when the archive
 * was read to its end; rejects with an ArchiveError when it is truncated or corrupt.
 */
export async function readTar(raw: Readable, maxBytes: number, onMember: OnMember): Promise<void> {
  const src = decompressed(raw);
  const extract = tar.extract();
  let failed: Error | undefined;
  let inflight: Promise<unknown> = Promise.resolve();
  const fail = (e: Error) => {
    failed ??= e;
    extract.destroy(e);
  };
  await new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      const kind = tarKind(header.type);
      const { stream: data, ended } = detachable(stream as unknown as EntryStream, maxBytes, fail);
      let opened = false;
      const member: Member = {
        name: header.name,
        kind: kind ?? 'other',
        size: header.size ?? 0,
        open: () => {
          opened = true;
          return data;
        },
      };
      const work = kind === null ? Promise.resolve() : onMember(member);
      inflight = work.catch(() => undefined);
      work
        .catch((e: unknown) => fail(e as Error))
        .then(async () => {
          if (!opened) data.destroy();
          await ended;
          next();
        })
        .catch(() => undefined);
    });
    extract.on('finish', () => resolve());
    extract.on('close', () => (failed ? reject(failed) : resolve()));
    extract.on('error', (e: Error) => {
      failed ??= e;
      reject(e);
    });
    src.on('error', (e) => fail(e));
    src.pipe(extract);
  }).catch(async (e: unknown) => {
    src.destroy();
    // The member being read when the archive broke still gets its entry.
    await inflight;
    if (e instanceof SizeLimitError) throw e;
    throw new ArchiveError(`truncated or corrupt tar archive (${(e as Error).message})`, e);
  });
}

/** Decodes a zip entry's name (UTF-8 flag, Info-ZIP unicode field, else CP437). */
function zipName(e: yauzl.Entry): string {
  return yauzl.getFileNameLowLevel(e.generalPurposeBitFlag, e.fileName as unknown as Buffer, e.extraFields, false);
}

function zipKind(e: yauzl.Entry, name: string): MemberKind {
  if (name.endsWith('/')) return 'dir';
  const unix = e.versionMadeBy >> 8 === 3;
  const mode = (e.externalFileAttributes >>> 16) & 0o170000;
  if (unix && mode === 0o120000) return 'link';
  if (unix && mode !== 0 && mode !== 0o100000) return mode === 0o040000 ? 'dir' : 'other';
  return 'file';
}

/** Reads a zip archive from its central directory; entries are decompressed as streams. */
export async function readZip(file: string, maxBytes: number, onMember: OnMember): Promise<void> {
  let zip: yauzl.ZipFile;
  try {
    // decodeStrings off: yauzl would stop at the first unsafe name; we refuse those one by one.
    zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
      yauzl.open(file, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: false }, (err, z) => (err ? reject(err) : resolve(z!))),
    );
  } catch (e) {
    throw new ArchiveError(`not a readable zip archive (${(e as Error).message})`, e);
  }
  await new Promise<void>((resolve, reject) => {
    let done = false;
    let inflight: Promise<unknown> = Promise.resolve();
    const finish = (e?: Error) => {
      if (done) return;
      done = true;
      zip.close();
      // The member being read when the archive broke still gets its entry.
      void inflight.then(() => (e ? reject(e instanceof SizeLimitError ? e : new ArchiveError(`corrupt zip archive (${e.message})`, e)) : resolve()));
    };
    zip.on('error', (e: Error) => finish(e));
    zip.on('end', () => finish());
    zip.on('entry', (e: yauzl.Entry) => {
      const name = zipName(e);
      const kind = zipKind(e, name);
      let stream: Readable | undefined;
      let openError: Error | undefined;
      const ready =
        kind === 'file'
          ? new Promise<void>((res) =>
              zip.openReadStream(e, (err, s) => {
                if (err) openError = err;
                else stream = s;
                res();
              }),
            )
          : Promise.resolve();
      void ready.then(async () => {
        const member: Member = {
          name,
          kind,
          size: e.uncompressedSize,
          open: () => {
            if (openError) {
              const p = new PassThrough();
              p.on('error', () => undefined);
              p.destroy(openError);
              return p;
            }
            let n = 0;
            const counted = new PassThrough();
            counted.on('error', () => undefined);
            stream!.on('data', (c: Buffer) => {
              n += c.length;
              if (n > maxBytes) counted.destroy(new SizeLimitError(maxBytes));
            });
            stream!.on('error', (err) => counted.destroy(err));
            counted.on('close', () => stream!.destroy());
            stream!.pipe(counted);
            return counted;
          },
        };
        try {
          const work = onMember(member);
          inflight = work.catch(() => undefined);
          await work;
        } catch (err) {
          finish(err as Error);
          return;
        }
        stream?.destroy();
        if (!done) zip.readEntry();
      });
    });
    zip.readEntry();
  });
}

/** A file's bytes, counted as they are read (for progress). */
export function countedFile(abs: string, onBytes: (n: number) => void): Readable {
  const s = fs.createReadStream(abs, { highWaterMark: 1 << 16 });
  const t = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      onBytes(chunk.length);
      cb(null, chunk);
    },
  });
  s.on('error', (e) => t.destroy(e));
  t.on('close', () => s.destroy());
  return s.pipe(t);
}

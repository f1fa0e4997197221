import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';

export interface AtomicWriteStream extends Writable {
  /** Flushes to disk and renames the temporary file over the target. */
  commit(): Promise<void>;
  /** Removes the temporary file (the target is left as it was). */
  abort(): Promise<void>;
}

/** Marker in temporary file names; `batch` removes leftovers carrying it. */
export const TEMP_MARK = '.tracebridge-tmp-';

/**
 * A write stream to a temporary file beside `target`; nothing appears under the target's name
 * until `commit()`, so an interrupted run never leaves a file that looks whole.
 */
export function atomicWriteStream(target: string, opts: { removeStale?: boolean; onWritten?: (chunk: Uint8Array) => void } = {}): AtomicWriteStream {
  const dir = path.dirname(target);
  if (opts.removeStale) removeStaleTemps(target);
  const tmp = path.join(dir, `${path.basename(target)}${TEMP_MARK}${process.pid}-${randomBytes(4).toString('hex')}`);
  const ws = new FileWriter(tmp, opts.onWritten) as unknown as AtomicWriteStream;
  ws.commit = async () => {
    const fd = await fs.promises.open(tmp, 'r+');
    try {
      await fd.sync();
    } finally {
      await fd.close();
    }
    await fs.promises.rename(tmp, target);
  };
  ws.abort = async () => {
    ws.destroy();
    await fs.promises.rm(tmp, { force: true });
  };
  return ws;
}

/** All of `b`, however many writes it takes. */
function writeAll(fd: number, b: Uint8Array): void {
  let done = 0;
  while (done < b.length) done += fs.writeSync(fd, b, done, b.length - done);
}

/**
 * A file written with synchronous writes. Output goes to a file on a local disk, where a write
 * of a MiB into the page cache takes a fraction of a millisecond; waiting for a thread-pool
 * write instead left the pipeline idle for an eighth of a run. Each chunk is reported
 * (`onWritten`) as soon as it is written, so its memory can be used again at once.
 */
class FileWriter extends Writable {
  private fd: number;

  constructor(
    file: string,
    private readonly onWritten?: (chunk: Uint8Array) => void,
  ) {
    super();
    this.fd = fs.openSync(file, 'wx');
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    try {
      writeAll(this.fd, chunk);
    } catch (e) {
      cb(e as Error);
      return;
    }
    this.onWritten?.(chunk);
    cb();
  }

  override _final(cb: (err?: Error | null) => void): void {
    try {
      fs.closeSync(this.fd);
      this.fd = -1;
      cb();
    } catch (e) {
      cb(e as Error);
    }
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (this.fd >= 0) {
      try {
        fs.closeSync(this.fd);
      } catch {
        // closing after a failed write: the error that matters is err
      }
      this.fd = -1;
    }
    cb(err);
  }
}

/**
 * Removes the temporary files an earlier run left for `target` (killed before it could clean
 * up): `<name>.tracebridge-tmp-<pid>-<hex>` whose process no longer runs. Their names end in
 * neither the target's extension nor any output's, so they are never taken for an output.
 */
export function removeStaleTemps(target: string): string[] {
  const dir = path.dirname(target);
  const prefix = `${path.basename(target)}${TEMP_MARK}`;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const n of names) {
    if (!n.startsWith(prefix)) continue;
    const pid = Number(n.slice(prefix.length).split('-')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || alive(pid)) continue;
    try {
      fs.rmSync(path.join(dir, n), { force: true });
      removed.push(n);
    } catch {
      // left for the next run
    }
  }
  return removed;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Writes bytes atomically (temporary file, fsync, rename). */
export async function writeFileAtomic(target: string, data: Uint8Array | string): Promise<void> {
  const ws = atomicWriteStream(target);
  await new Promise<void>((resolve, reject) => {
    ws.on('error', reject);
    ws.end(data, () => resolve());
  });
  await ws.commit();
}

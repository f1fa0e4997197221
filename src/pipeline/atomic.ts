import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export interface AtomicWriteStream extends fs.WriteStream {
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
  const ws = fs.createWriteStream(tmp, { flags: 'wx' }) as AtomicWriteStream;
  if (opts.onWritten) tellWritten(ws, opts.onWritten);
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

type WriteCb = (err?: Error | null) => void;
type Chunk = { chunk: Buffer };

/** Calls `fn` with each chunk once the stream has written it (its write, one or gathered, is done). */
function tellWritten(ws: fs.WriteStream, fn: (chunk: Uint8Array) => void): void {
  const w = ws as unknown as { _write: (c: Buffer, e: BufferEncoding, cb: WriteCb) => void; _writev?: (cs: Chunk[], cb: WriteCb) => void };
  const write = w._write.bind(ws);
  w._write = (c, e, cb) =>
    write(c, e, (err) => {
      if (!err) fn(c);
      cb(err);
    });
  if (w._writev) {
    const writev = w._writev.bind(ws);
    w._writev = (cs, cb) =>
      writev(cs, (err) => {
        if (!err) for (const c of cs) fn(c.chunk);
        cb(err);
      });
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

/** Writes generated text chunks to a file in blocks of about 1 MiB; returns the bytes written. */
import fs from 'node:fs';

export function writeText(path: string, chunks: Iterable<string>): number {
  const fd = fs.openSync(path, 'w');
  let total = 0;
  let buf: string[] = [];
  let pending = 0;
  try {
    for (const c of chunks) {
      buf.push(c);
      pending += c.length;
      if (pending > 1 << 20) {
        total += fs.writeSync(fd, buf.join(''));
        buf = [];
        pending = 0;
      }
    }
    total += fs.writeSync(fd, buf.join(''));
  } finally {
    fs.closeSync(fd);
  }
  return total;
}

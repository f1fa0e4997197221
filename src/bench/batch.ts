/**
 * Batch throughput: a few hundred generated function_graph files (some gzip-compressed, some in
 * a tarball) converted with `--jobs 1` and `--jobs 2`; files/s and MB/s (of input read from
 * disk). `npm run bench` prints these rows; `node dist/bench/batch.js` runs them alone.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { runBatch } from '../pipeline/batch/index.js';

export interface BatchBenchRow {
  what: string;
  jobs: number;
  files: number;
  /** Bytes read from disk. */
  bytes: number;
  seconds: number;
  filesPerSec: number;
  mbPerSec: number;
  /** Every output identical to the --jobs 1 run's. */
  identical?: boolean;
}

export interface BatchBenchOptions {
  /** Plain files; as many again go into a tarball and a tenth are gzipped (default 300 in all). */
  files?: number;
  /** Approximate size of each file (default 96 KiB). */
  fileBytes?: number;
  /** Worker counts to measure (default [1, 2]). */
  jobs?: number[];
  dir?: string;
  log?: (s: string) => void;
}

/** Deterministic function_graph text (tracefs default layout) of about `bytes` bytes. */
export function functionGraphText(seed: number, bytes: number): string {
  let s = seed >>> 0 || 1;
  const rnd = (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
  const names = ['vfs_read', 'rw_verify_area', 'ext4_file_read_iter', 'generic_file_read_iter', 'filemap_read', 'touch_atime', '__fdget_pos', 'mutex_lock', 'down_read', 'up_read', 'copy_page_to_iter', '_raw_spin_lock', 'kmem_cache_alloc', 'kfree', '__schedule', 'rcu_read_lock_held'];
  const out: string[] = ['# tracer: function_graph', '#', '# CPU  DURATION                  FUNCTION CALLS', '# |     |   |                     |   |   |   |'];
  let size = 0;
  // The 15 columns between `N)` and `|`: overhead mark, then the duration.
  const us = (n: number) => {
    const mark = n >= 100000 ? '!' : n >= 10000 ? '+' : ' ';
    return ` ${mark} ${`${(n / 1000).toFixed(3)} us`.padEnd(12)}`;
  };
  const call = (cpu: number, depth: number): number => {
    const name = names[rnd(names.length)]!;
    const pad = '  '.repeat(depth + 1);
    if (depth >= 5 || rnd(3) === 0) {
      const d = 100 + rnd(3000);
      const line = ` ${cpu})${us(d)}|${pad}${name}();`;
      out.push(line);
      size += line.length + 1;
      return d;
    }
    const open = ` ${cpu})               |${pad}${name}() {`;
    out.push(open);
    size += open.length + 1;
    let total = 50 + rnd(200);
    const kids = 1 + rnd(4);
    for (let i = 0; i < kids; i++) total += call(cpu, depth + 1);
    const close = ` ${cpu})${us(total)}|${pad}}`;
    out.push(close);
    size += close.length + 1;
    return total;
  };
  while (size < bytes) call(rnd(4), 0);
  return out.join('\n') + '\n';
}

/** Writes the benchmark tree: plain files, gzipped files and one tarball of as many more. */
export async function writeBatchTree(dir: string, files: number, fileBytes: number): Promise<number> {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'plain'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'gz'), { recursive: true });
  const plain = Math.ceil(files / 2);
  let n = 0;
  for (let i = 0; i < plain; i++) {
    const text = functionGraphText(i + 1, fileBytes * (0.5 + (i % 4) / 3));
    if (i % 10 === 0) fs.writeFileSync(path.join(dir, 'gz', `t${i}.txt.gz`), gzipSync(text));
    else fs.writeFileSync(path.join(dir, 'plain', `t${i}.txt`), text);
    n++;
  }
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on("data", (c: unknown) => chunks.push(c as Buffer));
  const ended = new Promise<void>((r) => pack.on("end", () => r()));
  for (let i = 0; n < files; i++, n++) {
    pack.entry({ name: `run-${Math.floor(i / 50)}/t${i}.txt` }, functionGraphText(100000 + i, fileBytes));
  }
  pack.finalize();
  await ended;
  fs.writeFileSync(path.join(dir, 'runs.tar'), Buffer.concat(chunks));
  return n;
}

function sameTree(a: string, b: string): boolean {
  const list = (d: string): string[] =>
    fs
      .readdirSync(d, { recursive: true, withFileTypes: false })
      .map(String)
      .filter((f) => !f.endsWith('manifest.json') && fs.statSync(path.join(d, f)).isFile())
      .sort();
  const la = list(a);
  const lb = list(b);
  return la.length === lb.length && la.every((f, i) => f === lb[i] && fs.readFileSync(path.join(a, f)).equals(fs.readFileSync(path.join(b, f))));
}

export async function benchBatch(opts: BatchBenchOptions = {}): Promise<BatchBenchRow[]> {
  const log = opts.log ?? (() => undefined);
  const root = opts.dir ?? path.join(os.tmpdir(), 'tracebridge-bench-batch');
  const tree = path.join(root, 'in');
  const files = await writeBatchTree(tree, opts.files ?? 300, opts.fileBytes ?? 96 * 1024);
  log(`batch: ${files} generated files in ${tree}\n`);
  const rows: BatchBenchRow[] = [];
  let first: string | undefined;
  for (const jobs of opts.jobs ?? [1, 2]) {
    const out = path.join(root, `out-${jobs}`);
    fs.rmSync(out, { recursive: true, force: true });
    const r = await runBatch({ inputs: [tree], out, jobs, to: ['perfetto'] });
    const s = r.manifest.summary;
    if (s.failed > 0 || s.converted !== files) throw new Error(`batch bench: ${s.converted} of ${files} converted, ${s.failed} failed`);
    const seconds = r.elapsedMs / 1000;
    const row: BatchBenchRow = {
      what: `batch --jobs ${jobs}`,
      jobs,
      files: s.converted,
      bytes: r.bytesRead,
      seconds,
      filesPerSec: s.converted / seconds,
      mbPerSec: r.bytesRead / 1024 / 1024 / seconds,
    };
    if (first) row.identical = sameTree(first, out);
    else first = out;
    rows.push(row);
    log(`${row.what}: ${row.files} files, ${(row.bytes / 1024 / 1024).toFixed(1)} MB in ${seconds.toFixed(2)} s: ${row.filesPerSec.toFixed(0)} files/s, ${row.mbPerSec.toFixed(1)} MB/s${row.identical === undefined ? '' : row.identical ? ' (outputs identical to --jobs 1)' : ' (OUTPUTS DIFFER from --jobs 1)'}\n`);
  }
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await benchBatch({ log: (s) => process.stdout.write(s) });
}

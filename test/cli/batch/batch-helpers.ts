/**
 * Helpers of the batch tests: a fresh build for the worker threads (which run compiled
 * JavaScript), tar and zip writers for fixtures, and tree listings.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import tar from 'tar-stream';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const DIST = path.join(ROOT, 'dist');
export const CLI = path.join(DIST, 'cli', 'main.js');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'batch');
export const SAMPLES = path.join(ROOT, 'samples');
export const CORPUS = path.resolve(ROOT, '../shared/corpus');
export const HAVE_CORPUS = fs.existsSync(path.join(CORPUS, 'MANIFEST.tsv'));
export const TEMP_MARK = '.tracebridge-tmp-';

function newestMtime(dir: string, ext: string): number {
  let t = 0;
  for (const f of fs.readdirSync(dir, { recursive: true }).map(String)) {
    if (f.endsWith(ext)) t = Math.max(t, fs.statSync(path.join(dir, f)).mtimeMs);
  }
  return t;
}

function distIsFresh(): boolean {
  const src = path.join(ROOT, 'src');
  for (const f of fs.readdirSync(src, { recursive: true }).map(String)) {
    if (!f.endsWith('.ts')) continue;
    const js = path.join(DIST, f.replace(/\.ts$/, '.js'));
    if (!fs.existsSync(js) || fs.statSync(js).mtimeMs < fs.statSync(path.join(src, f)).mtimeMs) return false;
  }
  return newestMtime(DIST, '.js') > 0;
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Batch workers are threads running dist/; builds it when any source is newer (`npm test`
 * builds first, so this only matters when vitest is run alone). A lock keeps two test files
 * from building at once.
 */
export function ensureBuilt(): void {
  if (distIsFresh()) return;
  const lock = path.join(ROOT, 'node_modules', '.cache', 'tracebridge-build.lock');
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) fs.rmSync(lock, { recursive: true, force: true });
      sleep(200);
    }
  }
  try {
    if (!distIsFresh()) {
      execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(ROOT, 'tsconfig.json')], { stdio: 'inherit' });
      // As `npm run build` does: the bin must be executable for `npx tracebridge`.
      fs.chmodSync(path.join(ROOT, 'dist', 'cli', 'main.js'), 0o755);
    }
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

export interface TarEntry {
  name: string;
  data?: string | Uint8Array;
  type?: 'file' | 'directory' | 'symlink' | 'link';
  linkname?: string;
}

export async function makeTar(entries: TarEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => chunks.push(c as Buffer));
  const ended = new Promise<void>((r) => pack.on('end', () => r()));
  for (const e of entries) {
    const data = e.data === undefined ? undefined : Buffer.from(e.data);
    pack.entry({ name: e.name, type: e.type ?? 'file', linkname: e.linkname, mtime: new Date(0) }, data);
  }
  pack.finalize();
  await ended;
  return Buffer.concat(chunks);
}

/** A zip archive (deflated members), written by hand so any member name can be tried. */
export function makeZip(entries: { name: string; data: string | Uint8Array }[]): Buffer {
  const local: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const data = Buffer.from(e.data);
    const packed = zlib.deflateRawSync(data);
    const name = Buffer.from(e.name, 'utf8');
    const crc = zlib.crc32(data);
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(0x800, 6); // UTF-8 names
    h.writeUInt16LE(8, 8); // deflate
    h.writeUInt32LE(crc, 14);
    h.writeUInt32LE(packed.length, 18);
    h.writeUInt32LE(data.length, 22);
    h.writeUInt16LE(name.length, 26);
    local.push(h, name, packed);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0x800, 8);
    c.writeUInt16LE(8, 10);
    c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(packed.length, 20);
    c.writeUInt32LE(data.length, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(offset, 42);
    central.push(c, name);
    offset += h.length + name.length + packed.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...local, cd, end]);
}

/** Every file under `dir` (relative, `/`-separated, sorted), symbolic links not followed. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string, rel: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) visit(path.join(d, e.name), r);
      else out.push(r);
    }
  };
  if (fs.existsSync(dir)) visit(dir, '');
  return out.sort();
}

/** file → bytes of every file under `dir` (the manifests left out unless asked). */
export function readTree(dir: string, withManifests = false): Map<string, Buffer> {
  const m = new Map<string, Buffer>();
  for (const f of listFiles(dir)) {
    if (!withManifests && /^manifest(\.shard-\d+-of-\d+)?\.json$/.test(f)) continue;
    m.set(f, fs.readFileSync(path.join(dir, f)));
  }
  return m;
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI; `onSpawn` may kill it. */
export function runCliProcess(args: string[], onSpawn?: (p: ReturnType<typeof spawn>) => void, cwd?: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    p.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    p.on('error', reject);
    p.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    onSpawn?.(p);
  });
}

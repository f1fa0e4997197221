/**
 * The manifest's entries while a run goes: each entry is written as its JSON line to a
 * temporary file beside the manifest as soon as it is known; memory holds only what sorting
 * needs (input, status, error, where the line is). At the end the lines are read back in
 * manifest order and streamed into the manifest, so an archive of any member count costs a
 * small row per member, not the entries and the manifest text at once.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { VERSION } from '../../version.js';
import { atomicWriteStream, removeStaleTemps, TEMP_MARK } from '../atomic.js';
import { sortEntries, type Manifest, type Summary } from './manifest.js';
import type { EntryStatus, ManifestEntry, Shard } from './types.js';

interface Row {
  input: string;
  status: EntryStatus;
  error: string | null;
  /** Where its JSON line is in the spill file. */
  off: number;
  len: number;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The order of `sortEntries`, on rows. */
const byManifestOrder = (a: Row, b: Row) => compare(a.input, b.input) || compare(a.status, b.status) || compare(a.error ?? '', b.error ?? '');

/** What the previous manifest knew of inputs converted before: input → its entry's JSON. */
export type Previous = Map<string, string>;

const emptySummary = (): Summary => ({ inputs: 0, converted: 0, upToDate: 0, skipped: 0, failed: 0, warnings: 0 });

function count(s: Summary, e: ManifestEntry) {
  s.inputs++;
  if (e.status === 'converted') s.converted++;
  else if (e.status === 'up-to-date') s.upToDate++;
  else if (e.status === 'skipped') s.skipped++;
  else s.failed++;
  s.warnings += e.warnings ?? 0;
}

/**
 * The previous manifest's converted and up-to-date entries, read line by line (the manifest has
 * one entry per line); null when there is none or it is not a manifest of ours.
 */
export async function readPrevious(file: string): Promise<Previous | null> {
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch {
    return null;
  }
  const at = text.indexOf('\n  "entries": [');
  let head: { tool?: string };
  try {
    head = JSON.parse(`${text.slice(0, at).replace(/,$/, '')}\n}`) as { tool?: string };
  } catch {
    return null;
  }
  if (at < 0 || head.tool !== 'tracebridge') return null;
  const out: Previous = new Map();
  let pos = at + 1;
  for (;;) {
    const nl = text.indexOf('\n', pos);
    if (nl < 0) break;
    const line = text.slice(pos, nl);
    pos = nl + 1;
    if (!line.startsWith('    {')) continue;
    let e: ManifestEntry;
    try {
      e = JSON.parse(line.endsWith(',') ? line.slice(0, -1) : line) as ManifestEntry;
    } catch {
      return null;
    }
    // A string of its own (a slice would keep the whole file's text alive).
    if (e.status === 'converted' || e.status === 'up-to-date') out.set(e.input, JSON.stringify(e));
  }
  return out;
}

/** An up-to-date entry carries what the previous manifest knew of it, when its outputs are the same. */
function carried(e: ManifestEntry, previous: Previous | null): ManifestEntry {
  if (e.status !== 'up-to-date' || !previous) return e;
  const line = previous.get(e.input);
  if (line === undefined) return e;
  const p = JSON.parse(line) as ManifestEntry;
  if (JSON.stringify(p.outputs) !== JSON.stringify(e.outputs)) return e;
  return { ...p, status: 'up-to-date' };
}

export class ManifestStore {
  private readonly spill: string;
  private readonly fd: number;
  private readonly rows: Row[] = [];
  private pos = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Summaries of the entries as they came, and as the manifest lists them (carried over). */
  readonly raw = emptySummary();
  readonly listed = emptySummary();

  constructor(
    readonly manifestPath: string,
    private readonly previous: Previous | null,
  ) {
    removeStaleTemps(manifestPath);
    this.spill = path.join(path.dirname(manifestPath), `${path.basename(manifestPath)}${TEMP_MARK}${process.pid}-${randomBytes(4).toString('hex')}`);
    this.fd = fs.openSync(this.spill, 'wx+');
  }

  add(e: ManifestEntry): void {
    count(this.raw, e);
    const c = carried(e, this.previous);
    count(this.listed, c);
    const b = Buffer.from(JSON.stringify(e), 'utf8');
    this.rows.push({ input: e.input, status: e.status, error: e.error, off: this.pos + this.pendingBytes, len: b.length });
    this.pending.push(b);
    this.pendingBytes += b.length;
    if (this.pendingBytes >= 1 << 16) this.flush();
  }

  private flush() {
    if (this.pendingBytes === 0) return;
    const b = Buffer.concat(this.pending, this.pendingBytes);
    let done = 0;
    while (done < b.length) done += fs.writeSync(this.fd, b, done, b.length - done, this.pos + done);
    this.pos += b.length;
    this.pending = [];
    this.pendingBytes = 0;
  }

  private line(r: Row): string {
    const b = Buffer.allocUnsafe(r.len);
    let got = 0;
    while (got < r.len) {
      const n = fs.readSync(this.fd, b, got, r.len - got, r.off + got);
      if (n === 0) throw new Error(`${this.spill}: ended early`);
      got += n;
    }
    return b.toString('utf8');
  }

  private header(formats: string[], shard: Shard | null, summary: Summary): string {
    const m: Manifest = { tool: 'tracebridge', version: VERSION, formats, shard, summary, entries: [] };
    return JSON.stringify(m, null, 2).replace(/\n {2}"entries": \[\]\n\}$/, '');
  }

  /** Writes the manifest (entries carried over and sorted) atomically, as `manifestJson` would. */
  async write(formats: string[], shard: Shard | null): Promise<void> {
    this.flush();
    this.rows.sort(byManifestOrder);
    const ws = atomicWriteStream(this.manifestPath);
    const failed = new Promise<never>((_, reject) => ws.on('error', reject));
    failed.catch(() => undefined);
    const put = async (s: string) => {
      if (!ws.write(s)) await Promise.race([new Promise<void>((r) => ws.once('drain', () => r())), failed]);
    };
    try {
      await put(`${this.header(formats, shard, this.listed)}\n  "entries": [`);
      let chunk = '';
      for (let i = 0; i < this.rows.length; i++) {
        const r = this.rows[i]!;
        const line = r.status === 'up-to-date' && this.previous ? JSON.stringify(carried(JSON.parse(this.line(r)) as ManifestEntry, this.previous)) : this.line(r);
        chunk += `${i ? ',' : ''}\n    ${line}`;
        if (chunk.length >= 1 << 16) {
          await put(chunk);
          chunk = '';
        }
      }
      await put(`${chunk}${this.rows.length ? '\n  ' : ''}]\n}\n`);
      await Promise.race([new Promise<void>((r) => ws.end(() => r())), failed]);
      await ws.commit();
    } catch (e) {
      await ws.abort();
      throw e;
    }
  }

  /** Every entry as it came, sorted. */
  entries(): ManifestEntry[] {
    this.flush();
    return sortEntries(this.rows.map((r) => JSON.parse(this.line(r)) as ManifestEntry));
  }

  /** Removes the spill file. */
  close(): void {
    try {
      fs.closeSync(this.fd);
    } catch {
      // already closed
    }
    fs.rmSync(this.spill, { force: true });
  }
}

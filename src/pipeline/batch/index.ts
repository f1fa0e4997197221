/**
 * `runBatch`: converts every trace under some folders (and inside their archives) in parallel,
 * mirroring the tree under an output folder, and writes a manifest.
 *
 * walk (main thread: list, stat, name outputs, pick the shard's files) → pool of workers
 * (decompress, read archives, detect, convert, write atomically) → manifest.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InputOptions } from '../../inputs/types.js';
import { checkFilterSpec, isEmptySpec, type FilterSpec } from '../../model/filter.js';
import { outputByName, outputs } from '../../outputs/registry.js';
import type { FoldedWeight } from '../../outputs/types.js';
import { VERSION } from '../../version.js';
import { TEMP_MARK } from '../atomic.js';
import { ManifestStore, readPrevious } from './manifest-store.js';
import type { Manifest } from './manifest.js';
import { extensionOf } from './one.js';
import { runPool } from './pool.js';
import { manifestName, parseShard } from './shard.js';
import type { BatchConfig, ManifestEntry, Shard } from './types.js';
import { BatchUsageError, walk } from './walk.js';

export { BatchUsageError } from './walk.js';
export { mergeManifests, readManifest, manifestJson } from './manifest.js';
export type { Manifest, Summary } from './manifest.js';
export type { ManifestEntry, EntryStatus, Reason, Shard } from './types.js';
export { parseShard, shardOf, manifestName } from './shard.js';

/** Default `maxBytes`: decompressed bytes allowed per input. */
export const DEFAULT_MAX_BYTES = 8 * 1024 ** 3;
export const DEFAULT_FORMATS = ['perfetto'];

export interface BatchOptions {
  /** Files and folders to convert. */
  inputs: string[];
  /** Output folder (made if missing). */
  out: string;
  /** Output formats (default: perfetto). */
  to?: string[];
  /** Worker threads (default: the number of cores). */
  jobs?: number;
  /** Convert even inputs whose outputs are newer. */
  force?: boolean;
  /** `{index, count}` or `"K/N"`: convert only this shard's inputs. */
  shard?: Shard | string | null;
  /** Follow symbolic links that lead out of the input folders. */
  followSymlinks?: boolean;
  /** Decompressed bytes allowed per input; more is stopped as a decompression bomb. */
  maxBytes?: number;
  weight?: FoldedWeight;
  inputOptions?: InputOptions;
  /** The same filters for every input (see src/model/filter.ts). */
  filters?: FilterSpec;
  signal?: AbortSignal;
  /** Each input's entry, as soon as it is known. */
  onEntry?: (e: ManifestEntry) => void;
  /**
   * The result's `manifest.entries` (default true). Without them the result holds the summary
   * only, and memory stays small whatever the number of inputs (the manifest file has them all).
   */
  keepEntries?: boolean;
  /** Bytes read from disk so far, and the total to read. */
  onProgress?: (p: { bytes: number; totalBytes: number; entries: number }) => void;
}

export interface BatchResult {
  manifest: Manifest;
  /** Absolute path of the manifest written (null when interrupted). */
  manifestPath: string | null;
  interrupted: boolean;
  elapsedMs: number;
  /** Bytes read from disk. */
  bytesRead: number;
}

export function defaultJobs(): number {
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

/** Finds our temporary files under `dir` (from interrupted runs), target path → temp paths. */
async function findTemps(dir: string): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  const visit = async (d: string) => {
    let list: fs.Dirent[];
    try {
      list = await fs.promises.readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of list) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await visit(p);
      else if (e.isFile() && e.name.includes(TEMP_MARK)) {
        const target = p.slice(0, p.lastIndexOf(TEMP_MARK));
        found.set(target, [...(found.get(target) ?? []), p]);
      }
    }
  };
  await visit(dir);
  return found;
}

export async function runBatch(opts: BatchOptions): Promise<BatchResult> {
  const started = Date.now();
  const formats = opts.to && opts.to.length ? [...new Set(opts.to)] : DEFAULT_FORMATS;
  for (const f of formats) {
    if (!outputByName(f)) throw new BatchUsageError(`unknown output format "${f}" (known: ${outputs.map((o) => o.name).join(', ')})`);
  }
  const jobs = opts.jobs ?? defaultJobs();
  if (!Number.isInteger(jobs) || jobs < 1) throw new BatchUsageError(`--jobs wants a whole number of at least 1, not ${jobs}`);
  let shard: Shard | null = null;
  try {
    shard = typeof opts.shard === 'string' ? parseShard(opts.shard) : (opts.shard ?? null);
  } catch (e) {
    throw new BatchUsageError((e as Error).message);
  }
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  if (!(maxBytes > 0)) throw new BatchUsageError('the size limit must be more than 0 bytes');

  let existed = true;
  try {
    await fs.promises.access(opts.out);
  } catch {
    existed = false;
  }
  try {
    await fs.promises.mkdir(opts.out, { recursive: true });
  } catch (e) {
    throw new BatchUsageError(`cannot make the output folder ${opts.out}: ${(e as Error).message}`);
  }
  const out = await fs.promises.realpath(opts.out);
  const cfg: BatchConfig = {
    out,
    formats,
    force: opts.force ?? false,
    maxBytes,
    shard,
    weight: opts.weight,
    inputOptions: opts.inputOptions ?? {},
    jobs,
  };
  if (opts.filters && !isEmptySpec(opts.filters)) {
    try {
      checkFilterSpec(opts.filters);
    } catch (e) {
      throw new BatchUsageError((e as Error).message);
    }
    cfg.filters = opts.filters;
  }

  const { units, entries: early } = await walk(opts.inputs, { out, exts: formats.map(extensionOf), followSymlinks: opts.followSymlinks ?? false, shard });

  // Temporary files left by a killed run: without shards they are all ours to remove; with
  // shards, only those of this shard's outputs (another shard may be writing beside us).
  const temps = existed ? await findTemps(out) : new Map<string, string[]>();
  const removeTemps = async (targets: Iterable<string>) => {
    for (const t of targets) {
      for (const p of temps.get(t) ?? []) await fs.promises.rm(p, { force: true });
      temps.delete(t);
    }
  };
  if (!shard) await removeTemps([...temps.keys()]);

  const manifestPath = path.join(out, manifestName(shard));
  // Entries go to disk as they come (manifest-store.ts): memory stays small for any count.
  const store = new ManifestStore(manifestPath, await readPrevious(manifestPath));
  const totalBytes = units.reduce((t, u) => t + u.size, 0);
  let bytes = 0;
  const progress = () => opts.onProgress?.({ bytes, totalBytes, entries: store.raw.inputs });
  const accept = (e: ManifestEntry) => {
    store.add(e);
    if (temps.size) void removeTemps(Object.values(e.outputs).map((r) => path.join(out, r)));
    opts.onEntry?.(e);
    progress();
  };
  try {
    for (const e of early) accept(e);

    const { interrupted } = await runPool(units, cfg, {
      onEntry: accept,
      onProgress: (n) => {
        bytes += n;
        progress();
      },
      signal: opts.signal,
    });

    if (interrupted) {
      const manifest: Manifest = { tool: 'tracebridge', version: VERSION, formats, shard, summary: { ...store.raw }, entries: opts.keepEntries === false ? [] : store.entries() };
      store.close();
      // Workers were stopped mid-write: remove the temporary files this process made.
      const mine = `${TEMP_MARK}${process.pid}-`;
      const left = await findTemps(out);
      for (const list of left.values()) for (const p of list) if (p.includes(mine)) await fs.promises.rm(p, { force: true });
      return { manifest, manifestPath: null, interrupted, elapsedMs: Date.now() - started, bytesRead: bytes };
    }

    await store.write(formats, shard);
  } finally {
    store.close();
  }
  const manifest: Manifest =
    opts.keepEntries === false
      ? { tool: 'tracebridge', version: VERSION, formats, shard, summary: { ...store.listed }, entries: [] }
      : (JSON.parse(await fs.promises.readFile(manifestPath, 'utf8')) as Manifest);
  return { manifest, manifestPath, interrupted: false, elapsedMs: Date.now() - started, bytesRead: bytes };
}

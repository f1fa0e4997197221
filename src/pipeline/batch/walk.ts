/**
 * Finds the work: walks the input roots (in sorted order, so every run and every shard sees the
 * same list), decides what each entry is, and names the outputs. Nothing is opened here; files
 * are only listed and stat'ed.
 *
 * Directory roots contribute their contents to the top of the output folder; file roots
 * contribute themselves. Symbolic links are followed only while they stay inside the roots
 * (anywhere with `followSymlinks`); a link back to a folder being walked is a loop and skipped.
 */
import fs from 'node:fs';
import path from 'node:path';
import { archiveKind, isManifestName, isTempName, nameFiles } from './naming.js';
import { inShard } from './shard.js';
import type { ManifestEntry, Shard, Unit } from './types.js';
import { problem } from './types.js';

/** A problem with the command line (missing input, output inside input): exit code 2. */
export class BatchUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BatchUsageError';
  }
}

export interface WalkOptions {
  /** Real path of the output folder (never walked into). */
  out: string;
  /** Output extensions of the requested formats (`.json`, ...). */
  exts: string[];
  followSymlinks: boolean;
  shard: Shard | null;
}

export interface WalkResult {
  units: Unit[];
  /** Entries decided by the walk alone (skipped links, special files, name clashes). */
  entries: ManifestEntry[];
}

interface PhysDir {
  abs: string;
  /** dev:ino of this folder and its ancestors in the walk, to see loops. */
  chain: Set<string>;
}

type Found =
  | { kind: 'file'; abs: string; st: fs.Stats }
  | { kind: 'dir'; abs: string; id: string }
  | { kind: 'skip'; reason: 'symlink-outside' | 'symlink-loop' | 'broken-symlink' | 'not-a-file' | 'unreadable'; why: string };

const join = (dir: string, name: string) => (dir === '' ? name : `${dir}/${name}`);
const idOf = (st: fs.Stats) => `${st.dev}:${st.ino}`;

export async function walk(roots: readonly string[], opts: WalkOptions): Promise<WalkResult> {
  if (roots.length === 0) throw new BatchUsageError('give at least one input file or folder');
  const units: Unit[] = [];
  const entries: ManifestEntry[] = [];
  const rootReals: string[] = [];
  const topDirs: PhysDir[] = [];
  const topFiles: { name: string; found: Found }[] = [];
  const outInside = (real: string) => real === opts.out || real.startsWith(opts.out + path.sep);

  for (const r of roots) {
    let st: fs.Stats;
    let real: string;
    try {
      st = await fs.promises.stat(r);
      real = await fs.promises.realpath(r);
    } catch (e) {
      throw new BatchUsageError(`cannot read input ${r}: ${(e as Error).message}`);
    }
    if (outInside(real)) throw new BatchUsageError(`input ${r} is inside the output folder`);
    rootReals.push(real);
    if (st.isDirectory()) topDirs.push({ abs: real, chain: new Set([idOf(st)]) });
    else if (st.isFile()) topFiles.push({ name: path.basename(real), found: { kind: 'file', abs: real, st } });
    else throw new BatchUsageError(`input ${r} is neither a file nor a folder`);
  }
  const insideRoots = (real: string) => rootReals.some((r) => real === r || real.startsWith(r + path.sep));

  const classify = async (abs: string, dirent: fs.Dirent, parent: PhysDir): Promise<Found> => {
    let target = abs;
    if (dirent.isSymbolicLink()) {
      try {
        target = await fs.promises.realpath(abs);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ELOOP') return { kind: 'skip', reason: 'symlink-loop', why: 'symbolic link loop' };
        return { kind: 'skip', reason: 'broken-symlink', why: `symbolic link to nothing (${code ?? (e as Error).message})` };
      }
      if (!opts.followSymlinks && !insideRoots(target)) {
        return { kind: 'skip', reason: 'symlink-outside', why: `symbolic link leads outside the inputs, to ${target} (--follow-symlinks follows it)` };
      }
    }
    let st: fs.Stats;
    try {
      st = await fs.promises.stat(target);
    } catch (e) {
      // Only a link can lead to nothing; an entry that cannot be stat'ed (a path too long, no
      // permission) is an input that could not be read: a failure.
      if (!dirent.isSymbolicLink()) return { kind: 'skip', reason: 'unreadable', why: `cannot stat ${abs}: ${(e as Error).message}` };
      return { kind: 'skip', reason: 'broken-symlink', why: `cannot stat: ${(e as Error).message}` };
    }
    if (st.isDirectory()) {
      const id = idOf(st);
      if (parent.chain.has(id)) return { kind: 'skip', reason: 'symlink-loop', why: `leads back to a folder above it (${target})` };
      return { kind: 'dir', abs: target, id };
    }
    if (st.isFile()) return { kind: 'file', abs: target, st };
    return { kind: 'skip', reason: 'not-a-file', why: 'not a regular file (device, socket or pipe)' };
  };

  const visit = async (rel: string, phys: PhysDir[], extra: { name: string; found: Found }[]): Promise<void> => {
    const byName = new Map<string, { found: Found; parent: PhysDir | null }[]>();
    const add = (name: string, found: Found, parent: PhysDir | null) => {
      let l = byName.get(name);
      if (!l) byName.set(name, (l = []));
      l.push({ found, parent });
    };
    for (const p of phys) {
      let dirents: fs.Dirent[];
      try {
        dirents = await fs.promises.readdir(p.abs, { withFileTypes: true });
      } catch (e) {
        if (inShard(rel || '.', opts.shard)) entries.push(problem(rel || '.', 'unreadable', `cannot list ${p.abs}: ${(e as Error).message}`));
        continue;
      }
      const found = await Promise.all(dirents.map((d) => (isTempName(d.name) ? null : classify(path.join(p.abs, d.name), d, p))));
      dirents.forEach((d, i) => {
        const f = found[i];
        if (f) add(d.name, f, p);
      });
    }
    for (const e of extra) add(e.name, e.found, null);

    const files: { name: string; abs: string; st: fs.Stats }[] = [];
    const subdirs = new Map<string, PhysDir[]>();
    for (const name of [...byName.keys()].sort()) {
      const lrel = join(rel, name);
      let taken: 'file' | 'dir' | null = null;
      for (const { found, parent } of byName.get(name)!) {
        if (found.kind === 'skip') {
          if (inShard(lrel, opts.shard)) entries.push(problem(lrel, found.reason, found.why));
          continue;
        }
        if (found.kind === 'dir' && outInside(found.abs)) continue;
        if (taken === 'file' || (taken === 'dir' && found.kind === 'file')) {
          if (inShard(lrel, opts.shard)) entries.push(problem(lrel, 'duplicate', `${found.abs} has the same path as an input already taken from another root`));
          continue;
        }
        if (found.kind === 'file') {
          files.push({ name, abs: found.abs, st: found.st });
          taken = 'file';
        } else {
          const chain = new Set(parent?.chain ?? []);
          chain.add(found.id);
          let l = subdirs.get(name);
          if (!l) subdirs.set(name, (l = []));
          l.push({ abs: found.abs, chain });
          taken = 'dir';
        }
      }
    }

    const archives = new Set(files.filter((f) => archiveKind(f.name)).map((f) => f.name));
    const plain = files.filter((f) => !archives.has(f.name));
    const taken = (fileName: string) => subdirs.has(fileName) || archives.has(fileName) || (rel === '' && isManifestName(fileName));
    const names = nameFiles(
      plain.map((f) => f.name),
      taken,
      opts.exts,
    );
    for (const f of files) {
      const lrel = join(rel, f.name);
      const kind = archiveKind(f.name);
      if (kind) {
        // Every shard reads every archive (its members are shared out one by one).
        units.push({ kind: 'archive', archive: kind, abs: f.abs, rel: lrel, outDir: lrel, mtimeMs: f.st.mtimeMs, size: f.st.size });
        continue;
      }
      if (!inShard(lrel, opts.shard)) continue;
      const base = names.get(f.name);
      if (base == null) {
        entries.push(problem(lrel, 'name-clash', 'no output name is free for it (another input, a folder or the manifest has it)'));
        continue;
      }
      units.push({ kind: 'file', abs: f.abs, rel: lrel, outBase: join(rel, base), mtimeMs: f.st.mtimeMs, size: f.st.size });
    }
    for (const [name, dirs] of subdirs) await visit(join(rel, name), dirs, []);
  };

  await visit('', topDirs, topFiles);
  return { units, entries };
}

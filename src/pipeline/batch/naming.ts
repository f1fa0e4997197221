/**
 * Where outputs go. An input `dir/x.txt` (or `dir/x.txt.gz`) becomes `OUT/dir/x.<ext>` for each
 * requested format: the compression suffix and then the input's own extension are replaced.
 * When that would give two inputs of one folder the same name (`x.txt` and `x.log`), or the
 * name of a folder or of the manifest, those inputs keep their whole names (`x.txt.json`,
 * `x.log.json`). Archives become folders named like the archive (`a.tar.gz/dir/x.json`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { COMPRESSION_SUFFIXES } from '../decompress.js';
import { TEMP_MARK } from '../atomic.js';
import type { ArchiveKind } from './types.js';

const COMPRESSED = Object.values(COMPRESSION_SUFFIXES).flat();

/** The archive kind a file name announces (`.tar`, `.tar.gz`, `.tgz`, ..., `.zip`), if any. */
export function archiveKind(name: string): ArchiveKind | null {
  const n = name.toLowerCase();
  if (n.endsWith('.zip')) return 'zip';
  if (/\.(?:tar|tgz|taz|txz|tzst|tbz|tbz2)$/.test(n)) return 'tar';
  if (/\.tar\.(?:gz|xz|zst|zstd|bz2)$/.test(n)) return 'tar';
  return null;
}

/** The name without a compression suffix, then without its extension (`x.txt.gz` → `x`). */
export function stem(name: string): string {
  let s = name;
  const lower = s.toLowerCase();
  const c = COMPRESSED.find((suf) => lower.endsWith(suf) && lower.length > suf.length);
  if (c) s = s.slice(0, -c.length);
  const dot = s.lastIndexOf('.');
  return dot > 0 ? s.slice(0, dot) : s;
}

/** Output file names that must not be produced in the top output folder. */
export function isManifestName(fileName: string): boolean {
  return fileName === 'manifest.json' || /^manifest\.shard-\d+-of-\d+\.json$/.test(fileName);
}

/**
 * Names the outputs of the files of one folder, knowing all of them. `taken(fileName)` says
 * whether an output file name is already used by something else there (a folder, an archive's
 * folder, the manifest). Returns file name → output base (null when no name is free).
 */
export function nameFiles(files: readonly string[], taken: (fileName: string) => boolean, exts: readonly string[]): Map<string, string | null> {
  const short = new Map(files.map((f) => [f, stem(f)] as const));
  const full = new Set<string>();
  const clashes = (b: string) => exts.some((e) => taken(b + e));
  const counts = () => {
    const c = new Map<string, number>();
    for (const f of files) {
      const b = full.has(f) ? f : short.get(f)!;
      c.set(b, (c.get(b) ?? 0) + 1);
    }
    return c;
  };
  // Every file whose short name is shared or taken keeps its whole name; repeat, since a whole
  // name can equal another file's short name (`x.txt` beside `x.txt.log`).
  for (;;) {
    const c = counts();
    let changed = false;
    for (const f of files) {
      if (full.has(f)) continue;
      const b = short.get(f)!;
      if (c.get(b)! > 1 || clashes(b)) {
        full.add(f);
        changed = true;
      }
    }
    if (!changed) break;
  }
  const c = counts();
  const out = new Map<string, string | null>();
  for (const f of files) {
    if (!full.has(f)) out.set(f, short.get(f)!);
    else out.set(f, c.get(f)! > 1 || clashes(f) ? null : f);
  }
  return out;
}

/**
 * Names the outputs of archive members, which arrive one at a time: the first member to want a
 * short name gets it, later ones keep their whole names. Deterministic for a given archive, so
 * every worker and every shard reading it agrees.
 */
export class MemberNamer {
  /** Per member folder: output bases used, and sub-folder names. */
  private readonly dirs = new Map<string, { bases: Set<string>; files: Set<string>; subdirs: Set<string> }>();

  constructor(private readonly exts: readonly string[]) {}

  private dir(d: string) {
    let x = this.dirs.get(d);
    if (!x) {
      x = { bases: new Set(), files: new Set(), subdirs: new Set() };
      this.dirs.set(d, x);
      if (d !== '') {
        const parent = d.includes('/') ? d.slice(0, d.lastIndexOf('/')) : '';
        this.dir(parent).subdirs.add(d.slice(d.lastIndexOf('/') + 1));
      }
    }
    return x;
  }

  /** Output base (relative to the archive's folder) for a member path, null if none is free. */
  name(memberPath: string): string | null {
    const slash = memberPath.lastIndexOf('/');
    const d = slash === -1 ? '' : memberPath.slice(0, slash);
    const file = memberPath.slice(slash + 1);
    const x = this.dir(d);
    const free = (b: string) => !x.bases.has(b) && this.exts.every((e) => !x.subdirs.has(b + e));
    for (const b of [stem(file), file]) {
      if (x.files.has(file)) return null;
      if (free(b)) {
        x.bases.add(b);
        x.files.add(file);
        return d === '' ? b : `${d}/${b}`;
      }
    }
    return null;
  }
}

/**
 * Checks an archive member's path and returns it normalised (`./a//b` → `a/b`), or why it is
 * refused: absolute paths, drive letters and `..` could write outside the output folder.
 */
export function memberPath(raw: string): { path: string } | { refused: string } {
  if (raw.includes('\0')) return { refused: 'the member name holds a NUL byte' };
  if (/^[\\/]/.test(raw) || /^[A-Za-z]:/.test(raw)) return { refused: `absolute member path "${raw}"` };
  if (raw.split(/[\\/]/).includes('..')) return { refused: `member path "${raw}" climbs out with ".."` };
  const segs = raw.split('/').filter((s) => s !== '' && s !== '.');
  if (segs.length === 0) return { refused: `empty member path "${raw}"` };
  return { path: segs.join('/') };
}

/** True when a name looks like one of our temporary files (never taken as an input). */
export function isTempName(name: string): boolean {
  return name.includes(TEMP_MARK);
}

/**
 * Creates `out/rel` (and its parents) refusing to pass through a symbolic link or a file, so a
 * planted link in the output folder cannot send outputs elsewhere. Returns the absolute path.
 */
export async function ensureOutDir(out: string, rel: string, made: Set<string>): Promise<string> {
  const abs = rel === '' ? out : path.join(out, rel);
  if (made.has(abs)) return abs;
  if (abs !== out && !abs.startsWith(out + path.sep)) throw new Error(`refusing to write outside the output folder: ${rel}`);
  let cur = out;
  for (const seg of rel === '' ? [] : rel.split('/')) {
    cur = path.join(cur, seg);
    if (made.has(cur)) continue;
    try {
      await fs.promises.mkdir(cur);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const st = await fs.promises.lstat(cur);
      if (st.isSymbolicLink()) throw new Error(`refusing to write through the symbolic link ${cur}`);
      if (!st.isDirectory()) throw new Error(`${cur} exists and is not a folder`);
    }
    made.add(cur);
  }
  return abs;
}

/**
 * What a worker does with a unit: convert a file, or read an archive member by member, converting
 * each member here or handing its bytes to another worker.
 */
import path from 'node:path';
import { Readable } from 'node:stream';
import { SizeLimitError } from '../decompress.js';
import { ArchiveError, countedFile, readTar, readZip } from './archive.js';
import type { Member } from './archive.js';
import { isTempName, memberPath, MemberNamer } from './naming.js';
import { convertInput, extensionOf, failure, outputsOf, outputsRecord, upToDate } from './one.js';
import { inShard } from './shard.js';
import type { BatchConfig, ManifestEntry, MemberJob, Unit } from './types.js';
import { entry, problem } from './types.js';

/** Members up to this size (as stored) may be handed to another worker as bytes. */
export const OFFLOAD_MAX_BYTES = 8 << 20;

export interface UnitContext {
  cfg: BatchConfig;
  /** Output folders already made by this worker. */
  made: Set<string>;
  emit(e: ManifestEntry): void;
  /** Bytes read from disk, for progress. */
  progress(n: number): void;
  /** Reserves room for `n` bytes of members waiting for another worker; false when full. */
  reserve(n: number): boolean;
  /** Hands a member to another worker (after a successful `reserve`). */
  offload(job: MemberJob): void;
}

export async function runUnit(unit: Unit, ctx: UnitContext): Promise<void> {
  // Progress counts every byte of the unit once, read or not (a skipped file is read only
  // as far as its head), so the total is reached when the last unit is done.
  let counted = 0;
  const c: UnitContext = {
    ...ctx,
    progress: (n) => {
      const add = Math.min(n, unit.size - counted);
      if (add > 0) ctx.progress(add);
      counted += add;
    },
  };
  if (unit.kind === 'file') ctx.emit(await runFile(unit, c));
  else await runArchive(unit, c);
  if (counted < unit.size) ctx.progress(unit.size - counted);
}

async function runFile(unit: Extract<Unit, { kind: 'file' }>, ctx: UnitContext): Promise<ManifestEntry> {
  const outs = outputsOf(ctx.cfg, unit.outBase);
  if (!ctx.cfg.force && (await upToDate(outs, unit.mtimeMs))) {
    ctx.progress(unit.size);
    return entry(unit.rel, 'up-to-date', { outputs: outputsRecord(outs) });
  }
  return convertInput({ rel: unit.rel, outBase: unit.outBase, source: countedFile(unit.abs, ctx.progress), inArchive: false }, ctx.cfg, ctx.made);
}

export async function runMember(job: MemberJob, ctx: UnitContext): Promise<void> {
  ctx.emit(await convertInput({ rel: job.rel, outBase: job.outBase, source: job.bytes, inArchive: true }, ctx.cfg, ctx.made));
}

async function readAll(s: Readable, size: number): Promise<Uint8Array> {
  // A buffer of its own (never a slice of Node's pool), since it is transferred to another thread.
  let buf = new Uint8Array(new ArrayBuffer(Math.max(size, 0)));
  let n = 0;
  for await (const c of s as AsyncIterable<Uint8Array>) {
    if (n + c.length > buf.length) {
      const bigger = new Uint8Array(new ArrayBuffer(Math.max(buf.length * 2, n + c.length)));
      bigger.set(buf.subarray(0, n));
      buf = bigger;
    }
    buf.set(c, n);
    n += c.length;
  }
  if (n === buf.length) return buf;
  const exact = new Uint8Array(new ArrayBuffer(n));
  exact.set(buf.subarray(0, n));
  return exact;
}

async function runArchive(unit: Extract<Unit, { kind: 'archive' }>, ctx: UnitContext): Promise<void> {
  const { cfg } = ctx;
  const namer = new MemberNamer(cfg.formats.map(extensionOf));
  const seen = new Set<string>();
  const mine = (rel: string) => inShard(rel, cfg.shard);

  const onMember = async (m: Member): Promise<void> => {
    if (m.kind === 'dir') return;
    const checked = memberPath(m.name);
    if ('refused' in checked) {
      const rel = `${unit.rel}:${m.name}`;
      if (mine(rel)) ctx.emit(problem(rel, 'unsafe-path', `refused: ${checked.refused}; nothing was written for it`));
      return;
    }
    const rel = `${unit.rel}:${checked.path}`;
    if (m.kind === 'link' || m.kind === 'other') {
      if (mine(rel)) ctx.emit(problem(rel, m.kind === 'link' ? 'link-member' : 'not-a-file', m.kind === 'link' ? 'a link inside an archive is not followed' : 'not a regular file'));
      return;
    }
    if (isTempName(path.posix.basename(checked.path))) {
      if (mine(rel)) ctx.emit(problem(rel, 'temp-file', 'a temporary file of an interrupted conversion'));
      return;
    }
    const again = seen.has(checked.path);
    seen.add(checked.path);
    // Every member is named, in the shard or not, so all shards agree on the names.
    const base = again ? null : namer.name(checked.path);
    if (!mine(rel)) return;
    if (base === null) {
      ctx.emit(
        again
          ? problem(rel, 'duplicate', 'the archive holds this path more than once; the first one was taken')
          : problem(rel, 'name-clash', 'no output name is free for it (another member or a folder has it)'),
      );
      return;
    }
    const outBase = `${unit.outDir}/${base}`;
    const outs = outputsOf(cfg, outBase);
    if (!cfg.force && (await upToDate(outs, unit.mtimeMs))) {
      ctx.emit(entry(rel, 'up-to-date', { outputs: outputsRecord(outs) }));
      return;
    }
    if (cfg.jobs > 1 && m.size <= OFFLOAD_MAX_BYTES && ctx.reserve(m.size)) {
      let bytes: Uint8Array;
      try {
        bytes = await readAll(m.open(), m.size);
      } catch (e) {
        ctx.reserve(-m.size);
        if (e instanceof SizeLimitError) throw e;
        ctx.emit(failure(rel, e));
        return;
      }
      ctx.offload({ rel, outBase, mtimeMs: unit.mtimeMs, bytes, reserved: m.size });
      return;
    }
    ctx.emit(await convertInput({ rel, outBase, source: m.open(), inArchive: true }, cfg, ctx.made));
  };

  try {
    if (unit.archive === 'zip') {
      // Zip is read by random access (central directory first), not as one stream.
      await readZip(unit.abs, cfg.maxBytes, onMember);
      ctx.progress(unit.size);
    } else {
      await readTar(countedFile(unit.abs, ctx.progress), cfg.maxBytes, onMember);
    }
  } catch (e) {
    if (!mine(unit.rel)) return;
    if (e instanceof SizeLimitError) ctx.emit(problem(unit.rel, 'size-limit', `${e.message}; the rest of the archive was not read`));
    else if (e instanceof ArchiveError) ctx.emit(problem(unit.rel, 'bad-archive', e.message));
    else ctx.emit(failure(unit.rel, e));
  }
}

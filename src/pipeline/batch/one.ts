/**
 * Converts one input (a file, an archive member, or a member's bytes) to every requested format:
 * decompress (bounded), look at the head to tell a trace from anything else, then one
 * `convert()` per format fed from the same read, each output written atomically.
 */
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import { detect } from '../../inputs/registry.js';
import { outputByName } from '../../outputs/registry.js';
import { ConvertError, convert } from '../convert.js';
import type { ConvertOptions, ConvertResult } from '../convert.js';
import { CorruptDataError, decompressed, SizeLimitError } from '../decompress.js';
import { readHead } from '../head.js';
import { ensureOutDir } from './naming.js';
import type { BatchConfig, ManifestEntry } from './types.js';
import { entry, problem } from './types.js';

export interface OutputTarget {
  format: string;
  /** Relative to the output folder, `/`-separated. */
  rel: string;
  abs: string;
}

/** The file name ending of an output format (its first extension: `.json`, `.pftrace`, ...). */
export function extensionOf(format: string): string {
  return outputByName(format)!.extensions[0]!;
}

export function outputsOf(cfg: BatchConfig, outBase: string): OutputTarget[] {
  return cfg.formats.map((format) => {
    const rel = outBase + extensionOf(format);
    return { format, rel, abs: path.join(cfg.out, rel) };
  });
}

export function outputsRecord(outs: OutputTarget[]): Record<string, string> {
  const r: Record<string, string> = {};
  for (const o of outs) r[o.format] = o.rel;
  return r;
}

/** Every output exists and is at least as new as the input (as `make` decides). */
export async function upToDate(outs: OutputTarget[], inputMtimeMs: number): Promise<boolean> {
  for (const o of outs) {
    try {
      const st = await fs.promises.stat(o.abs);
      if (!st.isFile() || st.mtimeMs < inputMtimeMs) return false;
    } catch {
      return false;
    }
  }
  return true;
}

export interface InputJob {
  /** Logical path (also the input name in diagnostics and output metadata). */
  rel: string;
  outBase: string;
  /** Raw bytes: maybe compressed. */
  source: Readable | Uint8Array;
  /** Inside an archive: archives found in it are not opened. */
  inArchive: boolean;
}

function archiveMagic(b: Buffer): 'tar' | 'zip' | null {
  if (b.length >= 262 && b.toString('latin1', 257, 262) === 'ustar') return 'tar';
  if (b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) return 'zip';
  return null;
}

/**
 * Feeds one stream of bytes to one `convert()` per target. The source is read once; it waits
 * for the slowest consumer, so memory stays bounded.
 */
async function convertMany(source: AsyncIterable<Uint8Array>, targets: OutputTarget[], common: Omit<ConvertOptions, 'input' | 'output' | 'to'>): Promise<ConvertResult[]> {
  if (targets.length === 1) {
    const t = targets[0]!;
    return [await convert({ ...common, input: source, to: t.format, output: t.abs })];
  }
  const pipes = targets.map(() => new PassThrough({ highWaterMark: 1 << 20 }).on('error', () => undefined));
  const runs = targets.map((t, i) => convert({ ...common, input: pipes[i]!, to: t.format, output: t.abs }));
  let failed: unknown;
  const feed = (async () => {
    try {
      for await (const chunk of source) {
        const waits: Promise<unknown>[] = [];
        for (const p of pipes) if (!p.write(chunk)) waits.push(once(p, 'drain'));
        if (waits.length) await Promise.all(waits);
      }
      for (const p of pipes) p.end();
    } catch (e) {
      failed ??= e;
      for (const p of pipes) p.destroy(e as Error);
    }
  })();
  // One output failing stops the others (the input is failed as a whole).
  runs.forEach((r) =>
    r.catch((e: unknown) => {
      failed ??= e;
      for (const p of pipes) if (!p.destroyed) p.destroy(e as Error);
    }),
  );
  const settled = await Promise.allSettled(runs);
  await feed;
  if (failed !== undefined) throw failed;
  return settled.map((s) => (s as PromiseFulfilledResult<ConvertResult>).value);
}

function toReadable(source: Readable | Uint8Array): Readable {
  if (!(source instanceof Uint8Array)) return source;
  return Readable.from(
    (function* () {
      for (let o = 0; o < source.length; o += 1 << 16) yield source.subarray(o, o + (1 << 16));
    })(),
    { objectMode: false },
  );
}

/** Converts one input to every requested format; never throws, returns its manifest entry. */
export async function convertInput(job: InputJob, cfg: BatchConfig, made: Set<string>): Promise<ManifestEntry> {
  const outs = outputsOf(cfg, job.outBase);
  let layers: string[] = [];
  let srcError: unknown;
  const src = decompressed(toReadable(job.source), {
    maxBytes: cfg.maxBytes,
    onCompression: (l) => {
      layers = l;
    },
  });
  src.on('error', (e) => {
    srcError ??= e;
  });
  const it = src[Symbol.asyncIterator]();
  const base = () => ({ compression: layers });
  try {
    const head = await readHead(it);
    const stop = async () => {
      await it.return?.();
    };
    if (!head.binary && head.ended && head.text.trim() === '') {
      await stop();
      return problem(job.rel, 'empty', 'empty (or only blank lines)', base());
    }
    const magic = archiveMagic(head.prefix);
    if (magic) {
      await stop();
      return problem(
        job.rel,
        'nested-archive',
        job.inArchive
          ? `a ${magic} archive inside an archive is not opened`
          : `a ${magic} archive whose name does not say so: rename it (.tar, .tar.gz, .tgz, .zip, ...) to have its members converted`,
        base(),
      );
    }
    const found = detect(head.text);
    if (!found.adapter) {
      await stop();
      if (head.binary) return problem(job.rel, 'binary', 'binary data, not trace text', base());
      const why = found.ambiguous ? found.reason : `no input format recognised it (${found.tried.join('; ')})`;
      return problem(job.rel, 'not-a-trace', why, { ...base(), detection: found.reason });
    }
    const dir = path.posix.dirname(job.outBase);
    await ensureOutDir(cfg.out, dir === '.' ? '' : dir, made);
    const replay = (async function* () {
      try {
        yield* head.chunks;
        if (head.ended) return;
        for (;;) {
          const r = await it.next();
          if (r.done) return;
          yield r.value;
        }
      } finally {
        await it.return?.();
      }
    })();
    let noEvents: string | undefined;
    const results = await convertMany(replay, outs, {
      inputName: job.rel,
      from: found.adapter.name,
      fromDetected: true,
      weight: cfg.weight,
      inputOptions: cfg.inputOptions,
      filters: cfg.filters,
      onDiagnostic: (d) => {
        if (d.code === 'input.no-events') noEvents ??= d.message;
      },
    });
    const r = results[0]!;
    const counts = {
      format: r.from,
      detection: found.reason,
      bytes: r.bytesIn,
      lines: r.lines,
      events: r.events,
      warnings: r.severities.warning,
      errors: r.severities.error,
      diagnostics: r.diagnostics,
    };
    // A non-empty input that gave no event is a failed conversion, as for `convert`: no output was left.
    if (noEvents !== undefined) return problem(job.rel, 'no-events', noEvents, { ...base(), ...counts });
    return entry(job.rel, 'converted', { ...base(), ...counts, outputs: outputsRecord(outs) });
  } catch (e) {
    await it.return?.().catch(() => undefined);
    return failure(job.rel, srcError ?? e, base());
  }
}

/** The manifest entry for an error, by what the error was. */
export function failure(rel: string, e: unknown, fields: Partial<ManifestEntry> = {}): ManifestEntry {
  const err = e as NodeJS.ErrnoException;
  const msg = err?.message ?? String(e);
  if (err instanceof SizeLimitError || err?.code === 'ELIMIT') return problem(rel, 'size-limit', msg, fields);
  if (err instanceof CorruptDataError || err?.code === 'ECORRUPT' || err?.code === 'Z_DATA_ERROR' || err?.code === 'Z_BUF_ERROR') {
    return problem(rel, 'corrupt', err instanceof CorruptDataError ? msg : `corrupt or truncated gzip data (${msg})`, fields);
  }
  if (err instanceof ConvertError) {
    if (err.kind === 'unknown-format') return problem(rel, 'not-a-trace', msg, fields);
    return problem(rel, 'convert-error', msg, fields);
  }
  if (err?.code && /^E[A-Z]+$/.test(err.code)) return problem(rel, 'unreadable', msg, fields);
  return problem(rel, 'convert-error', msg, fields);
}

/**
 * Types shared by the batch walker (main thread), the workers and the manifest.
 */
import type { FilterSpec } from '../../model/filter.js';
import type { InputOptions } from '../../inputs/types.js';
import type { FoldedWeight } from '../../outputs/types.js';

export type EntryStatus = 'converted' | 'up-to-date' | 'skipped' | 'failed';

/**
 * Why an input was skipped or failed. Skipped: not a trace, or deliberately left alone.
 * Failed: a trace (or something that claimed to be one) that could not be converted.
 */
export type Reason =
  // skipped
  | 'not-a-trace'
  | 'empty'
  | 'binary'
  | 'nested-archive'
  | 'link-member'
  | 'not-a-file'
  | 'symlink-outside'
  | 'symlink-loop'
  | 'broken-symlink'
  | 'duplicate'
  | 'temp-file'
  // failed
  | 'unsafe-path'
  | 'corrupt'
  | 'bad-archive'
  | 'size-limit'
  | 'unreadable'
  | 'name-clash'
  | 'convert-error'
  | 'no-events'
  | 'crashed';

export const SKIP_REASONS: ReadonlySet<Reason> = new Set<Reason>([
  'not-a-trace',
  'empty',
  'binary',
  'nested-archive',
  'link-member',
  'not-a-file',
  'symlink-outside',
  'symlink-loop',
  'broken-symlink',
  'duplicate',
  'temp-file',
]);

/** One line of the manifest: an input file, an archive member, or an archive that broke. */
export interface ManifestEntry {
  /** Logical path: relative to the input root, archive members as `a.tar.gz:dir/x.txt`. */
  input: string;
  status: EntryStatus;
  /** Input format detected (or given), null when none was. */
  format: string | null;
  /** Why detection chose that format (or none), with the sniffers' evidence; null when --from named it. */
  detection: string | null;
  /** Compression layers found, outermost first (`["gzip"]`); empty for plain text. */
  compression: string[];
  /** Output format → path relative to the output directory (converted and up-to-date only). */
  outputs: Record<string, string>;
  /** Decompressed bytes read. */
  bytes: number | null;
  lines: number | null;
  events: number | null;
  warnings: number | null;
  errors: number | null;
  /** Count per diagnostic code. */
  diagnostics: Record<string, number>;
  /** Why it was skipped or failed. */
  reason: Reason | null;
  /** What went wrong, or why it was skipped, in words. */
  error: string | null;
}

export function entry(input: string, status: EntryStatus, fields: Partial<ManifestEntry> = {}): ManifestEntry {
  return {
    input,
    status,
    format: null,
    detection: null,
    compression: [],
    outputs: {},
    bytes: null,
    lines: null,
    events: null,
    warnings: null,
    errors: null,
    diagnostics: {},
    reason: null,
    error: null,
    ...fields,
  };
}

export function problem(input: string, reason: Reason, error: string, fields: Partial<ManifestEntry> = {}): ManifestEntry {
  return entry(input, SKIP_REASONS.has(reason) ? 'skipped' : 'failed', { ...fields, reason, error });
}

/** What every worker needs to know, fixed for the whole run. */
export interface BatchConfig {
  /** Absolute output directory (real path). */
  out: string;
  /** Output format names, in the order given. */
  formats: string[];
  force: boolean;
  /** Decompressed bytes allowed per input (and per archive stream). */
  maxBytes: number;
  shard: Shard | null;
  weight?: FoldedWeight;
  inputOptions: InputOptions;
  /** Filters applied to every input. */
  filters?: FilterSpec;
  /** Worker count; members of archives are handed to other workers only when > 1. */
  jobs: number;
}

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

export type ArchiveKind = 'tar' | 'zip';

/** A unit of work found by the walk: a plain (maybe compressed) file or an archive. */
export type Unit =
  | {
      kind: 'file';
      abs: string;
      /** Logical path. */
      rel: string;
      /** Output path without the format extension, relative to the output directory. */
      outBase: string;
      mtimeMs: number;
      size: number;
    }
  | {
      kind: 'archive';
      archive: ArchiveKind;
      abs: string;
      rel: string;
      /** Output directory of the members, relative to the output directory. */
      outDir: string;
      mtimeMs: number;
      size: number;
    };

/** A member read by an archive's worker and handed to another worker as bytes. */
export interface MemberJob {
  rel: string;
  outBase: string;
  mtimeMs: number;
  bytes: Uint8Array;
  /** Bytes reserved for it in the shared count of waiting members. */
  reserved: number;
}

export type ToWorker =
  | { type: 'unit'; id: number; unit: Unit }
  | { type: 'member'; id: number; job: MemberJob };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'entry'; id: number; entry: ManifestEntry }
  | { type: 'progress'; bytes: number }
  | { type: 'offload'; job: MemberJob }
  | { type: 'done'; id: number };

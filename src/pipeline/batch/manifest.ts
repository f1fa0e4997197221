/**
 * The manifest: one entry per input, sorted by input path, no timestamps, so two runs over the
 * same inputs (with any number of workers) write the same file. A shard's manifest lists only
 * that shard's inputs; `mergeManifests` joins the shards' manifests into the whole run's.
 */
import fs from 'node:fs';
import { VERSION } from '../../version.js';
import type { EntryStatus, ManifestEntry, Shard } from './types.js';

export interface Summary {
  inputs: number;
  converted: number;
  upToDate: number;
  skipped: number;
  failed: number;
  /** Warnings of the inputs converted now or earlier (when the earlier manifest says). */
  warnings: number;
}

export interface Manifest {
  tool: 'tracebridge';
  version: string;
  formats: string[];
  shard: Shard | null;
  summary: Summary;
  entries: ManifestEntry[];
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function sortEntries(entries: ManifestEntry[]): ManifestEntry[] {
  return [...entries].sort((a, b) => compare(a.input, b.input) || compare(a.status, b.status) || compare(a.error ?? '', b.error ?? ''));
}

export function summarize(entries: readonly ManifestEntry[]): Summary {
  const n = (s: EntryStatus) => entries.filter((e) => e.status === s).length;
  return {
    inputs: entries.length,
    converted: n('converted'),
    upToDate: n('up-to-date'),
    skipped: n('skipped'),
    failed: n('failed'),
    warnings: entries.reduce((t, e) => t + (e.warnings ?? 0), 0),
  };
}

/**
 * Up-to-date entries carry what the previous manifest knew of them (format, events, ...), when
 * it listed the same input with the same outputs.
 */
export function carryOver(entries: ManifestEntry[], previous: Manifest | null): ManifestEntry[] {
  if (!previous) return entries;
  const before = new Map(previous.entries.filter((e) => e.status === 'converted' || e.status === 'up-to-date').map((e) => [e.input, e]));
  return entries.map((e) => {
    if (e.status !== 'up-to-date') return e;
    const p = before.get(e.input);
    if (!p || JSON.stringify(p.outputs) !== JSON.stringify(e.outputs)) return e;
    return { ...p, status: 'up-to-date' };
  });
}

export function buildManifest(entries: ManifestEntry[], formats: string[], shard: Shard | null): Manifest {
  const sorted = sortEntries(entries);
  return { tool: 'tracebridge', version: VERSION, formats, shard, summary: summarize(sorted), entries: sorted };
}

/** JSON with one entry per line: small, and easy to diff and grep. */
export function manifestJson(m: Manifest): string {
  const head = JSON.stringify({ ...m, entries: [] }, null, 2).replace(/\n {2}"entries": \[\]\n\}$/, '');
  const body = m.entries.map((e) => `    ${JSON.stringify(e)}`).join(',\n');
  return `${head}\n  "entries": [${m.entries.length ? `\n${body}\n  ` : ''}]\n}\n`;
}

export async function readManifest(file: string): Promise<Manifest | null> {
  try {
    const m = JSON.parse(await fs.promises.readFile(file, 'utf8')) as Manifest;
    return m && m.tool === 'tracebridge' && Array.isArray(m.entries) ? m : null;
  } catch {
    return null;
  }
}

/** Joins shard manifests (of one run split with --shard) into the manifest of the whole. */
export function mergeManifests(parts: Manifest[]): Manifest {
  if (parts.length === 0) throw new Error('no manifests to merge');
  return buildManifest(
    parts.flatMap((p) => p.entries),
    parts[0]!.formats,
    null,
  );
}

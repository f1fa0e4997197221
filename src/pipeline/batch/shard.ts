/**
 * `--shard K/N`: every input (a file, or a member of an archive) belongs to exactly one shard,
 * chosen by a hash of its logical path, so N machines given the same inputs split the work
 * without talking to each other and without a shared list.
 */
import type { Shard } from './types.js';

export function parseShard(s: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(s);
  if (!m) throw new Error(`--shard wants K/N (like 2/8), not "${s}"`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) throw new Error(`--shard ${s}: K must be between 1 and N`);
  return { index, count };
}

/** FNV-1a over the UTF-8 bytes: stable across machines, versions and platforms. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(s, 'utf8')) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The 1-based shard a logical input path belongs to. */
export function shardOf(logicalPath: string, count: number): number {
  return (hash32(logicalPath) % count) + 1;
}

export function inShard(logicalPath: string, shard: Shard | null): boolean {
  return shard === null || shardOf(logicalPath, shard.count) === shard.index;
}

export function manifestName(shard: Shard | null): string {
  return shard ? `manifest.shard-${shard.index}-of-${shard.count}.json` : 'manifest.json';
}

/**
 * A cache of what a callchain line means, keyed by the whole line: a capture repeats the same
 * frame lines (same address, symbol and dso) in most of its samples. Lines are bucketed by a
 * hash of their address, which the caller computes while scanning it, and found by string
 * equality (a length check and a compare of flat strings: no substring, no string hashing).
 * Stored lines are copies, so a cached line never keeps its read chunk alive; the cache starts
 * over when full, so memory stays bounded.
 */
const LIMIT = 1 << 17;
/** Lines kept per address hash (the same address in a few binaries). */
const PER_BUCKET = 8;

export class LineCache<T> {
  private readonly buckets = new Map<number, { line: string; value: T }[]>();
  private size = 0;

  get(hash: number, line: string): T | undefined {
    const b = this.buckets.get(hash);
    if (b) for (let k = 0; k < b.length; k++) if (b[k]!.line === line) return b[k]!.value;
    return undefined;
  }

  set(hash: number, line: string, value: T): void {
    if (this.size >= LIMIT) {
      this.buckets.clear();
      this.size = 0;
    }
    let b = this.buckets.get(hash);
    if (!b) this.buckets.set(hash, (b = []));
    if (b.length >= PER_BUCKET) return;
    b.push({ line: (' ' + line).slice(1), value });
    this.size++;
  }
}

/** Hash of the address (the first word after leading whitespace) of a line, as the cache buckets it. */
export function addressHash(s: string): number {
  const n = s.length;
  let i = 0;
  while (i < n && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9)) i++;
  let h = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 9) break;
    h = (Math.imul(h, 31) + c) | 0;
  }
  return h;
}

/**
 * What a callchain line means, cached by the whole line: a capture repeats the same frame lines
 * (same address, symbol and dso) in most of its samples.
 *
 * The line that follows a given stack prefix is nearly always one seen there before (a caller's
 * return address), so each trie node remembers its last two edges (the line read after it, its
 * meaning, the node it led to): a hit costs a string comparison (a length check and a memory
 * compare), no hashing and no trie lookup. A miss goes to a map keyed by the line (hashed by
 * the engine). Stored lines are flat copies, so a cached line never keeps its read chunk alive;
 * the map starts over when full and the edges follow the trie, so memory stays bounded by the
 * distinct stacks.
 */
const LIMIT = 1 << 17;

export interface Edge<T> {
  line: string;
  value: T;
  /** The trie node the line leads to from the node it was read after; −1 until the caller sets it. */
  child: number;
}

export class LineCache<T> {
  private readonly map = new Map<string, { line: string; value: T }>();
  /** Per trie node: the two latest edges (most recent first). */
  private first: (Edge<T> | undefined)[] = [];
  private second: (Edge<T> | undefined)[] = [];

  /** The edge for `line` read after trie node `node`, if the line is known. */
  get(node: number, line: string): Edge<T> | undefined {
    const a = this.first[node];
    if (a !== undefined) {
      if (a.line === line) return a;
      const b = this.second[node];
      if (b !== undefined && b.line === line) {
        this.second[node] = a;
        this.first[node] = b;
        return b;
      }
    }
    const c = this.map.get(line);
    return c === undefined ? undefined : this.remember(node, c.line, c.value);
  }

  set(node: number, line: string, value: T): Edge<T> {
    if (this.map.size >= LIMIT) this.map.clear();
    const c = { line: flat(line), value };
    this.map.set(c.line, c);
    return this.remember(node, c.line, value);
  }

  private remember(node: number, line: string, value: T): Edge<T> {
    while (this.first.length <= node) {
      this.first.push(undefined);
      this.second.push(undefined);
    }
    const e: Edge<T> = { line, value, child: -1 };
    this.second[node] = this.first[node];
    this.first[node] = e;
    return e;
  }
}

/** A copy of a string that holds no reference to the text it was cut from. */
function flat(s: string): string {
  return (' ' + s).slice(1);
}

/**
 * Mutations of trace text, each a pure function of (bytes, PRNG): what real captures suffer
 * (cut files, bit rot, NUL padding, mixed encodings, pasted or reordered lines, other formats
 * pasted in, CR line ends) and what stresses the limits (huge numbers, deep nesting, long lines).
 */
import { rng } from '../bench/gen-function-graph.js';

export type Rand = () => number;
export { rng };

const enc = new TextEncoder();
const int = (r: Rand, n: number) => Math.floor(r() * n);

function splitLines(b: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let s = 0;
  for (let i = 0; i < b.length; i++) {
    if (b[i] === 10) {
      out.push(b.subarray(s, i));
      s = i + 1;
    }
  }
  if (s < b.length) out.push(b.subarray(s));
  return out;
}

function joinLines(ls: Uint8Array[], eol: Uint8Array = enc.encode('\n')): Uint8Array {
  let n = 0;
  for (const l of ls) n += l.length + eol.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const l of ls) {
    out.set(l, o);
    o += l.length;
    out.set(eol, o);
    o += eol.length;
  }
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export interface MutationContext {
  /** Lines of samples of other formats, to splice in. */
  foreign: Uint8Array[];
}

type Mutation = (b: Uint8Array, r: Rand, ctx: MutationContext) => Uint8Array;

const HUGE = ['99999999999999999999', '9007199254740993', '18446744073709551616', '1e400', '99999999999999999999.000000', '999999999999999999999.000', '4294967296', '-1'];

/**
 * Lines whose repetition nests deeper in some input: a call opened (function_graph `{`,
 * syscall/irq/softirq entries of lttng and ftrace events, `sys_enter`) or a stack frame (perf
 * script's `<tab> addr sym`, dmesg's `sym+0x1/0x2` and `[<addr>]`), repeated into a deep stack.
 */
const OPENS = /\{\s*$|_entry|entry_|sys_enter|^\s+[0-9a-f]{2,16} \S|\+0x[0-9a-f]+\/0x[0-9a-f]+|\[<[0-9a-f]+>\]/;

export const MUTATIONS: Record<string, Mutation> = {
  truncate: (b, r) => b.subarray(0, int(r, b.length + 1)),
  'byte-flip': (b, r) => {
    if (!b.length) return b;
    const o = b.slice();
    const k = 1 + int(r, 8);
    for (let i = 0; i < k; i++) o[int(r, o.length)] = int(r, 256);
    return o;
  },
  nul: (b, r) => {
    const at = int(r, b.length + 1);
    return concat(b.subarray(0, at), new Uint8Array(1 + int(r, 16)), b.subarray(at));
  },
  'invalid-utf8': (b, r) => {
    const bad = [[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]][int(r, 5)]!;
    const at = int(r, b.length + 1);
    return concat(b.subarray(0, at), Uint8Array.from(bad), b.subarray(at));
  },
  shuffle: (b, r) => {
    const ls = splitLines(b);
    if (ls.length < 2) return b;
    const k = 1 + int(r, Math.max(1, ls.length));
    for (let i = 0; i < k; i++) {
      const x = int(r, ls.length);
      const y = int(r, ls.length);
      [ls[x], ls[y]] = [ls[y]!, ls[x]!];
    }
    return joinLines(ls);
  },
  duplicate: (b, r) => {
    const ls = splitLines(b);
    if (!ls.length) return b;
    const at = int(r, ls.length);
    const n = 1 + int(r, Math.min(20, ls.length - at));
    const copy = ls.slice(at, at + n);
    ls.splice(int(r, ls.length + 1), 0, ...copy);
    return joinLines(ls);
  },
  delete: (b, r) => {
    const ls = splitLines(b);
    if (!ls.length) return b;
    const at = int(r, ls.length);
    ls.splice(at, 1 + int(r, Math.min(30, ls.length - at)));
    return joinLines(ls);
  },
  splice: (b, r, ctx) => {
    if (!ctx.foreign.length) return b;
    const ls = splitLines(b);
    const n = 1 + int(r, 10);
    for (let i = 0; i < n; i++) ls.splice(int(r, ls.length + 1), 0, ctx.foreign[int(r, ctx.foreign.length)]!);
    return joinLines(ls);
  },
  'huge-number': (b, r) => {
    const s = Buffer.from(b).toString('latin1');
    const runs = [...s.matchAll(/\d+(\.\d+)?/g)];
    if (!runs.length) return b;
    let out = s;
    const k = 1 + int(r, 3);
    for (let i = 0; i < k; i++) {
      const m = runs[int(r, runs.length)]!;
      const h = HUGE[int(r, HUGE.length)]!;
      out = out.slice(0, m.index) + h + out.slice(m.index! + m[0].length);
    }
    return Uint8Array.from(Buffer.from(out, 'latin1'));
  },
  'deep-nesting': (b, r) => {
    const ls = splitLines(b);
    const opens = ls.map((l, i) => (OPENS.test(Buffer.from(l).toString('latin1')) ? i : -1)).filter((i) => i >= 0);
    if (!opens.length) return b;
    const at = opens[int(r, opens.length)]!;
    // Mostly shallow; one in four goes past the depth limit (1024).
    const n = r() < 0.25 ? 1000 + int(r, 1200) : 20 + int(r, 300);
    const copies: Uint8Array[] = new Array(n).fill(ls[at]!);
    ls.splice(at, 0, ...copies);
    return joinLines(ls);
  },
  'long-line': (b, r) => {
    const ls = splitLines(b);
    const src = ls.length ? ls[int(r, ls.length)]! : enc.encode('x');
    // Mostly a few KiB; one in twenty past the line limit (1 MiB).
    const n = r() < 0.05 ? (1 << 20) + int(r, 4096) : 1000 + int(r, 16_000);
    const long = new Uint8Array(n);
    for (let i = 0; i < n; i++) long[i] = src.length ? src[i % src.length]! : 120;
    ls.splice(int(r, ls.length + 1), 0, long);
    return joinLines(ls);
  },
  crlf: (b, r) => joinLines(splitLines(b), enc.encode(r() < 0.5 ? '\r\n' : '\r')),
  empty: (_b, r) => [new Uint8Array(0), enc.encode('\n\n\n'), enc.encode('   \t\n'), enc.encode('\r\n')][int(r, 4)]!,
};

export const MUTATION_NAMES = Object.keys(MUTATIONS);

const same = (a: Uint8Array, b: Uint8Array) => a === b || (a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(b));

/** Applies 1-3 mutations; returns the bytes, the names applied and those of them that changed the bytes. */
export function mutate(b: Uint8Array, r: Rand, ctx: MutationContext): { bytes: Uint8Array; applied: string[]; effective: string[] } {
  const k = 1 + int(r, 3);
  const applied: string[] = [];
  const effective: string[] = [];
  let out = b;
  for (let i = 0; i < k; i++) {
    const name = MUTATION_NAMES[int(r, MUTATION_NAMES.length)]!;
    applied.push(name);
    const next = MUTATIONS[name]!(out, r, ctx);
    if (!same(next, out)) effective.push(name);
    out = next;
    if (name === 'empty') break;
  }
  return { bytes: out, applied, effective };
}

export { splitLines, joinLines };

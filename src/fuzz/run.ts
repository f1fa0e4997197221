/**
 * The fuzzer: every sample of every registered input, mutated (see mutate.ts), converted to
 * every output with the input's adapter named (so each adapter meets every mutation, sniffing
 * aside), each output checked by its validator, and one output per case converted a second
 * time with another read size to check determinism. A failing case is minimised (lines, then
 * bytes, removed while it still fails) and saved under its seed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { inputs } from '../inputs/registry.js';
import { outputs } from '../outputs/registry.js';
import { convert, ConvertError } from '../pipeline/convert.js';
import { joinLines, mutate, rng, splitLines, type MutationContext } from './mutate.js';
import { randomOptions, type CaseOptions } from './options.js';
import { validatorFor } from './validate.js';

export type FailureKind = 'crash' | 'invalid' | 'nondeterministic';

export interface FuzzFailure {
  input: string;
  output: string;
  sample: string;
  seed: number;
  case: number;
  kind: FailureKind;
  message: string;
  mutations: string[];
  /** The conversion options of the case (`--options` runs). */
  options?: CaseOptions;
  /** Where the minimised input was saved. */
  saved?: string;
}

export interface InputStats {
  cases: number;
  conversions: number;
  ms: number;
  crashes: number;
  invalid: number;
  nondeterministic: number;
  /** Per mutation, the cases it changed (a mutation can leave an input as it is: no line to nest, one line to shuffle). */
  mutations: Record<string, number>;
  /** The case that took longest (all its conversions), to spot costs that grow faster than the input. */
  slowest?: { case: number; ms: number; bytes: number; sample: string; mutations: string[] };
}

export interface FuzzReport {
  seed: number;
  perInput: Record<string, InputStats>;
  failures: FuzzFailure[];
  ms: number;
}

export interface FuzzOptions {
  seed: number;
  casesPerInput: number;
  /** Case number to start at (a long run can go on where a stopped one ended). */
  firstCase?: number;
  /** Folder with one sub-folder of samples per input name (`samples/`). */
  samplesDir: string;
  /** More files per input name (corpus files). */
  extra?: Record<string, string[]>;
  /** Only these inputs / outputs (default all registered). */
  inputs?: string[];
  outputs?: string[];
  /** Where failing cases are saved (default: not saved). */
  saveDir?: string;
  /** Stop an input after this long (ms), whatever the case count. */
  timeLimitMs?: number;
  onProgress?: (input: string, done: number) => void;
  /** Random input options, folded weight, pretty JSON and filters per case (see options.ts). */
  randomOptions?: boolean;
}

const mix = (a: number, b: number) => (Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35)) >>> 0;

async function once(bytes: Uint8Array, from: string, to: string, chunkSize?: number, co?: CaseOptions): Promise<Uint8Array | { error: unknown }> {
  try {
    const r = await convert({ ...co, input: bytes, inputName: 'fuzz.txt', from, to, chunkSize });
    return r.output ?? new Uint8Array(0);
  } catch (e) {
    return { error: e };
  }
}

const isCrash = (r: Uint8Array | { error: unknown }): r is { error: unknown } => !(r instanceof Uint8Array) && !(r.error instanceof ConvertError);

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && Buffer.from(a).equals(Buffer.from(b));

/** What is wrong with converting `bytes`, or null. */
async function verdict(bytes: Uint8Array, from: string, to: string, chunk?: number, co?: CaseOptions): Promise<{ kind: FailureKind; message: string } | null> {
  const o = outputs.find((x) => x.name === to)!;
  const r = await once(bytes, from, to, undefined, co);
  if (isCrash(r)) return { kind: 'crash', message: String((r.error as Error)?.stack ?? r.error).split('\n').slice(0, 6).join('\n') };
  if (!(r instanceof Uint8Array)) return null;
  const v = validatorFor(to, o.binary);
  const bad = v ? v(r) : null;
  if (bad) return { kind: 'invalid', message: bad };
  if (chunk !== undefined) {
    const r2 = await once(bytes, from, to, chunk, co);
    if (!(r2 instanceof Uint8Array) || !sameBytes(r, r2)) return { kind: 'nondeterministic', message: `read size ${chunk} gave different bytes` };
  }
  return null;
}

/** Removes lines, then bytes, while the case still fails the same way (bounded tries). */
export async function minimise(bytes: Uint8Array, fails: (b: Uint8Array) => Promise<boolean>, budget = 200): Promise<Uint8Array> {
  let cur = bytes;
  let lines = splitLines(cur);
  let chunk = Math.max(1, lines.length >> 1);
  while (budget > 0 && chunk >= 1 && lines.length > 1) {
    let removed = false;
    for (let at = 0; at < lines.length && budget > 0; at += chunk) {
      const cand = lines.slice(0, at).concat(lines.slice(at + chunk));
      budget--;
      const b = joinLines(cand);
      if (await fails(b)) {
        lines = cand;
        cur = b;
        removed = true;
        at -= chunk;
      }
    }
    if (!removed) chunk >>= 1;
  }
  // Shorten long lines by halves.
  for (let i = 0; i < lines.length && budget > 0; i++) {
    while (lines[i]!.length > 200 && budget > 0) {
      const cand = lines.slice();
      cand[i] = lines[i]!.subarray(0, lines[i]!.length >> 1);
      budget--;
      const b = joinLines(cand);
      if (!(await fails(b))) break;
      lines = cand;
      cur = b;
    }
  }
  return cur;
}

export function samplesFor(input: string, samplesDir: string, extra?: string[]): string[] {
  const dir = path.join(samplesDir, input);
  const own = fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => !f.startsWith('.'))
        .sort()
        .map((f) => path.join(dir, f))
        .filter((p) => fs.statSync(p).isFile())
    : [];
  return own.concat(extra ?? []);
}

/** Case `c` of the input at registry index `ai`: which sample, its mutated bytes, the read size of the determinism check. */
function makeCase(seed: number, ai: number, c: number, own: Uint8Array[], ctx: MutationContext): { si: number; bytes: Uint8Array; applied: string[]; effective: string[]; chunk: number } {
  const r = rng(mix(mix(seed, ai), c));
  const si = Math.floor(r() * own.length);
  const { bytes, applied, effective } = mutate(own[si]!, r, ctx);
  return { si, bytes, applied, effective, chunk: 1 + Math.floor(r() * 4096) };
}

/** Lines of every other registered input's samples (the first 200 of each), to splice in: whatever inputs a run chose. */
function foreignLines(input: string, samplesDir: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const a of inputs) if (a.name !== input) for (const p of samplesFor(a.name, samplesDir)) out.push(...splitLines(new Uint8Array(fs.readFileSync(p))).slice(0, 200));
  return out;
}

export async function fuzz(opts: FuzzOptions): Promise<FuzzReport> {
  const t0 = Date.now();
  const chosenInputs = inputs.filter((a) => !opts.inputs || opts.inputs.includes(a.name));
  const chosenOutputs = outputs.filter((o) => !opts.outputs || opts.outputs.includes(o.name));
  const files = new Map(chosenInputs.map((a) => [a.name, samplesFor(a.name, opts.samplesDir, opts.extra?.[a.name])]));
  const data = new Map<string, Uint8Array[]>();
  for (const [name, list] of files) data.set(name, list.map((p) => new Uint8Array(fs.readFileSync(p))));
  const report: FuzzReport = { seed: opts.seed, perInput: {}, failures: [], ms: 0 };

  for (const a of chosenInputs) {
    const own = data.get(a.name)!;
    const stats: InputStats = { cases: 0, conversions: 0, ms: 0, crashes: 0, invalid: 0, nondeterministic: 0, mutations: {} };
    report.perInput[a.name] = stats;
    if (own.length === 0) continue;
    const ctx: MutationContext = { foreign: foreignLines(a.name, opts.samplesDir) };
    // The registry index, not the index among the chosen inputs: `--inputs x` makes the cases a run of every input makes.
    const ai = inputs.indexOf(a);
    const start = Date.now();
    const first = opts.firstCase ?? 0;
    for (let c = first; c < first + opts.casesPerInput; c++) {
      if (opts.timeLimitMs !== undefined && Date.now() - start > opts.timeLimitMs) break;
      const caseStart = Date.now();
      const { si, bytes, applied, effective, chunk } = makeCase(opts.seed, ai, c, own, ctx);
      for (const m of new Set(effective)) stats.mutations[m] = (stats.mutations[m] ?? 0) + 1;
      const co = opts.randomOptions ? randomOptions(rng(mix(mix(mix(opts.seed, ai), c), 0x6f707473))) : undefined;
      const detOutput = c % chosenOutputs.length;
      for (let oi = 0; oi < chosenOutputs.length; oi++) {
        const o = chosenOutputs[oi]!;
        const withChunk = oi === detOutput ? chunk : undefined;
        const bad = await verdict(bytes, a.name, o.name, withChunk, co);
        stats.conversions += withChunk === undefined ? 1 : 2;
        if (!bad) continue;
        if (bad.kind === 'crash') stats.crashes++;
        else if (bad.kind === 'invalid') stats.invalid++;
        else stats.nondeterministic++;
        const f: FuzzFailure = { input: a.name, output: o.name, sample: path.basename(files.get(a.name)![si]!), seed: opts.seed, case: c, kind: bad.kind, message: bad.message, mutations: applied, options: co };
        if (opts.saveDir) {
          const small = await minimise(bytes, async (b) => (await verdict(b, a.name, o.name, withChunk, co))?.kind === bad.kind);
          const dir = path.join(opts.saveDir, `seed-${opts.seed}`);
          fs.mkdirSync(dir, { recursive: true });
          const base = path.join(dir, `${a.name}-case${c}-${o.name}-${bad.kind}`);
          fs.writeFileSync(`${base}.txt`, small);
          fs.writeFileSync(`${base}.json`, JSON.stringify({ ...f, originalBytes: bytes.length, minimisedBytes: small.length }, null, 2) + '\n');
          f.saved = `${base}.txt`;
        }
        report.failures.push(f);
      }
      const caseMs = Date.now() - caseStart;
      if (!stats.slowest || caseMs > stats.slowest.ms) stats.slowest = { case: c, ms: caseMs, bytes: bytes.length, sample: path.basename(files.get(a.name)![si]!), mutations: applied };
      stats.cases++;
      opts.onProgress?.(a.name, stats.cases);
    }
    stats.ms = Date.now() - start;
  }
  report.ms = Date.now() - t0;
  return report;
}

/** `count` cases fuzz() makes for one input with this seed, from case `first` (for checks done elsewhere, and to replay one case). */
export function mutatedCases(seed: number, input: string, count: number, samplesDir: string, first = 0): { bytes: Uint8Array; applied: string[]; sample: string; chunk: number }[] {
  const ai = inputs.findIndex((a) => a.name === input);
  const own = samplesFor(input, samplesDir);
  const data = own.map((p) => new Uint8Array(fs.readFileSync(p)));
  const foreign = foreignLines(input, samplesDir);
  const out: { bytes: Uint8Array; applied: string[]; sample: string; chunk: number }[] = [];
  for (let c = first; c < first + count && data.length; c++) {
    const m = makeCase(seed, ai, c, data, { foreign });
    out.push({ bytes: m.bytes, applied: m.applied, sample: path.basename(own[m.si]!), chunk: m.chunk });
  }
  return out;
}

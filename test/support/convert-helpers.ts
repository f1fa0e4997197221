import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { convert } from '../../src/pipeline/convert.js';
import type { ConvertOptions, ConvertResult } from '../../src/pipeline/convert.js';
import type { Diagnostic } from '../../src/model/diagnostics.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SAMPLES = path.join(ROOT, 'samples');
export const GOLDEN = path.join(ROOT, 'test/golden');
/** The shared corpus beside the project (TRACEBRIDGE_CORPUS names another place, e.g. from a worktree). */
export const CORPUS = process.env.TRACEBRIDGE_CORPUS ?? path.resolve(ROOT, '../shared/corpus');
export const HAVE_CORPUS = fs.existsSync(path.join(CORPUS, 'MANIFEST.tsv'));

/** Converts bytes or a path in memory; returns output bytes, result and every diagnostic. */
export async function run(
  input: ConvertOptions['input'],
  to: string,
  extra: Partial<ConvertOptions> = {},
): Promise<{ out: Uint8Array; text: string; result: ConvertResult; diags: Diagnostic[] }> {
  const diags: Diagnostic[] = [];
  const result = await convert({ input, to, onDiagnostic: (d) => diags.push(d), ...extra });
  const out = result.output!;
  return { out, text: Buffer.from(out).toString('utf8'), result, diags };
}

/** The text lines of a sample or fixture given as a template literal (leading newline removed). */
export function lines(s: string): Uint8Array {
  return new TextEncoder().encode(s.replace(/^\n/, ''));
}

export function samplesOf(input: string): string[] {
  const dir = path.join(SAMPLES, input);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => !f.startsWith('.') && fs.statSync(path.join(dir, f)).isFile())
    .sort();
}

export function corpusFiles(sub: string): string[] {
  const dir = path.join(CORPUS, sub);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.txt') || f.endsWith('.log'))
    .sort()
    .map((f) => path.join(dir, f));
}

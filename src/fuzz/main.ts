/**
 * `npm run fuzz [-- --cases N --first K --seed S --inputs a,b --outputs x,y --corpus DIR --save DIR --minutes M --options]`:
 * runs the fuzzer and prints, per input, cases, conversions, time and what failed. Exit 1 when
 * anything crashed, was invalid or was not deterministic.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fuzz } from './run.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Corpus folders by input name: `<corpus>/<input with _ for ->*`. */
function corpusFiles(dir: string | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (!dir || !fs.existsSync(dir)) return out;
  for (const sub of fs.readdirSync(dir).sort()) {
    const input = sub.replace(/_(kernel|generated|host)$/, '').replace(/_/g, '-');
    const d = path.join(dir, sub);
    if (!fs.statSync(d).isDirectory()) continue;
    for (const f of fs.readdirSync(d).sort()) {
      const p = path.join(d, f);
      if (f.endsWith('.txt') && fs.statSync(p).isFile() && fs.statSync(p).size <= 4 << 20) (out[input] ??= []).push(p);
    }
  }
  return out;
}

const cases = Number(arg('cases') ?? 100_000);
const seed = Number(arg('seed') ?? 1);
const minutes = arg('minutes');
const list = (s: string | undefined) => (s ? s.split(',') : undefined);
const save = arg('save') ?? path.join(ROOT, 'fuzz-failures');
let last = Date.now();
const report = await fuzz({
  seed,
  casesPerInput: cases,
  firstCase: Number(arg('first') ?? 0),
  samplesDir: path.join(ROOT, 'samples'),
  extra: corpusFiles(arg('corpus')),
  inputs: list(arg('inputs')),
  outputs: list(arg('outputs')),
  saveDir: save,
  randomOptions: process.argv.includes('--options'),
  timeLimitMs: minutes ? Number(minutes) * 60_000 : undefined,
  onProgress: (input, done) => {
    if (Date.now() - last > 30_000) {
      last = Date.now();
      process.stderr.write(`${input}: ${done} cases\n`);
    }
  },
});
let bad = 0;
for (const [input, s] of Object.entries(report.perInput)) {
  bad += s.crashes + s.invalid + s.nondeterministic;
  const rate = s.ms ? ((s.cases / s.ms) * 1000).toFixed(1) : '-';
  process.stdout.write(
    `${input}: ${s.cases} cases, ${s.conversions} conversions in ${(s.ms / 1000).toFixed(1)} s (${rate} cases/s): ${s.crashes} crashes, ${s.invalid} invalid, ${s.nondeterministic} nondeterministic\n`,
  );
  const w = s.slowest;
  if (w) process.stdout.write(`  slowest: case ${w.case} (${w.sample}, ${w.mutations.join('+')}, ${w.bytes} bytes) ${w.ms} ms\n`);
  process.stdout.write(`  mutations (cases changed): ${Object.entries(s.mutations).sort().map(([m, n]) => `${m} ${n}`).join(', ')}\n`);
}
for (const f of report.failures.slice(0, 50)) process.stdout.write(`  ${f.kind} ${f.input} → ${f.output} case ${f.case} (${f.mutations.join('+')}): ${f.message.split('\n')[0]}${f.options ? ` options ${JSON.stringify(f.options)}` : ''}${f.saved ? ` [${f.saved}]` : ''}\n`);
process.stdout.write(`seed ${seed}, ${(report.ms / 1000).toFixed(1)} s in all\n`);
process.exitCode = bad ? 1 : 0;

/**
 * `npm run bench`: for each generated input, the cpu time (user + sys) and wall time of each
 * conversion, each in its own process, beside a raw line scan of the same file measured in the
 * same run (1 MiB reads, newlines counted with Buffer.indexOf: see run-one.ts). The ratio is
 * line-scan cpu / conversion cpu, which holds on a loaded machine; peak memory is max RSS.
 *
 *   npm run bench                                  every input at its default size, then batch
 *   npm run bench -- --only function-graph:folded,perfetto --mb 25    a figure in under a minute
 *   npm run bench -- --scale                       also folded and perfetto at 25, 250, 1000 MB
 *   npm run bench -- --only perf-script            perf script rows (TRACEBRIDGE_STACKCOLLAPSE: the Perl beside)
 *
 * `--only` takes input names (optionally `:format,format`) and may be repeated; `--mb` sets the
 * size of every input; with `--only` the batch rows are left out unless `--batch` is given, and
 * the svg flame graph row (100,000 paths) unless `--flamegraph` is.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFunctionGraph } from './gen-function-graph.js';
import { generateLttngText } from './gen-lttng.js';
import { writeDmesg } from './gen-dmesg.js';
import { benchBatch } from './batch.js';
import { benchNested, printNested } from './nested.js';
import { benchFlameGraph } from './flamegraph.js';
import { benchPerfScript, printPerfRows, type PerfMeasure } from './perf-script.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const MB = 1024 * 1024;
const dir = path.join(os.tmpdir(), 'tracebridge-bench');
fs.mkdirSync(dir, { recursive: true });

interface Measure {
  task: string;
  format?: string;
  seconds: number;
  cpuSeconds: number;
  bytes: number;
  maxRssMB: number;
}

function measure(args: string[]): Measure {
  const out = execFileSync(process.execPath, [path.join(here, 'run-one.js'), ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop()!) as Measure;
}

type Gen = (p: string, bytes: number) => Promise<unknown>;

/** A cached generated input of at least `mb` MB. */
async function input(name: string, mb: number, gen: Gen): Promise<string> {
  const p = path.join(dir, `${name}-${mb}MB.txt`);
  if (!fs.existsSync(p) || fs.statSync(p).size < mb * MB) {
    process.stdout.write(`generating ${p} ...\n`);
    await gen(p, mb * MB);
  }
  return p;
}

interface Target {
  ratio?: number;
  rss?: number;
}

interface Row {
  input: string;
  sizeMB: number;
  what: string;
  mbps: number;
  cpu: number;
  rss: number;
  ratio?: number;
  target?: string;
  ok?: boolean;
}

const rows: Row[] = [];

async function benchInput(label: string, file: string, from: string, formats: string[], targets: Record<string, Target>) {
  const sizeMB = fs.statSync(file).size / MB;
  // The least of a few scans (TRACEBRIDGE_BENCH_REPEAT, default 3): the first may read the file
  // from disk, a cost of a cold page cache, not of scanning, that the conversions after it,
  // reading from memory, would not pay. Measured: 0.44 cpu s for 250 MB cold, 0.13 s warm.
  const repeat = Math.max(1, Number(process.env.TRACEBRIDGE_BENCH_REPEAT ?? 3));
  let scan = measure(['line-scan', file]);
  for (let i = 1; i < repeat; i++) {
    const m = measure(['line-scan', file]);
    if (m.cpuSeconds < scan.cpuSeconds) scan = m;
  }
  rows.push({ input: label, sizeMB, what: 'line-scan', mbps: scan.bytes / MB / scan.seconds, cpu: scan.cpuSeconds, rss: scan.maxRssMB });
  for (const format of formats) {
    const out = path.join(dir, `out.${format}`);
    const m = measure(['convert', file, format, out, from]);
    fs.rmSync(out, { force: true });
    const ratio = scan.cpuSeconds / m.cpuSeconds;
    const t = targets[format] ?? {};
    const goals: string[] = [];
    let ok = true;
    if (t.ratio) {
      goals.push(`>= ${t.ratio.toFixed(2)}x scan`);
      ok &&= ratio >= t.ratio;
    }
    if (t.rss) {
      goals.push(`< ${t.rss} MB`);
      ok &&= m.maxRssMB < t.rss;
    }
    rows.push({
      input: label, sizeMB, what: format, mbps: m.bytes / MB / m.seconds, cpu: m.cpuSeconds, rss: m.maxRssMB, ratio,
      target: goals.join(', '), ok: goals.length ? ok : undefined,
    });
  }
}

function print() {
  const head = ['input', 'MB', 'task', 'wall MB/s', 'cpu s', 'peak RSS MB', 'cpu vs line-scan', 'target', 'met'];
  const body = rows.map((r) => [
    r.input,
    r.sizeMB.toFixed(0),
    r.what,
    r.mbps.toFixed(1),
    r.cpu.toFixed(2),
    r.rss.toFixed(0),
    r.ratio === undefined ? '' : r.ratio.toFixed(3),
    r.target ?? '',
    r.ok === undefined ? '' : r.ok ? 'yes' : 'NO',
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(w[i]!)).join('  ');
  process.stdout.write('\n' + line(head) + '\n' + line(w.map((n) => '-'.repeat(n))) + '\n' + body.map(line).join('\n') + '\n');
}

const FORMATS = ['folded', 'perfetto', 'chrome-json', 'csv'];
const RSS = 150;
const INPUTS: Record<string, { mb: number; gen: Gen; targets: Record<string, Target>; from?: string }> = {
  'function-graph': {
    mb: 250,
    gen: (p, b) => writeFunctionGraph(p, b),
    targets: { folded: { ratio: 0.25 }, perfetto: { ratio: 0.2, rss: RSS }, 'chrome-json': { ratio: 0.15, rss: RSS }, csv: { ratio: 0.15, rss: RSS } },
  },
  // Neither header nor banner: no line names a task.
  'function-graph-bare': {
    mb: 100,
    gen: (p, b) => writeFunctionGraph(p, b, 1, true),
    from: 'function-graph',
    targets: { perfetto: { ratio: 0.2, rss: RSS }, 'chrome-json': { ratio: 0.15, rss: RSS }, csv: { ratio: 0.15, rss: RSS } },
  },
  dmesg: {
    mb: 100,
    gen: (p, b) => writeDmesg(p, b),
    targets: { folded: { ratio: 0.1 }, perfetto: { ratio: 0.1, rss: RSS }, 'chrome-json': { ratio: 0.1, rss: RSS }, csv: { ratio: 0.1, rss: RSS } },
  },
  'lttng-text': {
    mb: 200,
    gen: (p, b) => generateLttngText(p, b),
    targets: { folded: { ratio: 0.12 }, perfetto: { ratio: 0.12, rss: RSS }, 'chrome-json': { ratio: 0.12, rss: RSS }, csv: { ratio: 0.12, rss: RSS } },
  },
};

/** Rows of their own (a corpus capture repeated, stackcollapse-perf.pl beside): see perf-script.ts. */
const PERF = 'perf-script';

function parseArgs(argv: string[]) {
  const only = new Map<string, string[]>();
  let mb: number | undefined = process.env.TRACEBRIDGE_BENCH_MB ? Number(process.env.TRACEBRIDGE_BENCH_MB) : undefined;
  let scale = false;
  let batch: boolean | undefined;
  let flame: boolean | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a.startsWith('--only')) {
      for (const part of value().split(/\s+|;/).filter(Boolean)) {
        const [name, fmts] = part.split(':');
        if (!INPUTS[name!] && name !== PERF) throw new Error(`--only: no bench input "${name}" (have ${Object.keys(INPUTS).join(', ')})`);
        only.set(name!, fmts ? fmts.split(',') : FORMATS);
      }
    } else if (a.startsWith('--mb')) mb = Number(value());
    else if (a === '--scale') scale = true;
    else if (a === '--batch') batch = true;
    else if (a === '--no-batch') batch = false;
    else if (a === '--flamegraph') flame = true;
    else throw new Error(`unknown option ${a}`);
  }
  return { only, mb, scale, batch: batch ?? only.size === 0, flame: flame ?? only.size === 0 };
}

const opts = parseArgs(process.argv.slice(2));
process.stdout.write(`node ${process.version}, ${os.cpus().length} CPUs, ${os.cpus()[0]?.model ?? ''}\n`);
const chosen = opts.only.size ? [...opts.only] : Object.keys(INPUTS).map((n) => [n, FORMATS] as [string, string[]]);
for (const [name, formats] of chosen) {
  const spec = INPUTS[name];
  if (!spec) continue;
  const file = await input(name, opts.mb ?? spec.mb, spec.gen);
  await benchInput(name, file, spec.from ?? name, formats, spec.targets);
}
if (opts.scale) {
  for (const mb of [25, 250, 1000]) {
    const file = await input('function-graph', mb, INPUTS['function-graph']!.gen);
    await benchInput(`function-graph (scale)`, file, 'function-graph', ['folded', 'perfetto'], INPUTS['function-graph']!.targets);
  }
}
print();

if (opts.only.size === 0 || opts.only.has(PERF)) {
  const corpus = process.env.TRACEBRIDGE_CORPUS ?? path.resolve(here, '../../../shared/corpus');
  const perfRows = benchPerfScript({
    corpus: path.join(corpus, 'perf_script'),
    dir,
    sizeMB: opts.mb ?? 200,
    measure: (a) => measure(a) as PerfMeasure,
    log: (s) => process.stdout.write(s),
  });
  printPerfRows(perfRows, (s) => process.stdout.write(s));
}

if (opts.batch) {
  // Batch: a few hundred files (plain, in a tarball, gzipped), --jobs 1 and --jobs 2.
  const batchRows = await benchBatch({ dir: path.join(dir, 'batch') });
  process.stdout.write('\nbatch                  files  MB in   seconds  files/s  MB/s   identical to --jobs 1\n');
  for (const r of batchRows) {
    process.stdout.write(
      `${r.what.padEnd(22)} ${String(r.files).padStart(5)}  ${(r.bytes / MB).toFixed(1).padStart(5)}  ${r.seconds.toFixed(2).padStart(7)}  ${r.filesPerSec
        .toFixed(1)
        .padStart(7)}  ${r.mbPerSec.toFixed(1).padStart(5)}  ${r.identical === undefined ? '' : r.identical ? 'yes' : 'NO'}\n`,
    );
  }
}

// Deep nesting: linear time and flat memory whatever the depth (`node dist/bench/nested.js` alone).
if (opts.only.size === 0) printNested(benchNested([10_000, 100_000, 1_000_000], dir));
// The svg flame graph of a 100,000-path profile: write time, size, frames drawn and merged, render.
if (opts.flame) {
  const fgb = await benchFlameGraph(dir);
  process.stdout.write(
    `\nsvg flame graph of ${fgb.paths} paths: written in ${fgb.writeSeconds.toFixed(2)} s, ${(fgb.bytes / MB).toFixed(2)} MB, ` +
      `${fgb.frames} frames drawn, ${fgb.merged} merged under 0.1 px` +
      (fgb.renderMs === undefined ? ' (no Chromium: render not measured)\n' : `, loaded and painted by Chromium in ${fgb.renderMs} ms\n`),
  );
}

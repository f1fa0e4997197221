/**
 * `npm run bench`: throughput (MB/s of input) and peak memory (max RSS) of each conversion on
 * generated inputs, each in its own process, beside a raw line-scan of the same file measured in
 * the same run. Sizes: TRACEBRIDGE_BENCH_MB (default 200).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFunctionGraph } from './gen-function-graph.js';
import { generateLttngText } from './gen-lttng.js';
import { benchBatch } from './batch.js';
import { benchNested, printNested } from './nested.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const MB = 1024 * 1024;
const sizeMB = Number(process.env.TRACEBRIDGE_BENCH_MB ?? 200);
const dir = path.join(os.tmpdir(), 'tracebridge-bench');
fs.mkdirSync(dir, { recursive: true });

interface Measure {
  task: string;
  format?: string;
  seconds: number;
  bytes: number;
  maxRssMB: number;
}

function measure(args: string[]): Measure {
  const out = execFileSync(process.execPath, [path.join(here, 'run-one.js'), ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop()!) as Measure;
}

/** A cached generated input of at least `mb` MB. */
async function input(name: string, mb: number, gen: (p: string, bytes: number) => Promise<unknown>): Promise<string> {
  const p = path.join(dir, `${name}-${mb}MB.txt`);
  if (!fs.existsSync(p) || fs.statSync(p).size < mb * MB) {
    process.stdout.write(`generating ${p} ...\n`);
    await gen(p, mb * MB);
  }
  return p;
}

interface Row {
  input: string;
  what: string;
  mbps: number;
  rss: number;
  ratio?: number;
  target?: string;
  ok?: boolean;
}

const rows: Row[] = [];

async function benchInput(label: string, file: string, from: string, targets: Record<string, { ratio?: number; rss?: number }>) {
  const scan = measure(['line-scan', file]);
  const scanRate = scan.bytes / MB / scan.seconds;
  rows.push({ input: label, what: 'line-scan', mbps: scanRate, rss: scan.maxRssMB });
  for (const format of ['folded', 'perfetto', 'chrome-json', 'csv']) {
    const out = path.join(dir, `out.${format}`);
    const m = measure(['convert', file, format, out, from]);
    fs.rmSync(out, { force: true });
    const rate = m.bytes / MB / m.seconds;
    const t = targets[format] ?? {};
    const goals: string[] = [];
    let ok = true;
    if (t.ratio) {
      goals.push(`>= 1/${Math.round(1 / t.ratio)} scan`);
      ok &&= rate >= t.ratio * scanRate;
    }
    if (t.rss) {
      goals.push(`< ${t.rss} MB`);
      ok &&= m.maxRssMB < t.rss;
    }
    rows.push({ input: label, what: format, mbps: rate, rss: m.maxRssMB, ratio: rate / scanRate, target: goals.join(', '), ok: goals.length ? ok : undefined });
  }
}

function print() {
  const head = ['input', 'task', 'MB/s', 'peak RSS MB', 'vs line-scan', 'target', 'met'];
  const body = rows.map((r) => [
    r.input,
    r.what,
    r.mbps.toFixed(1),
    r.rss.toFixed(0),
    r.ratio === undefined ? '' : r.ratio.toFixed(2),
    r.target ?? '',
    r.ok === undefined ? '' : r.ok ? 'yes' : 'NO',
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(w[i]!)).join('  ');
  process.stdout.write('\n' + line(head) + '\n' + line(w.map((n) => '-'.repeat(n))) + '\n' + body.map(line).join('\n') + '\n');
}

const fg = await input('function-graph', sizeMB, (p, b) => writeFunctionGraph(p, b));
process.stdout.write(`function_graph input: ${(fs.statSync(fg).size / MB).toFixed(0)} MB, node ${process.version}, ${os.cpus().length} CPUs\n`);
await benchInput('function-graph', fg, 'function-graph', {
  folded: { ratio: 1 / 2 },
  perfetto: { ratio: 1 / 3, rss: 200 },
  'chrome-json': { ratio: 1 / 4, rss: 200 },
  csv: { rss: 200 },
});
const lt = await input('lttng-text', sizeMB, (p, b) => generateLttngText(p, b));
process.stdout.write(`lttng-text input: ${(fs.statSync(lt).size / MB).toFixed(0)} MB\n`);
await benchInput('lttng-text', lt, 'lttng-text', {
  perfetto: { rss: 200 },
  'chrome-json': { rss: 200 },
  csv: { rss: 200 },
});
print();

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

// Deep nesting: linear time and flat memory whatever the depth.
printNested(benchNested([10_000, 100_000, 1_000_000], dir));

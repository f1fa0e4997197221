/**
 * The perf-script rows of `npm run bench`: the largest capture of the perf_script corpus
 * repeated to at least the bench size, converted to each output (default and
 * `--compat stackcollapse` folded) beside the raw line scan of the same file, all compared by
 * cpu seconds. When FlameGraph's script is at TRACEBRIDGE_STACKCOLLAPSE (it is not part of the
 * project), `perl stackcollapse-perf.pl` runs on the same file in the same run and its output
 * is compared byte for byte with the compat folded output. The line scan, the folded rows and
 * the Perl are each the best of TRACEBRIDGE_BENCH_REPEAT runs (default 3), so a shared machine's
 * load weighs on neither side of a ratio more than on the other.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const MB = 1024 * 1024;

export interface PerfMeasure {
  seconds: number;
  cpuSeconds: number;
  bytes: number;
  maxRssMB: number;
}

export interface PerfRow {
  what: string;
  cpuSeconds: number;
  mbPerCpuSecond: number;
  rss: number;
  note: string;
}

/** The corpus capture with the most text (decompressed). */
function largestCapture(corpus: string): string | undefined {
  if (!fs.existsSync(corpus)) return undefined;
  let best: string | undefined;
  let size = -1;
  for (const f of fs.readdirSync(corpus)) {
    if (!/\.perf\.txt(\.gz)?$/.test(f)) continue;
    const p = path.join(corpus, f);
    const n = f.endsWith('.gz') ? zlib.gunzipSync(fs.readFileSync(p)).length : fs.statSync(p).size;
    if (n > size) [best, size] = [p, n];
  }
  return best;
}

function repeated(src: string, out: string, bytes: number): void {
  if (fs.existsSync(out) && fs.statSync(out).size >= bytes) return;
  const text = src.endsWith('.gz') ? zlib.gunzipSync(fs.readFileSync(src)) : fs.readFileSync(src);
  const fd = fs.openSync(out, 'w');
  for (let n = 0; n < bytes; n += text.length) fs.writeSync(fd, text);
  fs.closeSync(fd);
}

function perlCpu(script: string, file: string, out: string): number {
  // bash's `time` reports the cpu of the child (user + sys).
  const t = execFileSync('bash', ['-c', `TIMEFORMAT='%U %S'; { time perl "$0" "$1" > "$2" 2>/dev/null; } 2>&1`, script, file, out], { encoding: 'utf8' });
  const [u, s] = t.trim().split(/\s+/).map(Number);
  return u! + s!;
}

/** The run with the least cpu of `n` (the machine may be shared: the least disturbed run). */
function best<T extends { cpuSeconds: number }>(n: number, run: () => T): T {
  let b = run();
  for (let i = 1; i < n; i++) {
    const m = run();
    if (m.cpuSeconds < b.cpuSeconds) b = m;
  }
  return b;
}

export function benchPerfScript(opts: {
  corpus: string;
  dir: string;
  sizeMB: number;
  measure: (args: string[]) => PerfMeasure;
  log: (s: string) => void;
}): PerfRow[] {
  const cap = largestCapture(opts.corpus);
  if (!cap) {
    opts.log(`perf-script: no captures in ${opts.corpus}; rows skipped\n`);
    return [];
  }
  const file = path.join(opts.dir, `perf-script-${opts.sizeMB}MB.txt`);
  repeated(cap, file, opts.sizeMB * MB);
  const bytes = fs.statSync(file).size;
  opts.log(`perf-script input: ${path.basename(cap)} repeated to ${(bytes / MB).toFixed(0)} MB\n`);
  const rows: PerfRow[] = [];
  const row = (what: string, m: { cpuSeconds: number; maxRssMB: number }, note = '') =>
    rows.push({ what, cpuSeconds: m.cpuSeconds, mbPerCpuSecond: bytes / MB / m.cpuSeconds, rss: m.maxRssMB, note });
  // The line scan, the folded rows and the Perl are each the best of `repeat` runs, alike.
  const repeat = Math.max(1, Number(process.env.TRACEBRIDGE_BENCH_REPEAT ?? 3));
  const scan = best(repeat, () => opts.measure(['line-scan', file]));
  row('line-scan', scan);
  const compatOut = path.join(opts.dir, 'perf-compat.folded');
  const runs: [string, string, Record<string, string>][] = [
    ['folded --compat stackcollapse', 'folded', { compat: 'stackcollapse' }],
    ['folded', 'folded', {}],
    ['perfetto', 'perfetto', {}],
    ['chrome-json', 'chrome-json', {}],
    ['csv', 'csv', {}],
  ];
  let compat: PerfMeasure | undefined;
  for (const [what, format, o] of runs) {
    const out = o.compat ? compatOut : path.join(opts.dir, `perf-out.${format}`);
    const m = best(format === 'folded' ? repeat : 1, () => opts.measure(['convert', file, format, out, 'perf-script', JSON.stringify(o)]));
    if (!o.compat) fs.rmSync(out, { force: true });
    else compat = m;
    const ratio = scan.cpuSeconds / m.cpuSeconds;
    row(what, m, `${ratio.toFixed(2)}x line-scan${what.startsWith('folded') ? ` (target >= 0.25: ${ratio >= 0.25 ? 'met' : 'NOT met'})` : ''}`);
  }
  const script = process.env.TRACEBRIDGE_STACKCOLLAPSE;
  if (script && fs.existsSync(script) && compat) {
    const perlOut = path.join(opts.dir, 'perf-perl.folded');
    const cpu = best(repeat, () => ({ cpuSeconds: perlCpu(script, file, perlOut) })).cpuSeconds;
    const same = fs.readFileSync(perlOut).equals(fs.readFileSync(compatOut));
    const x = cpu / compat.cpuSeconds;
    rows.push({
      what: 'perl stackcollapse-perf.pl',
      cpuSeconds: cpu,
      mbPerCpuSecond: bytes / MB / cpu,
      rss: NaN,
      note: `${x.toFixed(2)}x the cpu of --compat stackcollapse (target >= 4: ${x >= 4 ? 'met' : 'NOT met'}); outputs ${same ? 'identical' : 'DIFFER'}`,
    });
    fs.rmSync(perlOut, { force: true });
  } else opts.log('perf-script: set TRACEBRIDGE_STACKCOLLAPSE=/path/to/stackcollapse-perf.pl for the side-by-side row\n');
  fs.rmSync(compatOut, { force: true });
  return rows;
}

export function printPerfRows(rows: PerfRow[], log: (s: string) => void): void {
  if (!rows.length) return;
  log('\nperf-script                     cpu s   MB/cpu-s  peak RSS MB  notes\n');
  for (const r of rows) {
    log(`${r.what.padEnd(30)} ${r.cpuSeconds.toFixed(2).padStart(6)}  ${r.mbPerCpuSecond.toFixed(1).padStart(8)}  ${(Number.isNaN(r.rss) ? '' : r.rss.toFixed(0)).padStart(11)}  ${r.note}\n`);
  }
}

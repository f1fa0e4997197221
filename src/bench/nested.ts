/**
 * Deep nesting: N nested function_graph calls (N opening lines, then N closing ones) converted
 * to every output, each in its own process; time per call should not grow with N (linear cost)
 * and peak memory should stay flat (calls past the depth limit are counted, not kept).
 *   node dist/bench/nested.js [N ...]     (default 10000 100000 1000000)
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { outputs } from '../outputs/registry.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export function writeNested(p: string, n: number): void {
  const fd = fs.openSync(p, 'w');
  try {
    fs.writeSync(fd, '# tracer: function_graph\n#\n# CPU  DURATION                  FUNCTION CALLS\n# |     |   |                     |   |   |   |\n');
    const open = ' 0)               |  nested_call() {\n'.repeat(1000);
    const close = ' 0)   0.100 us    |  }\n'.repeat(1000);
    for (let i = 0; i < n; i += 1000) fs.writeSync(fd, i + 1000 <= n ? open : ' 0)               |  nested_call() {\n'.repeat(n - i));
    for (let i = 0; i < n; i += 1000) fs.writeSync(fd, i + 1000 <= n ? close : ' 0)   0.100 us    |  }\n'.repeat(n - i));
  } finally {
    fs.closeSync(fd);
  }
}

export interface NestedRow {
  calls: number;
  format: string;
  seconds: number;
  usPerCall: number;
  maxRssMB: number;
}

export function benchNested(sizes: number[], dir = path.join(os.tmpdir(), 'tracebridge-bench')): NestedRow[] {
  fs.mkdirSync(dir, { recursive: true });
  const rows: NestedRow[] = [];
  for (const n of sizes) {
    const file = path.join(dir, `nested-${n}.txt`);
    if (!fs.existsSync(file)) writeNested(file, n);
    for (const o of outputs) {
      const out = path.join(dir, `nested-out${o.extensions[0]}`);
      const line = execFileSync(process.execPath, [path.join(here, 'run-one.js'), 'convert', file, o.name, out, 'function-graph'], { encoding: 'utf8' });
      fs.rmSync(out, { force: true });
      const m = JSON.parse(line.trim().split('\n').pop()!) as { seconds: number; maxRssMB: number };
      rows.push({ calls: n, format: o.name, seconds: m.seconds, usPerCall: (m.seconds * 1e6) / n, maxRssMB: m.maxRssMB });
    }
  }
  return rows;
}

export function printNested(rows: NestedRow[]): void {
  process.stdout.write('\nnested calls  output        seconds  us/call  peak RSS MB\n');
  for (const r of rows) {
    process.stdout.write(
      `${String(r.calls).padStart(12)}  ${r.format.padEnd(12)}  ${r.seconds.toFixed(2).padStart(7)}  ${r.usPerCall.toFixed(2).padStart(7)}  ${r.maxRssMB.toFixed(0).padStart(11)}\n`,
    );
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const sizes = process.argv.slice(2).map(Number);
  printNested(benchNested(sizes.length ? sizes : [10_000, 100_000, 1_000_000]));
}

/**
 * One benchmark measurement in its own process, so peak memory (max RSS) belongs to it alone:
 *   node dist/bench/run-one.js line-scan FILE
 *   node dist/bench/run-one.js convert FILE FORMAT OUT [FROM [INPUT-OPTIONS-JSON]]
 * Prints one JSON line: {seconds, cpuSeconds, bytes, maxRssMB, lines?, events?}.
 * The heap is set up as the command line sets it (`src/pipeline/heap.ts`): what is measured is what
 * a user of `tracebridge convert` gets.
 */
import fs from 'node:fs';
import { tuneHeap } from '../pipeline/heap.js';
import type { InputOptions } from '../inputs/types.js';
import { convert } from '../pipeline/convert.js';

/**
 * The floor any line-based reader stands on: 1 MiB `readSync` calls into one Buffer, newlines
 * counted with `Buffer.indexOf`. No decoding, no strings: the cheapest honest pass over the bytes.
 */
function lineScan(file: string): { lines: number } {
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  let lines = 0;
  try {
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      const view = n === buf.length ? buf : buf.subarray(0, n);
      for (let i = view.indexOf(10); i >= 0; i = view.indexOf(10, i + 1)) lines++;
    }
  } finally {
    fs.closeSync(fd);
  }
  return { lines };
}

const [task, file, format, out, from, optionsJson] = process.argv.slice(2);
if (!task || !file) {
  process.stderr.write('usage: run-one line-scan FILE | convert FILE FORMAT OUT [FROM]\n');
  process.exit(2);
}
tuneHeap();
const bytes = fs.statSync(file).size;
const t0 = process.hrtime.bigint();
const c0 = process.cpuUsage();
let extra: Record<string, number> = {};
if (task === 'line-scan') extra = lineScan(file);
else {
  const inputOptions = optionsJson ? (JSON.parse(optionsJson) as InputOptions) : undefined;
  const r = await convert({ input: file, to: format!, output: out!, from: from ?? 'auto', ...(inputOptions ? { inputOptions } : {}) });
  extra = { lines: r.lines, events: r.events, outBytes: r.bytesOut };
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const cpu = process.cpuUsage(c0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const maxRssMB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(JSON.stringify({ task, format, seconds, cpuSeconds, bytes, maxRssMB, ...extra }) + '\n');

/**
 * One benchmark measurement in its own process, so peak memory (max RSS) belongs to it alone:
 *   node dist/bench/run-one.js line-scan FILE
 *   node dist/bench/run-one.js convert FILE FORMAT OUT [FROM [INPUT-OPTIONS-JSON]]
 * Prints one JSON line: {seconds, cpuSeconds, bytes, maxRssMB, lines?, events?}.
 */
import fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { InputOptions } from '../inputs/types.js';
import { convert } from '../pipeline/convert.js';

async function lineScan(file: string): Promise<{ lines: number }> {
  // The floor any line-based converter stands on: read, decode UTF-8, cut into lines.
  const dec = new StringDecoder('utf8');
  let rest = '';
  let lines = 0;
  let chars = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 16 })) {
    const text = rest + dec.write(chunk as Buffer);
    const parts = text.split('\n');
    rest = parts.pop()!;
    lines += parts.length;
    for (const p of parts) chars += p.length;
  }
  if ((rest + dec.end()).length) lines++;
  return { lines: lines + (chars < 0 ? 1 : 0) };
}

const [task, file, format, out, from, optionsJson] = process.argv.slice(2);
if (!task || !file) {
  process.stderr.write('usage: run-one line-scan FILE | convert FILE FORMAT OUT [FROM]\n');
  process.exit(2);
}
const bytes = fs.statSync(file).size;
const t0 = process.hrtime.bigint();
let extra: Record<string, number> = {};
if (task === 'line-scan') extra = await lineScan(file);
else {
  const inputOptions = optionsJson ? (JSON.parse(optionsJson) as InputOptions) : undefined;
  const r = await convert({ input: file, to: format!, output: out!, from: from ?? 'auto', ...(inputOptions ? { inputOptions } : {}) });
  extra = { lines: r.lines, events: r.events, outBytes: r.bytesOut };
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const ru = process.resourceUsage();
const maxRssMB = ru.maxRSS / 1024;
const cpuSeconds = (ru.userCPUTime + ru.systemCPUTime) / 1e6;
process.stdout.write(JSON.stringify({ task, format, seconds, cpuSeconds, bytes, maxRssMB, ...extra }) + '\n');

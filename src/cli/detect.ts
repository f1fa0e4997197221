/**
 * `tracebridge detect FILE`: what each input adapter's sniffer says about the file's first
 * 64 KiB (decompressed), how sure it is, why, and the lines it based that on; then the format
 * detection picks (or why it picks none).
 */
import fs from 'node:fs';
import type { CommandModule } from 'yargs';
import { detect, SNIFF_BYTES } from '../inputs/registry.js';
import { decompressed } from '../pipeline/decompress.js';
import type { CliIo } from './cli.js';

const LEVEL = ['no', 'possible', 'likely', 'certain'] as const;
/** Characters of an evidence line shown. */
const SHOW = 120;

async function readHead(file: string): Promise<string> {
  const src = file === '-' ? process.stdin : fs.createReadStream(file);
  const chunks: Buffer[] = [];
  let n = 0;
  const stream = decompressed(src);
  try {
    for await (const c of stream) {
      const b = Buffer.isBuffer(c) ? c : Buffer.from(c as Uint8Array);
      chunks.push(b);
      n += b.length;
      if (n >= SNIFF_BYTES * 4) break;
    }
  } finally {
    stream.destroy();
    if (file !== '-') src.destroy();
  }
  // Whole lines only, as the converter's detection sees them (`\n`-joined, at most 64 KiB).
  const text = Buffer.concat(chunks).toString('utf8').replace(/\r\n/g, '\n');
  return text.slice(0, SNIFF_BYTES);
}

/** The report `detect` prints for a head of text; exported for tests. */
export function detectReport(head: string): { text: string; chosen?: string } {
  const d = detect(head);
  const lines = head.split('\n');
  const out: string[] = [];
  for (const { name, verdict: v } of d.verdicts) {
    const share = v.share !== undefined ? `, reads ${Math.round(v.share * 100)}% of lines` : '';
    out.push(`${name}: ${v.answer} (${LEVEL[v.level]}, level ${v.level}${share}): ${v.reason}`);
    for (const no of v.lines) {
      const t = lines[no - 1] ?? '';
      out.push(`  ${String(no).padStart(5)}: ${t.length > SHOW ? `${t.slice(0, SHOW)}…` : t}`);
    }
  }
  if (d.adapter) out.push(`detected: ${d.adapter.name} (${d.reason})`);
  else if (d.ambiguous) out.push(`ambiguous: ${d.reason}; name the format with --from`);
  else out.push(`not detected: ${d.reason}`);
  const r: { text: string; chosen?: string } = { text: `${out.join('\n')}\n` };
  if (d.adapter) r.chosen = d.adapter.name;
  return r;
}

export function detectCommand(io: CliIo, setCode: (c: number) => void): CommandModule<object, { input: string }> {
  return {
    command: 'detect <input>',
    describe: "show each input format's sniffer answer for a file: how sure, why, on which lines",
    builder: (y) => y.positional('input', { type: 'string', demandOption: true, describe: 'input file or -' }) as never,
    handler: async (argv) => {
      try {
        const r = detectReport(await readHead(argv.input));
        io.stdout(r.text);
        setCode(r.chosen ? 0 : 1);
      } catch (e) {
        io.stderr(`tracebridge: ${(e as Error).message}\n`);
        setCode(1);
      }
    },
  };
}

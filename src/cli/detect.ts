/**
 * `tracebridge detect FILE`: what each input adapter's sniffer says about the file's first
 * 64 KiB (decompressed), how sure it is, why, and the lines it based that on; then the format
 * detection picks (or why it picks none).
 */
import fs from 'node:fs';
import { detect } from '../inputs/registry.js';
import { decompressed } from '../pipeline/decompress.js';
import { readHead } from '../pipeline/head.js';
import { type Command, EXIT, type Io } from './io.js';

const LEVEL = ['no', 'possible', 'likely', 'certain'] as const;
/** Characters of an evidence line shown. */
const SHOW = 120;

/** The head convert's detection would see: decompressed, split into lines by the same reader. */
async function headOf(file: string, io: Io): Promise<string> {
  const src = file === '-' ? io.stdin : fs.createReadStream(file);
  const stream = decompressed(src);
  const it = stream[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
  try {
    return (await readHead(it)).text;
  } finally {
    stream.destroy();
    if (file !== '-') src.destroy();
  }
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

/** The `detect` command module. */
export const detectCommand: Command<{ input: string }> = ({ io, done }) => ({
  command: 'detect <input>',
  describe: "show each input format's sniffer answer for a file: how sure, why, on which lines",
  builder: (y) => y.positional('input', { type: 'string', demandOption: true, describe: 'input file or -' }) as never,
  handler: async (argv) => {
    try {
      const r = detectReport(await headOf(argv.input === '' ? '-' : argv.input, io));
      io.stdout(r.text);
      done(r.chosen ? EXIT.ok : EXIT.failed);
    } catch (e) {
      io.stderr(`tracebridge: ${(e as Error).message}\n`);
      done(EXIT.failed);
    }
  },
});

/**
 * The `convert` command: every argument checked before any work, signals that leave no
 * temporary file behind (exit 128 + the signal's number), a progress bar on a terminal for
 * inputs that take more than a second, one clear message per mistake naming the output path.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Argv } from 'yargs';
import { outputForPath, outputs } from '../outputs/registry.js';
import { ConvertError, convert } from '../pipeline/convert.js';
import { DiagnosticPrinter } from './diagnostics-printer.js';
import { type Command, EXIT, type Io, SIGNAL_EXIT, STOP_SIGNALS } from './io.js';
import {
  filterSpecOf,
  flameOptionsOf,
  fromOption,
  inputOptionsFrom,
  weightOf,
  withFilterOptions,
  withFlameOptions,
  withInputOptions,
  withWeightOption,
} from './options.js';
import { delayedBar } from './progress.js';

export interface ConvertArgs {
  input: string;
  output?: string;
  from: string;
  to?: string;
  strict: boolean;
  quiet: boolean;
  verbose: boolean;
  _: (string | number)[];
  [option: string]: unknown;
}

function convertOptions(y: Argv) {
  const base = y
    .positional('input', { type: 'string', demandOption: true, describe: 'input file or -' })
    .option('output', { alias: 'o', type: 'string', describe: 'output file, or - for standard output' })
    .option('from', fromOption())
    .option('to', { type: 'string', choices: outputs.map((o) => o.name), describe: 'output format (default: from the -o extension)' });
  return withInputOptions(withWeightOption(base))
    .option('strict', { type: 'boolean', default: false, describe: 'fail (exit 1) when there is any warning' })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'print nothing but the reason a conversion failed' })
    .option('verbose', { alias: 'v', type: 'boolean', default: false, describe: 'print every diagnostic, infos too' })
    .example('$0 convert samples/function-graph/seed-004-recvfrom-pasted.txt -o recvfrom.json', 'Chrome JSON for Perfetto UI')
    .example('$0 convert samples/lttng-text/bt2-kernel-sched-irq-syscalls.txt -o sched.pftrace', 'Perfetto protobuf')
    .example('$0 convert samples/function-graph/seed-002-libaio-blog.txt --to folded -o - > libaio.folded', 'folded stacks of self time, for a flame graph')
    .example('cat samples/dmesg/soft-lockup.txt | $0 convert - --to csv -o stacks.csv', 'read standard input');
}

/** The `convert` command module. */
export const convertCommand: Command<ConvertArgs> = ({ io, done, usage }) => ({
  command: 'convert <input>',
  describe: 'convert one trace (a file, or - for standard input; gzip is read transparently)',
  builder: (y: Argv<object>) => withFlameOptions(withFilterOptions(convertOptions(y))) as unknown as Argv<ConvertArgs>,
  handler: async (a) => {
    const r = await runConvert(a, io);
    if (typeof r === 'number') done(r);
    else usage(r.usage);
  },
});

/** The first mistake in the arguments, or undefined. Looks at the file system, writes nothing. */
export function checkArgs(a: ConvertArgs, input: string, output: string): string | undefined {
  const extra = a._.slice(1);
  if (extra.length) return `convert takes one input; also got ${extra.map((x) => JSON.stringify(String(x))).join(', ')} (use \`tracebridge batch\` for many)`;
  if (output === '-') return undefined;
  const byExt = outputForPath(output);
  if (a.to && byExt && byExt.name !== a.to) return `--to ${a.to} contradicts -o ${output}, a ${byExt.name} name (${byExt.extensions.join(' ')})`;
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(output);
  } catch {
    st = undefined;
  }
  if (st?.isDirectory()) return `-o ${output} is a folder: name a file in it (e.g. ${path.join(output, `trace${(outputs.find((o) => o.name === a.to) ?? outputs[0]!).extensions[0]}`)})`;
  const dir = path.dirname(path.resolve(output));
  if (!fs.existsSync(dir)) return `cannot write ${output}: the folder ${path.dirname(output)} does not exist`;
  if (!fs.statSync(dir).isDirectory()) return `cannot write ${output}: ${path.dirname(output)} is not a folder`;
  if (input !== '-') {
    let same = path.resolve(input) === path.resolve(output);
    if (!same && st) {
      try {
        const si = fs.statSync(input);
        same = si.dev === st.dev && si.ino === st.ino;
      } catch {
        // the input's own error comes later
      }
    }
    if (same) return `-o ${output} is the input: writing it would destroy the input`;
  }
  if (!a.to && !byExt) return `cannot tell the output format from "${output}": use --to (${outputs.map((x) => `${x.name}: ${x.extensions.join(' ')}`).join('; ')})`;
  return undefined;
}

/** Runs `convert`; returns the exit code, or a usage message. */
export async function runConvert(a: ConvertArgs, io: Io): Promise<number | { usage: string }> {
  let filters;
  try {
    filters = filterSpecOf(a);
  } catch (e) {
    if (e instanceof ConvertError) return { usage: e.message };
    throw e;
  }
  // yargs reads a lone `-` (standard input/output) as an empty string.
  const input = a.input === '' ? '-' : a.input;
  const output = a.output === '' ? '-' : (a.output ?? (a.to ? '-' : undefined));
  if (output === undefined) return { usage: 'give -o FILE (its extension picks the format) or --to FORMAT (writes to standard output)' };
  const mistake = checkArgs(a, input, output);
  if (mistake) return { usage: mistake };

  const printer = new DiagnosticPrinter(io.stderr, { quiet: a.quiet, verbose: a.verbose });
  const ac = new AbortController();
  let signalled: string | undefined;
  const offSignals = io.onSignals(STOP_SIGNALS, (sig) => {
    signalled ??= sig;
    ac.abort();
  });
  // A closed pipe on standard output ends the run (exit 1), not the process with a stack trace.
  const offPipe =
    output === '-'
      ? io.onStdoutError((e) => {
          if (e.code === 'EPIPE') ac.abort();
        })
      : () => undefined;

  // A progress bar on a terminal, for a file input that takes more than a second.
  let total = 0;
  if (!a.quiet && io.stderrIsTTY && input !== '-') {
    try {
      total = fs.statSync(input).size;
    } catch {
      total = 0;
    }
  }
  const bar = delayedBar(io, total, 'bytes');

  try {
    const r = await convert({
      input,
      output,
      from: a.from,
      to: a.to,
      weight: weightOf(a),
      inputOptions: inputOptionsFrom(a),
      onDiagnostic: printer.onDiagnostic,
      filters,
      flame: flameOptionsOf(a),
      signal: ac.signal,
      onProgress: (n) => bar.update(n),
    });
    bar.stop();
    const failed = r.severities.error > 0 || (a.strict && r.severities.warning > 0);
    if (!a.quiet) {
      io.stderr(printer.summary());
      const where = output === '-' ? '' : failed ? `; ${output} not written` : ` written to ${output}`;
      io.stderr(`${r.from} → ${r.to}: ${r.lines} lines, ${r.events} events, ${r.bytesOut} bytes${where}\n`);
    }
    if (failed) {
      if (r.severities.error > 0 && a.quiet) io.stderr(`tracebridge: ${input === '-' ? '<stdin>' : input}: conversion failed (${Object.keys(r.diagnostics).join(', ')})\n`);
      if (a.strict && r.severities.warning > 0) io.stderr(`--strict: ${r.severities.warning} warning(s)\n`);
      return EXIT.failed;
    }
    return EXIT.ok;
  } catch (e) {
    bar.stop();
    if (signalled || (e as Error).name === 'AbortError') {
      if (!signalled) {
        if (!a.quiet) io.stderr('tracebridge: the output was closed by its reader (EPIPE)\n');
        return EXIT.failed;
      }
      io.stderr(`tracebridge: interrupted (${signalled}); ${output === '-' ? 'the output is incomplete' : `${output} was not written`}\n`);
      return SIGNAL_EXIT[signalled] ?? EXIT.failed;
    }
    if (!a.quiet) io.stderr(printer.summary());
    if (e instanceof ConvertError) {
      io.stderr(`tracebridge: ${e.message}\n`);
      return e.kind === 'usage' ? EXIT.usage : EXIT.failed;
    }
    io.stderr(`tracebridge: ${(e as Error).stack ?? String(e)}\n`);
    return EXIT.failed;
  } finally {
    offSignals();
    offPipe();
  }
}

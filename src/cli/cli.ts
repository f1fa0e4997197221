import yargs from 'yargs';
import { inputs } from '../inputs/registry.js';
import { outputs } from '../outputs/registry.js';
import { ConvertError, convert } from '../pipeline/convert.js';
import type { FoldedWeight } from '../outputs/types.js';
import { VERSION } from '../version.js';
import { DiagnosticPrinter } from './diagnostics-printer.js';
import { batchCommand } from './batch.js';
import { diffCommand } from './diff.js';
import { openCommand } from './open.js';
import { filterSpecOf, flameOptionsOf, withFilterOptions, withFlameOptions } from './filter-options.js';
import { detectCommand } from './detect.js';
import { perfInputOptions, withPerfOptions } from './perf-options.js';
import { activePathCommand } from './active-path.js';

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

/** Exit codes: 0 success, 1 failed conversion, 2 usage error. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export function formatsText(): string {
  const w = Math.max(...[...inputs, ...outputs].map((a) => a.name.length));
  const lines = ['inputs (--from):', `  ${'auto'.padEnd(w)}  detect from the first 64 KiB (the default)`];
  for (const a of inputs) lines.push(`  ${a.name.padEnd(w)}  ${a.description}`);
  lines.push('', 'outputs (--to, or by the -o extension):');
  for (const o of outputs) lines.push(`  ${o.name.padEnd(w)}  ${o.description} [${o.extensions.join(' ')}]`);
  return lines.join('\n') + '\n';
}

/** Runs the command line; returns the exit code. Never calls process.exit. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let code: number = EXIT.ok;
  let usageError: string | undefined;
  const parser = yargs(argv)
    .scriptName('tracebridge')
    .version(VERSION)
    .strict()
    .exitProcess(false)
    .fail((msg, err) => {
      usageError = msg ?? err?.message ?? 'usage error';
    })
    .command(
      'convert <input>',
      'convert one trace (a file, or - for standard input; gzip is read transparently)',
      (y) =>
        withFlameOptions(withFilterOptions(withPerfOptions(y)))
          .positional('input', { type: 'string', demandOption: true, describe: 'input file or -' })
          .option('output', { alias: 'o', type: 'string', describe: 'output file, or - for standard output' })
          .option('from', { type: 'string', default: 'auto', choices: ['auto', ...inputs.map((a) => a.name)], describe: 'input format' })
          .option('to', { type: 'string', choices: outputs.map((o) => o.name), describe: 'output format (default: from the -o extension)' })
          .option('weight', {
            type: 'string',
            choices: ['self', 'total', 'count'],
            describe: 'folded: self time in us (default), total time in us, or call count',
          })
          .option('offsets', { type: 'boolean', default: false, describe: 'stacks: keep +0x1a/0x40 offsets on frames' })
          .option('unreliable', { type: 'boolean', default: false, describe: 'stacks: keep "?" frames the unwinder was unsure of' })
          .option('modules', { type: 'boolean', default: true, describe: 'stacks: keep [module] suffixes on frame names' })
          .option('strict', { type: 'boolean', default: false, describe: 'fail (exit 1) when there is any warning' })
          .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'print no diagnostics, only the summary' })
          .option('verbose', { alias: 'v', type: 'boolean', default: false, describe: 'print every diagnostic, infos too' })
          .example('$0 convert samples/function-graph/seed-004-recvfrom.txt -o recvfrom.json', 'Chrome JSON for Perfetto UI')
          .example('$0 convert trace.txt.gz -o trace.pftrace', 'Perfetto protobuf from gzipped tracefs text')
          .example('$0 convert trace.txt --to folded -o - | flamegraph.pl > fg.svg', 'a flame graph of self time')
          .example('cat /sys/kernel/tracing/trace | $0 convert - --to csv -o calls.csv', 'read standard input'),
      async (a) => {
        const printer = new DiagnosticPrinter(io.stderr, { quiet: a.quiet, verbose: a.verbose });
        // yargs reads a lone `-` (standard input/output) as an empty string.
        const input = a.input === '' ? '-' : a.input;
        const output = a.output === '' ? '-' : (a.output ?? (a.to ? '-' : undefined));
        if (output === undefined) {
          usageError = 'give -o FILE (its extension picks the format) or --to FORMAT (writes to standard output)';
          return;
        }
        try {
          const r = await convert({
            input,
            output,
            from: a.from,
            to: a.to,
            weight: a.weight as FoldedWeight | undefined,
            inputOptions: { offsets: a.offsets, unreliable: a.unreliable, modules: a.modules, ...perfInputOptions(a) },
            onDiagnostic: printer.onDiagnostic,
            filters: filterSpecOf(a),
            flame: flameOptionsOf(a),
          });
          io.stderr(printer.summary());
          if (!a.quiet) {
            io.stderr(`${r.from} → ${r.to}: ${r.lines} lines, ${r.events} events, ${r.bytesOut} bytes${output === '-' ? '' : ` written to ${output}`}\n`);
          }
          if (r.severities.error > 0 || (a.strict && r.severities.warning > 0)) {
            if (a.strict && r.severities.warning > 0) io.stderr(`--strict: ${r.severities.warning} warning(s)\n`);
            code = EXIT.failed;
          }
        } catch (e) {
          io.stderr(printer.summary());
          if (e instanceof ConvertError) {
            io.stderr(`tracebridge: ${e.message}\n`);
            code = e.kind === 'usage' ? EXIT.usage : EXIT.failed;
          } else {
            io.stderr(`tracebridge: ${(e as Error).stack ?? String(e)}\n`);
            code = EXIT.failed;
          }
        }
      },
    )
    .command(
      batchCommand(
        io,
        (c) => (code = c),
        (msg) => (usageError = msg),
      ),
    )
    .command(detectCommand(io, (c) => (code = c)))
    .command(
      activePathCommand(
        io,
        (c) => (code = c),
        (msg) => (usageError = msg),
      ),
    )
    .command(diffCommand(io, (c) => (code = c), (msg) => (usageError = msg)))
    .command(openCommand(io, (c) => (code = c), (msg) => (usageError = msg)))
    .command('formats', 'list the input and output formats', {}, () => {
      io.stdout(formatsText());
    })
    .demandCommand(1, 'give a command: convert, batch, detect, active-path, diff, open, formats (see --help)')
    .help()
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .epilogue('Exit codes: 0 success, 1 conversion failed (or warnings with --strict), 2 usage error.');

  let helpShown = false;
  try {
    const out = await parser.parseAsync(argv, {}, (err, _argv, output) => {
      if (output) {
        helpShown = true;
        (err ? io.stderr : io.stdout)(output + '\n');
      }
    });
    void out;
  } catch (e) {
    usageError ??= (e as Error).message;
  }
  if (usageError) {
    if (!helpShown) io.stderr(`tracebridge: ${usageError}\nRun "tracebridge --help" for usage.\n`);
    return EXIT.usage;
  }
  return code;
}

import yargs from 'yargs';
import { inputs } from '../inputs/registry.js';
import { outputs } from '../outputs/registry.js';
import { VERSION } from '../version.js';
import { type ConvertArgs, convertOptions, runConvert } from './convert-command.js';
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

/** Exit codes: 0 success, 1 failed conversion, 2 usage error, 128 + N interrupted by signal N. */
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
      (y) => withFlameOptions(withFilterOptions(withPerfOptions(convertOptions(y)))),
      async (a) => {
        const r = await runConvert(a as unknown as ConvertArgs, io, perfInputOptions(a), { filters: filterSpecOf(a), flame: flameOptionsOf(a) });
        if (typeof r === 'number') code = r;
        else usageError = r.usage;
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
    // Unwrapped when piped, so that every example stays one line that can be copied.
    .wrap(process.stdout.isTTY ? Math.min(110, process.stdout.columns ?? 100) : null)
    .epilogue('Exit codes: 0 success, 1 conversion failed (or warnings with --strict), 2 usage error, 129/130/143 interrupted by SIGHUP/SIGINT/SIGTERM.');

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

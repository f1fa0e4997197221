/**
 * The command line: wires the command modules (each a peer in its own file) into one yargs
 * parser and returns the exit code. Never calls process.exit; everything taken from the
 * process comes through `io.ts`.
 */
import yargs from 'yargs';
import { VERSION } from '../version.js';
import { activePathCommand } from './active-path.js';
import { batchCommand } from './batch.js';
import { convertCommand } from './convert.js';
import { detectCommand } from './detect.js';
import { diffCommand } from './diff.js';
import { formatsCommand } from './formats.js';
import { type CliIo, type CommandContext, EXIT, resolveIo } from './io.js';
import { openCommand } from './open.js';

export type { CliIo } from './io.js';
export { EXIT } from './io.js';

/** Runs the command line; returns the exit code. */
export async function runCli(argv: string[], given: CliIo): Promise<number> {
  const io = resolveIo(given);
  let code: number = EXIT.ok;
  let usageError: string | undefined;
  const ctx: CommandContext = {
    io,
    done: (c) => (code = c),
    usage: (msg) => (usageError = msg),
  };
  const parser = yargs(argv)
    .scriptName('tracebridge')
    .version(VERSION)
    .strict()
    .exitProcess(false)
    .fail((msg, err) => {
      usageError = msg ?? err?.message ?? 'usage error';
    })
    .command(convertCommand(ctx))
    .command(batchCommand(ctx))
    .command(detectCommand(ctx))
    .command(activePathCommand(ctx))
    .command(diffCommand(ctx))
    .command(openCommand(ctx))
    .command(formatsCommand(ctx))
    .demandCommand(1, 'give a command: convert, batch, detect, active-path, diff, open, formats (see --help)')
    .help()
    // Unwrapped when piped, so that every example stays one line that can be copied.
    .wrap(io.helpWidth ?? null)
    .epilogue('Exit codes: 0 success, 1 conversion failed (or warnings with --strict), 2 usage error, 129/130/143 interrupted by SIGHUP/SIGINT/SIGTERM.');

  let helpShown = false;
  try {
    await parser.parseAsync(argv, {}, (err, _argv, output) => {
      if (output) {
        helpShown = true;
        (err ? io.stderr : io.stdout)(output + '\n');
      }
    });
  } catch (e) {
    usageError ??= (e as Error).message;
  }
  if (usageError) {
    if (!helpShown) io.stderr(`tracebridge: ${usageError}\nRun "tracebridge --help" for usage.\n`);
    return EXIT.usage;
  }
  return code;
}

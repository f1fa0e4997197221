/**
 * Everything the commands take from the process, in one place: standard streams, whether
 * standard error is a terminal, signals, timers and the clock, the environment; and the exit
 * codes. Commands receive an `Io`; `resolveIo` fills what a caller (a test) did not give from
 * the real process, so only this file and `main.ts` name `process`.
 */
import type { Readable } from 'node:stream';
import type { CommandModule } from 'yargs';

/** Exit codes: 0 success, 1 failed conversion, 2 usage error, 128 + N interrupted by signal N. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Exit codes of an interrupted run (128 + signal number, as shells report). */
export const SIGNAL_EXIT: Readonly<Record<string, number>> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

/** The signals that stop a conversion (its temporary files removed). */
export const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Milliseconds, for rates and elapsed times. */
  now(): number;
}

/** What a caller may give; the rest comes from the process. */
export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** Bytes to standard output (binary outputs). */
  stdoutBytes?: (b: Uint8Array) => void;
  stdin?: Readable;
  /** The stream progress bars draw on, and whether it is a terminal. */
  stderrStream?: NodeJS.WritableStream;
  stderrIsTTY?: boolean;
  /** Width for help text; undefined when standard output is not a terminal (help unwrapped). */
  helpWidth?: number | undefined;
  /** Calls `handler` on each of the signals until the returned function is called. */
  onSignals?: (signals: readonly NodeJS.Signals[], handler: (s: NodeJS.Signals) => void) => () => void;
  /** Calls `handler` on errors of standard output (EPIPE) until the returned function is called. */
  onStdoutError?: (handler: (e: NodeJS.ErrnoException) => void) => () => void;
  timers?: Timers;
  env?: Readonly<Record<string, string | undefined>>;
  platform?: string;
}

export type Io = Required<Omit<CliIo, 'helpWidth'>> & { helpWidth: number | undefined };

/** What every command module gets: the io, where to put its exit code, how to report a usage error. */
export interface CommandContext {
  io: Io;
  /** The exit code of the command. */
  done: (code: number) => void;
  /** A usage error (exit 2, with a hint to --help). */
  usage: (message: string) => void;
}

export type Command<A = unknown> = (ctx: CommandContext) => CommandModule<object, A>;

const processTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  now: () => Date.now(),
};

/** The real process's io, with `given` taking precedence. */
export function resolveIo(given: CliIo): Io {
  return {
    stdout: given.stdout,
    stderr: given.stderr,
    stdoutBytes: given.stdoutBytes ?? ((b) => void process.stdout.write(b)),
    stdin: given.stdin ?? process.stdin,
    stderrStream: given.stderrStream ?? process.stderr,
    stderrIsTTY: given.stderrIsTTY ?? process.stderr.isTTY === true,
    helpWidth: 'helpWidth' in given ? given.helpWidth : process.stdout.isTTY ? Math.min(110, process.stdout.columns ?? 100) : undefined,
    onSignals:
      given.onSignals ??
      ((signals, handler) => {
        for (const s of signals) process.on(s, handler);
        return () => {
          for (const s of signals) process.off(s, handler);
        };
      }),
    onStdoutError:
      given.onStdoutError ??
      ((handler) => {
        process.stdout.on('error', handler);
        return () => void process.stdout.off('error', handler);
      }),
    timers: given.timers ?? processTimers,
    env: given.env ?? process.env,
    platform: given.platform ?? process.platform,
  };
}

/** The io of the running process (for `main.ts`). */
export function processIo(): Io {
  return resolveIo({ stdout: (s) => void process.stdout.write(s), stderr: (s) => void process.stderr.write(s) });
}

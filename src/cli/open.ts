/**
 * `tracebridge open INPUT`: converts the input to a Perfetto trace (a `.pftrace` is served as
 * it is), serves it once on 127.0.0.1 for ui.perfetto.dev, prints the link and opens it in a
 * browser when there is one. Stops after the trace was fetched, or on Ctrl-C.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { ConvertError, convert } from '../pipeline/convert.js';
import { PERFETTO_PORT, PERFETTO_UI, serveTrace } from '../pipeline/serve.js';
import { DiagnosticPrinter } from './diagnostics-printer.js';
import { type CommandContext, EXIT, type Io, SIGNAL_EXIT } from './io.js';
import { filterSpecOf, fromOption, withFilterOptions } from './options.js';

interface OpenArgs {
  input: string;
  from: string;
  port: number;
  origin: string;
  browser: boolean;
  quiet: boolean;
}

/** The command that opens a URL on this desktop, if there is one. */
function browserCommand(io: Io): string[] | undefined {
  if (io.env.BROWSER) return [io.env.BROWSER];
  if (io.platform === 'darwin') return ['open'];
  if (io.platform === 'win32') return ['cmd', '/c', 'start', ''];
  if (!io.env.DISPLAY && !io.env.WAYLAND_DISPLAY) return undefined;
  return ['xdg-open'];
}

const PERFETTO_EXT = /\.(pftrace|perfetto-trace|perfetto)$/i;

/** The `open` command module; tests pass a signal instead of Ctrl-C. */
export function openCommand({ io, done, usage }: CommandContext, signal?: AbortSignal): CommandModule<object, OpenArgs> {
  return {
    command: 'open <input>',
    describe: 'show a trace in ui.perfetto.dev: serve it once on 127.0.0.1 and open the link',
    builder: (y: Argv<object>) =>
      withFilterOptions(y)
        .positional('input', { type: 'string', demandOption: true, describe: 'a trace to convert, or a .pftrace' })
        .option('from', fromOption())
        .option('port', { type: 'number', default: PERFETTO_PORT, describe: 'port on 127.0.0.1 (the UI fetches only from 9001)' })
        .option('origin', { type: 'string', default: PERFETTO_UI, describe: 'the UI allowed to fetch the trace' })
        .option('browser', { type: 'boolean', default: true, describe: 'open the link in a browser (--no-browser: only print it)' })
        .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'print no diagnostics' }) as unknown as Argv<OpenArgs>,
    handler: async (a) => {
      const printer = new DiagnosticPrinter(io.stderr, { quiet: a.quiet, verbose: false });
      let bytes: Uint8Array;
      let name = path.basename(a.input);
      try {
        if (PERFETTO_EXT.test(a.input)) bytes = fs.readFileSync(a.input);
        else {
          const r = await convert({ input: a.input, from: a.from, to: 'perfetto', onDiagnostic: printer.onDiagnostic, filters: filterSpecOf(a as unknown as Record<string, unknown>) });
          io.stderr(printer.summary());
          bytes = r.output!;
          name = name.replace(/\.(gz|xz|zst|bz2)$/i, '').replace(/\.[^.]*$/, '') + '.pftrace';
        }
      } catch (e) {
        if (e instanceof ConvertError && e.kind === 'usage') return usage(e.message);
        io.stderr(`tracebridge: ${(e as Error).message}\n`);
        return done(EXIT.failed);
      }
      const ac = new AbortController();
      const onSignal = () => ac.abort();
      signal?.addEventListener('abort', onSignal);
      const offSignals = io.onSignals(['SIGINT'], () => {
        offSignals();
        onSignal();
      });
      try {
        const s = await serveTrace({ bytes, name, origin: a.origin, port: a.port, signal: ac.signal });
        io.stdout(`${s.link}\n`);
        io.stderr(`serving ${s.traceUrl} (${bytes.length} bytes) until it is fetched; Ctrl-C stops\n`);
        const cmd = a.browser ? browserCommand(io) : undefined;
        if (cmd) {
          const child = spawn(cmd[0]!, [...cmd.slice(1), s.link], { stdio: 'ignore', detached: true });
          child.on('error', () => io.stderr('tracebridge: no browser could be started; open the link above\n'));
          child.unref();
        }
        const r = await s.done;
        if (r.fetched) {
          io.stderr('the trace was fetched; stopped serving\n');
          done(EXIT.ok);
        } else {
          io.stderr('stopped before the trace was fetched\n');
          done(SIGNAL_EXIT.SIGINT!);
        }
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        io.stderr(`tracebridge: cannot serve on 127.0.0.1:${a.port}: ${err.code === 'EADDRINUSE' ? 'the port is in use (is another trace being served?)' : err.message}\n`);
        done(EXIT.failed);
      } finally {
        offSignals();
        signal?.removeEventListener('abort', onSignal);
      }
    },
  };
}

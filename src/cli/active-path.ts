/**
 * `tracebridge active-path INPUT --tid N | --comm NAME [--from T --to T] -o OUT`: the yargs
 * command module. Reads the whole trace, computes the thread's active path, writes it (the
 * format from --to or the -o extension) and prints what makes the path uncertain.
 */
import type { Argv } from 'yargs';
import { ActivePathError, activePath, PATH_FORMATS, pathFormatFor, renderActivePath } from '../analyses/active-path/index.js';
import type { PathFormat } from '../analyses/active-path/index.js';
import { writeFileAtomic } from '../pipeline/atomic.js';
import { ConvertError } from '../pipeline/convert.js';
import { readEvents } from '../pipeline/read-events.js';
import { VERSION } from '../version.js';
import { DiagnosticPrinter } from './diagnostics-printer.js';
import { type Command, EXIT } from './io.js';
import { fromOption } from './options.js';

interface ActivePathArgs {
  input: string;
  output: string;
  tid?: number;
  comm?: string;
  from?: string;
  to?: string;
  format?: string;
  'input-format': string;
  quiet: boolean;
  verbose: boolean;
}

const UNITS: Record<string, number> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 };

/** `1.5ms`, `250us`, `12345ns`, `2.000001s`, `3` (seconds) → ns; a leading `+` is from the trace start. */
export function parseTime(s: string): { ns: number; relative: boolean } {
  const m = /^\s*(\+?)(\d+(?:\.\d+)?)\s*(ns|us|ms|s)?\s*$/.exec(s);
  if (!m) throw new Error(`not a time: "${s}" (try 2.5s, 1500ms, 250us or 12345ns)`);
  const unit = UNITS[m[3] ?? 's']!;
  const [w, f = ''] = m[2]!.split('.');
  const digits = Math.round(Math.log10(unit));
  const ns = Number(w) * unit + Number((f + '000000000').slice(0, digits) || '0');
  return { ns, relative: m[1] === '+' };
}

/** Lost-event reports of the inputs (their own diagnostic codes). */
const LOST = /discarded|lost-events|events-lost|sched-mismatch/;

/** The `active-path` command module. */
export const activePathCommand: Command<ActivePathArgs> = ({ io, done, usage }) => {
  return {
    command: 'active-path <input>',
    describe: "a thread's active (critical) path: where its time went, and which thread, device or timer it waited for",
    builder: (y: Argv<object>) =>
      y
        .positional('input', { type: 'string', demandOption: true, describe: 'input file or - (scheduler events: LTTng/babeltrace or ftrace event text)' })
        .option('output', { alias: 'o', type: 'string', demandOption: true, describe: 'output file: .pftrace (Perfetto), .json (Chrome JSON), .csv, .txt (top)' })
        .option('tid', { type: 'number', describe: 'the thread' })
        .option('comm', { type: 'string', describe: 'the thread by name (the one of that name that ran longest)' })
        .option('from', { type: 'string', describe: 'window start in the trace clock (2.5s, 1500ms, +10ms from the trace start); default the thread\'s first event' })
        .option('to', { type: 'string', describe: "window end; default the thread's last event" })
        .option('format', { type: 'string', choices: [...PATH_FORMATS], describe: 'output format (default: from the -o extension)' })
        .option('input-format', fromOption())
        .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'print no diagnostics, only the summary' })
        .option('verbose', { alias: 'v', type: 'boolean', default: false, describe: 'print every diagnostic, infos too' })
        .example('$0 active-path trace.txt --comm postgres -o path.pftrace', 'the path on its own track next to the CPU tracks')
        .example('$0 active-path trace.txt --tid 4242 --from +1s --to +1.5s -o path.txt', 'time per worker and state, ranked') as unknown as Argv<ActivePathArgs>,
    handler: async (a) => {
      if ((a.tid === undefined) === (a.comm === undefined)) return usage('give the thread with --tid N or --comm NAME (one of them)');
      const format: PathFormat | undefined = (a.format as PathFormat | undefined) ?? pathFormatFor(a.output);
      if (!format) return usage(`cannot tell the output format from "${a.output}": use --format (${PATH_FORMATS.join(', ')})`);
      let from: ReturnType<typeof parseTime> | undefined;
      let to: ReturnType<typeof parseTime> | undefined;
      try {
        if (a.from !== undefined) from = parseTime(a.from);
        if (a.to !== undefined) to = parseTime(a.to);
      } catch (e) {
        return usage((e as Error).message);
      }
      const printer = new DiagnosticPrinter(io.stderr, { quiet: a.quiet, verbose: a.verbose });
      const input = a.input === '' ? '-' : a.input;
      try {
        const r = await readEvents({ input, from: a['input-format'], onDiagnostic: printer.onDiagnostic });
        let start = Infinity;
        for (const e of r.events) if ('ts' in e && e.ts < start) start = e.ts;
        if (start === Infinity) start = 0;
        const at = (t: typeof from) => (t === undefined ? undefined : t.relative ? start + t.ns : t.ns);
        let lost = 0;
        for (const [code, n] of r.diagnostics.counts) if (LOST.test(code)) lost += n;
        const opts = { from: at(from), to: at(to), lostEvents: lost, ...(a.tid !== undefined ? { tid: a.tid } : { comm: a.comm! }) };
        const path = activePath(r.events, opts);
        for (const u of path.uncertain) r.diagnostics.report(u.code, 0, u.message);
        const bytes = renderActivePath(r.events, path, format, {
          inputName: input,
          producer: `tracebridge ${VERSION}`,
          diagnostics: () => r.diagnostics.summary(),
        });
        if (a.output === '-' || a.output === '') {
          if (format === 'perfetto') io.stdoutBytes(bytes);
          else io.stdout(Buffer.from(bytes).toString('utf8'));
        } else await writeFileAtomic(a.output, bytes);
        io.stderr(printer.summary());
        if (!a.quiet) {
          const total = path.to - path.from;
          io.stderr(`active path of ${path.comm} (${path.tid}): ${(total / 1e6).toFixed(3)} ms, ${path.segments.length} segments → ${format}${a.output === '-' ? '' : ` written to ${a.output}`}\n`);
        }
        done(r.diagnostics.bySeverity.error > 0 ? EXIT.failed : EXIT.ok);
      } catch (e) {
        io.stderr(printer.summary());
        if (e instanceof ActivePathError) {
          io.stderr(`tracebridge: ${e.message}\n`);
          done(EXIT.failed);
        } else if (e instanceof ConvertError) {
          io.stderr(`tracebridge: ${e.message}\n`);
          done(e.kind === 'usage' ? EXIT.usage : EXIT.failed);
        } else {
          io.stderr(`tracebridge: ${(e as Error).stack ?? String(e)}\n`);
          done(EXIT.failed);
        }
      }
    },
  };
};

/**
 * `tracebridge diff A.folded B.folded -o diff.svg|diff.folded`: what changed between two
 * profiles (difffolded.pl and a differential flame graph in one step).
 */
import fs from 'node:fs';
import type { Argv } from 'yargs';
import { DiagnosticCollector } from '../model/diagnostics.js';
import { diffFoldedText, diffProfiles, diffSvg, parseFolded } from '../outputs/flamegraph/diff.js';
import { writeFileAtomic } from '../pipeline/atomic.js';
import { DiagnosticPrinter } from './diagnostics-printer.js';
import { type Command, EXIT } from './io.js';

interface DiffArgs {
  before: string;
  after: string;
  output: string;
  normalize: boolean;
  'strip-hex': boolean;
  negate: boolean;
  inverted: boolean;
  title?: string;
  unit: string;
  quiet: boolean;
}

/** The `diff` command module. */
export const diffCommand: Command<DiffArgs> = ({ io, done, usage }) => {
  return {
    command: 'diff <before> <after>',
    describe: 'compare two folded profiles: a differential flame graph (.svg) or three-column folded stacks (.folded)',
    builder: (y: Argv<object>) =>
      y
        .positional('before', { type: 'string', demandOption: true, describe: 'the first profile (folded)' })
        .positional('after', { type: 'string', demandOption: true, describe: 'the second profile (folded)' })
        .option('output', { alias: 'o', type: 'string', demandOption: true, describe: 'diff.svg, diff.folded, or - (folded to standard output)' })
        .option('normalize', { alias: 'n', type: 'boolean', default: false, describe: 'scale the first profile to the second one\'s total' })
        .option('strip-hex', { alias: 's', type: 'boolean', default: false, describe: 'make hex addresses equal (0x...)' })
        .option('negate', { type: 'boolean', default: false, describe: 'svg: size frames by the first profile' })
        .option('inverted', { type: 'boolean', default: false, describe: 'svg: root at the top' })
        .option('title', { type: 'string', describe: 'svg: title drawn on top' })
        .option('unit', { type: 'string', default: 'samples', describe: 'svg: what the counts are (us, calls, samples)' })
        .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'print no diagnostics' }) as unknown as Argv<DiffArgs>,
    handler: async (a) => {
      const printer = new DiagnosticPrinter(io.stderr, { quiet: a.quiet, verbose: false });
      const svg = a.output.toLowerCase().endsWith('.svg');
      if (!svg && a.output !== '-' && !/\.(folded|collapsed|txt)$/i.test(a.output)) {
        usage(`cannot tell the output format from "${a.output}": use .svg or .folded`);
        return;
      }
      const read = (p: string) => {
        try {
          return fs.readFileSync(p, 'utf8');
        } catch (e) {
          io.stderr(`tracebridge: cannot read ${p}: ${(e as Error).message}\n`);
          return undefined;
        }
      };
      const ta = read(a.before);
      const tb = read(a.after);
      if (ta === undefined || tb === undefined) return done(EXIT.failed);
      const da = new DiagnosticCollector(a.before, printer.onDiagnostic);
      const db = new DiagnosticCollector(a.after, printer.onDiagnostic);
      const d = diffProfiles(parseFolded(ta, da.report, a['strip-hex']), parseFolded(tb, db.report, a['strip-hex']), { normalize: a.normalize });
      const out = svg
        ? diffSvg(d, {
            title: a.title ?? 'Differential Flame Graph',
            subtitle: `${a.before} → ${a.after} · red: grew, blue: shrank · sized by ${a.negate ? 'the first' : 'the second'}${a.normalize ? ' · normalised' : ''}`,
            unit: a.unit,
            negate: a.negate,
            inverted: a.inverted,
          })
        : diffFoldedText(d);
      if (a.output === '-') io.stdout(out);
      else await writeFileAtomic(a.output, out);
      io.stderr(printer.summary());
      done(EXIT.ok);
    },
  };
};

/**
 * `tracebridge batch INPUT... --out DIR`: the yargs command module. Progress goes to standard
 * error (a bar on a terminal, one line per input otherwise, nothing with --quiet); the summary
 * to standard output.
 */
import type { MultiBar, SingleBar } from 'cli-progress';
import type { Argv } from 'yargs';
import { outputs } from '../outputs/registry.js';
import { BatchUsageError, DEFAULT_FORMATS, DEFAULT_MAX_BYTES, defaultJobs, runBatch } from '../pipeline/batch/index.js';
import type { ManifestEntry } from '../pipeline/batch/index.js';
import { type Command, EXIT, SIGNAL_EXIT, STOP_SIGNALS } from './io.js';
import { filterSpecOf, inputOptionsFrom, weightOf, withFilterOptions, withInputOptions, withWeightOption } from './options.js';

/** `8G`, `512M`, `64k`, `1000` → bytes (binary multiples). */
export function parseSize(s: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$/i.exec(s);
  if (!m) throw new Error(`not a size: "${s}" (try 512M or 8G)`);
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  return Math.floor(Number(m[1]) * mult);
}

const mb = (n: number) => (n / 1e6).toFixed(1);

/**
 * Names and messages with control characters (a newline in a file name could forge a status
 * line) are printed with them escaped: `\n`, `\t`, `\x1b`, ...
 */
export function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    const n = c.charCodeAt(0);
    if (n === 10) return '\\n';
    if (n === 13) return '\\r';
    if (n === 9) return '\\t';
    return n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
  });
}

function describe(e: ManifestEntry): string {
  return printable(describeRaw(e));
}

function describeRaw(e: ManifestEntry): string {
  switch (e.status) {
    case 'converted': {
      const w = e.warnings ? `, ${e.warnings} warning${e.warnings === 1 ? '' : 's'}` : '';
      return `converted  ${e.input} → ${Object.values(e.outputs).join(', ')} (${e.format}, ${e.events} events${w})`;
    }
    case 'up-to-date':
      return `up to date ${e.input}`;
    case 'skipped':
      return `skipped    ${e.input}: ${e.error}`;
    case 'failed':
      return `FAILED     ${e.input}: ${e.error}`;
  }
}

interface BatchArgs {
  inputs: string[];
  out: string;
  to?: string[];
  jobs?: number;
  force: boolean;
  shard?: string;
  'follow-symlinks': boolean;
  'max-size': string;
  quiet: boolean;
  [option: string]: unknown;
}

/** The `batch` command module. */
export const batchCommand: Command<BatchArgs> = ({ io, done, usage }) => {
  return {
    command: 'batch <inputs..>',
    describe: 'convert every trace under folders and inside archives, in parallel, into --out',
    builder: (y: Argv<object>) =>
      withInputOptions(
        withWeightOption(
          withFilterOptions(y)
            .positional('inputs', { type: 'string', array: true, demandOption: true, describe: 'files and folders (walked recursively)' })
            .option('out', { alias: 'o', type: 'string', demandOption: true, describe: 'output folder: the input tree is mirrored here, with manifest.json' })
            .option('to', {
              type: 'string',
              array: true,
              describe: `output formats, comma-separated or repeated (${outputs.map((o) => o.name).join(', ')}; default ${DEFAULT_FORMATS.join(',')})`,
              coerce: (v: string[]) => v.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean),
            })
            .option('jobs', { alias: 'j', type: 'number', describe: `worker threads (default: the number of cores, ${defaultJobs()} here)` })
            .option('force', { type: 'boolean', default: false, describe: 'convert everything again, even inputs older than their outputs' })
            .option('shard', { type: 'string', describe: 'K/N: convert only shard K of N (N machines share one archive; each writes manifest.shard-K-of-N.json)' })
            .option('follow-symlinks', { type: 'boolean', default: false, describe: 'follow symbolic links that lead out of the input folders' })
            .option('max-size', {
              type: 'string',
              default: `${DEFAULT_MAX_BYTES / 1024 ** 3}G`,
              describe: 'decompressed size allowed per input; more is stopped as a decompression bomb',
            }),
        ),
      )
        .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'print nothing but failures' })
        .example('$0 batch ../shared/corpus --out corpus-out', 'every trace of a folder, as Perfetto traces')
        .example('$0 batch logs/ fleet.tar.gz --out out --to perfetto,folded -j 8', 'two formats, eight threads, a tarball too')
        .example('$0 batch /archive --out /converted --shard 3/10', 'the third of ten machines') as unknown as Argv<BatchArgs>,
    handler: async (a) => {
      let maxBytes: number;
      try {
        maxBytes = parseSize(a['max-size']);
      } catch (e) {
        usage(`--max-size: ${(e as Error).message}`);
        return;
      }
      let filters;
      try {
        filters = filterSpecOf(a);
      } catch (e) {
        usage((e as Error).message);
        return;
      }
      const ac = new AbortController();
      let signalled: string | undefined;
      // The first signal stops the run (temporary files removed); a second one, no longer
      // handled, ends the process as it would without us.
      const offSignals = io.onSignals(STOP_SIGNALS, (sig) => {
        signalled ??= sig;
        offSignals();
        ac.abort();
      });

      const tty = !a.quiet && io.stderrIsTTY;
      const lines = !a.quiet && !tty;
      let bars: MultiBar | undefined;
      let bar: SingleBar | undefined;
      const started = io.timers.now();
      let files = 0;
      if (tty) {
        // Loaded only for a terminal: every other command starts faster without it.
        const cliProgress = (await import('cli-progress')).default;
        bars = new cliProgress.MultiBar(
          {
            stream: io.stderrStream,
            format: ' {bar} {percentage}% | {files} files | {done}/{total_mb} MB | {rate} MB/s | ETA {eta_formatted}',
            hideCursor: true,
            clearOnComplete: true,
            etaBuffer: 50,
            fps: 10,
          },
          cliProgress.Presets.shades_classic,
        );
        bar = bars.create(1, 0, { files: 0, done: '0.0', total_mb: '0.0', rate: '0.0' });
      }
      try {
        const r = await runBatch({
          inputs: a.inputs,
          out: a.out,
          to: a.to,
          jobs: a.jobs,
          force: a.force,
          shard: a.shard ?? null,
          followSymlinks: a['follow-symlinks'],
          maxBytes,
          weight: weightOf(a),
          inputOptions: inputOptionsFrom(a),
          filters,
          signal: ac.signal,
          // The summary is all this command prints: the entries stay in the manifest file.
          keepEntries: false,
          onEntry: (e) => {
            files++;
            if (lines) io.stderr(describe(e) + '\n');
            else if (bars && e.status === 'failed') bars.log(describe(e) + '\n');
            else if (a.quiet && e.status === 'failed') io.stderr(describe(e) + '\n');
          },
          onProgress: (p) => {
            if (!bar) return;
            const s = (io.timers.now() - started) / 1000;
            bar.setTotal(Math.max(1, p.totalBytes));
            bar.update(p.bytes, { files, done: mb(p.bytes), total_mb: mb(p.totalBytes), rate: s > 0 ? mb(p.bytes / s) : '0.0' });
          },
        });
        bars?.stop();
        if (r.interrupted) {
          io.stderr(`tracebridge: interrupted (${signalled ?? 'aborted'}); finished outputs are whole, no manifest was written\n`);
          done(SIGNAL_EXIT[signalled ?? ''] ?? EXIT.failed);
          return;
        }
        const s = r.manifest.summary;
        const secs = r.elapsedMs / 1000;
        if (!a.quiet) {
          io.stdout(
            `${s.converted} converted, ${s.upToDate} up to date, ${s.skipped} skipped, ${s.failed} failed; ${s.warnings} warnings; ` +
              `${s.inputs} inputs in ${secs.toFixed(1)} s (${(s.inputs / Math.max(secs, 1e-3)).toFixed(0)} files/s, ${mb(r.bytesRead / Math.max(secs, 1e-3))} MB/s)\n` +
              `manifest: ${printable(String(r.manifestPath))}\n`,
          );
        }
        done(s.failed > 0 ? EXIT.failed : EXIT.ok);
      } catch (e) {
        bars?.stop();
        if (e instanceof BatchUsageError) usage(e.message);
        else {
          io.stderr(`tracebridge: ${(e as Error).stack ?? String(e)}\n`);
          done(EXIT.failed);
        }
      } finally {
        offSignals();
      }
    },
  };
};

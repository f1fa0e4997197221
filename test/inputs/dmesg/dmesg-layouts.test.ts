/**
 * The option matrix of kernel logs: for every producer option (util-linux dmesg time formats and
 * output modes, /dev/kmsg, journalctl -k output modes, /proc stack listings, arm32 backtraces,
 * syzkaller's short reports, an ftrace dump inside a log), one sample, detected as dmesg, whose
 * Perfetto output holds, in the trace processor, one sample per call trace counted
 * independently in the text.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detect } from '../../../src/inputs/registry.js';
import { SAMPLES, lines, run } from '../../support/convert-helpers.js';
import { countCalls } from '../../support/fg-oracle.js';
import { queryTrace } from '../../support/trace-processor.js';

/** Producer option → sample. */
export const DMESG_OPTIONS: readonly [string, string][] = [
  ['dmesg (default)', 'kasan-allocated-freed-stacks.txt'],
  ['dmesg --delta', 'util-linux-delta.txt'],
  ['dmesg --reltime', 'util-linux-reltime.txt'],
  ['dmesg --ctime (-T)', 'util-linux-ctime.txt'],
  ['dmesg -T, other locale', 'dmesg-T-dates-locale.txt'],
  ['dmesg --notime (-t)', 'util-linux-notime.txt'],
  ['dmesg --time-format=iso', 'iso-time-format.txt'],
  ['dmesg -r (raw)', 'raw-log-levels.txt'],
  ['dmesg -x (decode)', 'util-linux-decode-x.txt'],
  ['dmesg -J (JSON)', 'util-linux-json-J.txt'],
  ['/dev/kmsg records', 'dev-kmsg-records.txt'],
  ['journalctl -k -o short', 'journalctl-k-short.txt'],
  ['journalctl -k -o short-precise', 'journalctl-k-short-precise.txt'],
  ['journalctl -k -o short-monotonic', 'journalctl-short-monotonic.txt'],
  ['journalctl -k -o short-iso', 'journalctl-k-short-iso.txt'],
  ['journalctl -k -o cat', 'journalctl-k-cat.txt'],
  ['journalctl -k -o json', 'journalctl-k-json.txt'],
  ['journalctl -k -o export', 'journalctl-k-export.txt'],
  ['syslog (kernel: prefix)', 'syslog-kernel-prefix.txt'],
  ['netconsole, extended=1 (kmsg records)', 'netconsole-extended.txt'],
  ['serial console capture (CRLF)', 'serial-console-crlf.txt'],
  ['cat /proc/PID/stack in a loop', 'proc-pid-stack-listing.txt'],
  ['tail -n +1 /proc/PID/task/*/stack', 'proc-task-stacks-tail.txt'],
  ['sysrq w (blocked tasks)', 'hung-task-and-sysrq-w.txt'],
  ['sysrq l (all CPUs)', 'sysrq-l-nmi-backtrace.txt'],
  ['arm32 unwind_backtrace / dump_backtrace', 'arm32-backtrace-from.txt'],
  ['arm32 symbolised (decode_stacktrace)', 'arm32-symbolised-inline.txt'],
  ['syzkaller short BUG reports', 'syzkaller-short-slab-bug.txt'],
  ['kernel log with an ftrace dump (sysrq z), sysrq t task dump', 'kernel-log-with-ftrace-dump.txt'],
];

/**
 * Call traces, counted by plain matching: `Call Trace:`, `Backtrace:`, KASAN's `Allocated by task
 * N:` / `Freed by task N:` and `/proc/.../stack` header lines (whatever record wraps them), and
 * runs of arm32 `(f) from [<addr>]` lines that no such line announced (register, `Exception
 * stack` and stack-word lines inside a run do not end it).
 */
function countTraces(text: string): number {
  let n = 0;
  let inArm = false;
  let announced = false;
  for (const l of text.split('\n')) {
    if (/Call Trace:|Backtrace:|(?:Allocated|Freed) by task \d+:/.test(l) || /^(?:==> )?\/proc\/\d+(?:\/task\/\d+)?\/stack(?: <==|:)\s*$/.test(l)) {
      n++;
      announced = true;
      continue;
    }
    if (/ from \[<[0-9a-f]+>\] \(/.test(l)) {
      if (!inArm && !announced) n++;
      inArm = true;
    } else if (!/ r\d+:[0-9a-f]{8}|Exception stack\(|\b[0-9a-f]{4}: [0-9a-f]{8} /.test(l)) {
      if (inArm) announced = false;
      inArm = false;
    }
  }
  return n;
}

/** The function_graph calls of the ftrace dumps in a log (between their rules). */
function dumpCalls(text: string): number {
  const parts = text.split('Dumping ftrace buffer:').slice(1);
  return parts.reduce((a, p) => a + countCalls(p.replace(/^\[[\s\d.]+\] ?/gm, '')), 0);
}

const Q = [`select count(*) as n from perf_sample`, `select count(*) as n from slice where category = 'function'`];

describe('dmesg option matrix', () => {
  for (const [option, sample] of DMESG_OPTIONS) {
    it(`${option}: ${sample}`, async () => {
      const file = path.join(SAMPLES, 'dmesg', sample);
      const text = fs.readFileSync(file, 'utf8');
      expect(detect(text).adapter?.name).toBe('dmesg');
      const pb = await run(file, 'perfetto');
      const folded = await run(file, 'folded');
      const r = await queryTrace(pb.out, Q);
      expect(r.ok, r.error).toBe(true);
      expect(r.importErrors).toEqual([]);
      // Histogram samples weigh their count; these samples have none, so one sample per trace.
      expect(r.rows[0]![0]!.n, 'perf_sample rows = call traces in the text').toBe(countTraces(text));
      const repairs = pb.result.diagnostics['function-graph.unmatched-exit'] ?? 0;
      expect(r.rows[1]![0]!.n, 'function slices = calls of the ftrace dumps').toBe(dumpCalls(text) + repairs);
      expect(folded.text.length > 0 || countTraces(text) === 0).toBe(true);
    });
  }
});

/**
 * More util-linux layouts (dmesg.c's print_record), made from samples by the producer's rules:
 * each is detected as dmesg and folds to the same stacks as the sample it was made from.
 */
const DERIVED: readonly [string, string, (l: string) => string][] = [
  ['dmesg --time-format=delta', 'util-linux-delta.txt', (l) => l.replace(/^\[\s*\d+\.\d{6} <(\s*\d+\.\d{6})>\]/, '[<$1>]')],
  ['dmesg --color=always', 'kasan-allocated-freed-stacks.txt', (l) => l.replace(/^(\[\s*\d+\.\d{6}\](?:\[[ TC\d]+\])? ?)(.*)$/, '\u001b[32m$1\u001b[0m\u001b[1m$2\u001b[0m')],
  ['dmesg -x -T', 'util-linux-ctime.txt', (l) => (l ? `kern  :warn  : ${l}` : l)],
];

describe('dmesg layouts made from the samples', () => {
  for (const [option, sample, relayout] of DERIVED) {
    it(`${option}: from ${sample}`, async () => {
      const text = fs.readFileSync(path.join(SAMPLES, 'dmesg', sample), 'utf8');
      const made = text.split('\n').map(relayout).join('\n');
      expect(made).not.toBe(text);
      expect(detect(made).adapter?.name).toBe('dmesg');
      const want = await run(path.join(SAMPLES, 'dmesg', sample), 'folded');
      const got = await run(lines(made), 'folded');
      expect(want.text.length).toBeGreaterThan(0);
      expect(got.text).toBe(want.text);
      expect(got.diags.filter((d) => d.severity !== 'info')).toEqual([]);
    });
  }
});

/**
 * The filter options (`--pid --tid --comm --cpu --function --exclude --max-depth --time`) shared
 * by `convert` and `batch`, and the flame graph drawing options of `convert`.
 */
import type { Argv } from 'yargs';
import type { FilterSpec } from '../model/filter.js';
import { ConvertError } from '../pipeline/convert.js';
import type { FlameOptions } from '../outputs/types.js';

const list = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v])
    .flatMap((s) => String(s).split(','))
    .map((s) => s.trim())
    .filter(Boolean);

function ids(v: unknown, what: string): number[] {
  return list(v).map((s) => {
    if (!/^\d+$/.test(s)) throw new ConvertError(`--${what}: "${s}" is not a number`, 'usage');
    return Number(s);
  });
}

export function withFilterOptions<T>(y: Argv<T>) {
  return y
    .option('pid', { type: 'string', array: true, group: 'Filters:', describe: 'keep these processes (ids, comma-separated or repeated)' })
    .option('tid', { type: 'string', array: true, group: 'Filters:', describe: 'keep these threads (ids)' })
    .option('comm', { type: 'string', array: true, group: 'Filters:', describe: 'keep threads or processes whose name matches a glob (e.g. "kworker/*")' })
    .option('cpu', { type: 'string', array: true, group: 'Filters:', describe: 'keep what ran on these CPUs' })
    .option('function', { type: 'string', array: true, group: 'Filters:', describe: 'keep calls of matching functions (glob) and what they call' })
    .option('exclude', { type: 'string', array: true, group: 'Filters:', describe: 'drop matching functions (glob); their callees move up to the caller' })
    .option('max-depth', { type: 'number', group: 'Filters:', describe: 'keep N levels of calls; deeper time goes to the deepest kept caller' })
    .option('time', {
      type: 'string',
      group: 'Filters:',
      describe: 'keep A..B: with a unit (ns/us/ms/s) relative to the trace start, bare numbers are trace timestamps in s',
    });
}

export function filterSpecOf(a: Record<string, unknown>): FilterSpec {
  const spec: FilterSpec = {};
  const pid = ids(a.pid, 'pid');
  const tid = ids(a.tid, 'tid');
  const cpu = ids(a.cpu, 'cpu');
  if (pid.length) spec.pid = pid;
  if (tid.length) spec.tid = tid;
  if (cpu.length) spec.cpu = cpu;
  const comm = list(a.comm);
  const fn = list(a.function);
  const ex = list(a.exclude);
  if (comm.length) spec.comm = comm;
  if (fn.length) spec.function = fn;
  if (ex.length) spec.exclude = ex;
  if (a['max-depth'] !== undefined) spec.maxDepth = Number(a['max-depth']);
  if (typeof a.time === 'string') spec.time = a.time;
  return spec;
}

export function withFlameOptions<T>(y: Argv<T>) {
  return y
    .option('inverted', { type: 'boolean', default: false, group: 'Flame graphs (svg, html):', describe: 'icicle graph: root at the top' })
    .option('flame-chart', { type: 'boolean', default: false, group: 'Flame graphs (svg, html):', describe: 'time on x, one lane per thread, slices as they happened' })
    .option('min-width', { type: 'number', group: 'Flame graphs (svg, html):', describe: 'merge frames narrower than this many pixels (default 0.1)' })
    .option('title', { type: 'string', group: 'Flame graphs (svg, html):', describe: 'title drawn on top (default: from the input name)' });
}

export function flameOptionsOf(a: Record<string, unknown>): FlameOptions {
  const f: FlameOptions = { inverted: a.inverted === true, chart: a['flame-chart'] === true };
  if (typeof a['min-width'] === 'number') f.minWidth = a['min-width'];
  if (typeof a.title === 'string') f.title = a.title;
  return f;
}

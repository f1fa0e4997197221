/**
 * The options several commands share, each declared once: the input format (`--from`), the
 * input adapters' options (the shared stack options and each adapter's own, from their specs in
 * `src/inputs/`), `--weight`, the filters (`--pid --tid --comm --cpu --function --exclude
 * --max-depth --time`) and the flame graph drawing options; and their mapping to what the
 * pipeline takes.
 */
import type { Argv, Options } from 'yargs';
import { inputOptionSpecs, inputOptionsOf, inputs } from '../inputs/registry.js';
import type { InputOptions } from '../inputs/types.js';
import type { FilterSpec } from '../model/filter.js';
import { ConvertError } from '../pipeline/convert.js';
import type { FlameOptions, FoldedWeight } from '../outputs/types.js';

/** `--from` (or another name for it): `auto` or an input format. */
export function fromOption(describe = 'input format'): Options {
  return { type: 'string', default: 'auto', choices: ['auto', ...inputs.map((a) => a.name)], describe };
}

export function withWeightOption<T>(y: Argv<T>) {
  return y.option('weight', {
    type: 'string',
    choices: ['self', 'total', 'count'],
    describe: 'folded: self time in us (default), total time in us, or call count',
  });
}

export function weightOf(a: Record<string, unknown>): FoldedWeight | undefined {
  return a.weight as FoldedWeight | undefined;
}

/** Every input adapter's options (stack options first), as their specs declare them. */
export function withInputOptions<T>(y: Argv<T>): Argv<T> {
  let r = y;
  for (const o of inputOptionSpecs()) {
    const opt: Options = { type: o.type, describe: o.description };
    if (o.default !== undefined) opt.default = o.default;
    if (o.choices) opt.choices = [...o.choices];
    r = r.option(o.name, opt) as Argv<T>;
  }
  return r;
}

/** The input options the user gave or their specs default, by `InputOptions` key. */
export function inputOptionsFrom(a: Record<string, unknown>): InputOptions {
  return inputOptionsOf(a);
}

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

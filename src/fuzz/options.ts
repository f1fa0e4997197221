/**
 * Random conversion options for `npm run fuzz -- --options`: the input options every adapter
 * reads (frame options, perf-script's roots, annotations and stackcollapse mode), the folded
 * weight, pretty Chrome JSON and the filter stage, drawn per case from its own PRNG so the
 * mutated bytes stay those of a run without options.
 */
import type { InputOptions } from '../inputs/types.js';
import type { FilterSpec } from '../model/filter.js';
import type { FoldedWeight } from '../outputs/types.js';
import type { Rand } from './mutate.js';

export interface CaseOptions {
  inputOptions?: InputOptions;
  weight?: FoldedWeight;
  pretty?: boolean;
  filters?: FilterSpec;
}

const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

export function randomOptions(r: Rand): CaseOptions {
  const io: InputOptions = {};
  if (r() < 0.5) io.offsets = r() < 0.5;
  if (r() < 0.5) io.unreliable = r() < 0.5;
  if (r() < 0.5) io.modules = r() < 0.5;
  if (r() < 0.3) io.withPid = true;
  if (r() < 0.3) io.withTid = true;
  if (r() < 0.3) io.annotate = pick(r, ['kernel', 'jit', 'all'] as const);
  if (r() < 0.3) io.addrs = true;
  if (r() < 0.3) io.inline = true;
  if (r() < 0.3) io.srcline = true;
  if (r() < 0.1) io.eventFilter = pick(r, ['cycles', 'task-clock', 'sched:sched_switch', 'nope']);
  if (r() < 0.3) io.compat = 'stackcollapse';
  const o: CaseOptions = { inputOptions: io };
  if (r() < 0.5) o.weight = pick(r, ['self', 'total', 'count'] as const);
  if (r() < 0.3) o.pretty = true;
  if (r() < 0.4) {
    const f: FilterSpec = {};
    if (r() < 0.3) f.maxDepth = 1 + Math.floor(r() * 6);
    if (r() < 0.3) f.exclude = [pick(r, ['*lock*', 'schedule', '*_[k]', '?*'])];
    if (r() < 0.3) f.function = [pick(r, ['*sched*', 'vfs_*', 'main', '*'])];
    if (r() < 0.2) f.cpu = [Math.floor(r() * 4)];
    if (r() < 0.2) f.tid = [pick(r, [0, 1, 7, 12251, 7120])];
    if (r() < 0.2) f.pid = [pick(r, [0, 1, 211, 12251])];
    if (r() < 0.2) f.comm = [pick(r, ['sh', 'swapper/0', 'spin*', 'kworker*'])];
    if (r() < 0.2) f.time = pick(r, ['..', '1ms..', '..10ms', '441.9..442', '0..1us', '5s..']);
    o.filters = f;
  }
  return o;
}

/**
 * Generates realistic function_graph text (tracefs layout, two CPUs interleaved in bursts,
 * context-switch banners, overhead markers, tails, module suffixes) for benchmarks and size
 * tests. Deterministic: the same seed gives the same text.
 */
import { writeText } from './write-text.js';

const FUNCS = [
  'vfs_read', 'rw_verify_area', 'security_file_permission', 'apparmor_file_permission', 'aa_file_perm',
  '__rcu_read_lock', '__rcu_read_unlock', 'pipe_read', 'mutex_lock', '__cond_resched', 'mutex_unlock',
  'kill_fasync', 'touch_atime', 'atime_needs_update', 'current_time', 'ktime_get_coarse_real_ts64',
  'ext4_file_read_iter [ext4]', 'generic_file_read_iter', 'filemap_read', 'filemap_get_pages',
  'filemap_get_read_batch', 'folio_mark_accessed', 'copy_page_to_iter', 'kmem_cache_alloc',
  'should_failslab', 'kmem_cache_free', '__slab_free', '_raw_spin_lock', '_raw_spin_unlock',
  'handle_mm_fault', '__handle_mm_fault', 'do_anonymous_page', 'alloc_pages', 'get_page_from_freelist',
  'clear_page_erms', 'page_add_new_anon_rmap', 'lru_cache_add_inactive_or_unevictable',
];

/** A small deterministic PRNG (mulberry32), shared by the generators. */
export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function durCol(ns: number): string {
  const us = ns / 1000;
  const mark = us >= 1e6 ? '$' : us >= 1e5 ? '@' : us >= 1e4 ? '*' : us >= 1e3 ? '#' : us >= 100 ? '!' : us >= 10 ? '+' : ' ';
  const num = `${Math.floor(ns / 1000)}.${String(ns % 1000).padStart(3, '0')} us`;
  return `${mark} ${num}`.padEnd(13);
}

/**
 * Yields chunks of generated text until at least `minBytes` were produced. `bare`: no header
 * and no context-switch banners, so no line names a task (the parser's held lines are bounded
 * by bytes, not by a banner).
 */
export function* functionGraphText(minBytes: number, seed = 1, bare = false): Generator<string> {
  const r = rng(seed);
  if (!bare) yield '# tracer: function_graph\n#\n# CPU  DURATION                  FUNCTION CALLS\n# |     |   |                     |   |   |   |\n';
  let bytes = 0;
  const tasks = ['kt-work-406', 'cat-2606', 'kworker-44', 'rcu_pre-15'];
  const current = [0, 1];
  // A kernel runs the same code paths over and over: a fixed set of call-tree shapes, each
  // replayed with fresh durations, keeps the number of distinct stacks realistic.
  type Shape = { name: string; kids: Shape[] };
  const shape = (depth: number): Shape => {
    const name = FUNCS[Math.floor(r() * FUNCS.length)]!;
    if (depth >= 6 || r() < 0.55) return { name, kids: [] };
    return { name, kids: Array.from({ length: 1 + Math.floor(r() * 4) }, () => shape(depth + 1)) };
  };
  const shapes = Array.from({ length: 64 }, () => shape(0));
  while (bytes < minBytes) {
    const cpu = r() < 0.5 ? 0 : 1;
    const lines: string[] = [];
    const emit = (sh: Shape, depth: number): number => {
      const ind = '  '.repeat(depth + 1);
      if (sh.kids.length === 0) {
        const d = 200 + Math.floor(r() * 4000);
        lines.push(` ${cpu}) ${durCol(d)} |${ind}${sh.name}();`);
        return d;
      }
      lines.push(` ${cpu})               |${ind}${sh.name}() {`);
      let total = 100 + Math.floor(r() * 900);
      for (const k of sh.kids) total += emit(k, depth + 1);
      lines.push(` ${cpu}) ${durCol(total)} |${ind}}${r() < 0.3 ? ` /* ${sh.name} */` : ''}`);
      return total;
    };
    emit(shapes[Math.floor(r() * shapes.length)]!, 0);
    if (r() < 0.02 && !bare) {
      const from = tasks[current[cpu]!]!;
      current[cpu] = Math.floor(r() * tasks.length);
      const to = tasks[current[cpu]!]!;
      lines.push(' ------------------------------------------', ` ${cpu})  ${from.padStart(10)}  =>  ${to.padEnd(10)}`, ' ------------------------------------------', '');
    }
    const chunk = lines.join('\n') + '\n';
    bytes += chunk.length;
    yield chunk;
  }
}

export async function writeFunctionGraph(path: string, minBytes: number, seed = 1, bare = false): Promise<number> {
  return writeText(path, functionGraphText(minBytes, seed, bare));
}

import type { InputOptions } from '../../src/inputs/types.js';

/** The option-set name of a `<capture>.<options>.folded` reference → `--compat stackcollapse` options. */
export function stackcollapseOptions(opt: string): InputOptions {
  const o: InputOptions = { compat: 'stackcollapse' };
  if (opt === 'pid') o.withPid = true;
  else if (opt === 'tid') o.withTid = true;
  else if (opt === 'kernel' || opt === 'jit' || opt === 'all') o.annotate = opt;
  else if (opt === 'addrs') o.addrs = true;
  else if (opt === 'inline') o.inline = true;
  else if (opt === 'srcline') o.srcline = true;
  else if (opt.startsWith('event-filter_')) o.eventFilter = opt.slice('event-filter_'.length);
  else if (opt !== 'default') throw new Error(`unknown option set ${opt}`);
  return o;
}

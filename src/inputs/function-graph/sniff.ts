import type { SniffAnswer } from '../types.js';
import { NBSP } from './tokenize.js';

/** A function_graph body line: `[...] | func() {`, `| func();`, `| }` (with optional tail comment). */
const RE_SNIFF_LINE =
  /(?:\d+\)|\bus)\s.*\|\s+(?:[\w.$]+(?: \[[\w.-]+\])?\([^)]*\)\s*(?:\{|;)|\}(?:\s*\/\*.*\*\/)?)\s*(?:\/\*.*\*\/)?\s*$/;

export function sniff(head: string): SniffAnswer {
  if (/^\s*(?:>\s*)?#\s*tracer:\s*function_graph/m.test(head)) return 'yes';
  if (/: funcgraph_(?:entry|exit):/.test(head)) return 'yes';
  let hits = 0;
  for (const raw of head.split('\n', 4000)) {
    if (raw.indexOf('|') === -1) continue;
    if (RE_SNIFF_LINE.test(raw.replaceAll(NBSP, ' '))) {
      if (++hits >= 3) return 'yes';
    }
  }
  return hits > 0 ? 'maybe' : 'no';
}

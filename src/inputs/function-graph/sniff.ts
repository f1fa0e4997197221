import type { SniffAnswer, SniffVerdict } from '../types.js';
import { NBSP } from './tokenize.js';

/** A function_graph body line: `[...] | func() {`, `| func();`, `| }` (with optional tail comment). */
const RE_SNIFF_LINE =
  /(?:\d+\)|\bus)\s.*\|\s+(?:[\w.$]+(?: \[[\w.-]+\])?\([^)]*\)\s*(?:\{|;)|\}(?:\s*\/\*.*\*\/)?)\s*(?:\/\*.*\*\/)?\s*$/;

export function sniff(head: string): SniffAnswer {
  return sniffVerdict(head).answer;
}

const RE_HEADER = /^\s*(?:>\s*)?#\s*tracer:\s*function_graph/;
const RE_TRACECMD_GRAPH = /: funcgraph_(?:entry|exit):/;

/**
 * Level 3 on the format's own markers (a `# tracer: function_graph` header at the start of a
 * line, a trace-cmd `funcgraph_entry:` line); 2 when at least three lines, and at least half of
 * the non-blank ones, are function_graph body lines; 1 when some are, among other text (a kernel
 * log embedding an ftrace dump is the dmesg input's).
 */
export function sniffVerdict(head: string): SniffVerdict {
  let hits = 0;
  let seen = 0;
  let no = 0;
  const lines: number[] = [];
  for (const raw of head.split('\n', 4000)) {
    no++;
    if (raw.trim() === '') continue;
    seen++;
    if (RE_HEADER.test(raw)) return { answer: 'yes', level: 3, reason: 'a `# tracer: function_graph` header', lines: [no] };
    if (RE_TRACECMD_GRAPH.test(raw)) return { answer: 'yes', level: 3, reason: 'a trace-cmd funcgraph_entry/funcgraph_exit line', lines: [no] };
    if (raw.indexOf('|') === -1) continue;
    if (RE_SNIFF_LINE.test(raw.replaceAll(NBSP, ' '))) {
      hits++;
      if (lines.length < 5) lines.push(no);
    }
  }
  const share = seen === 0 ? 0 : hits / seen;
  const why = `${hits} of ${seen} lines are function_graph lines`;
  if (hits >= 3 && hits * 2 >= seen) return { answer: 'yes', level: 2, reason: why, lines, share };
  return hits > 0 ? { answer: 'maybe', level: 1, reason: why, lines, share } : { answer: 'no', level: 0, reason: why, lines, share };
}

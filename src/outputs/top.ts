/**
 * `top`: a plain-text report of the distinct stacks, ranked by weight, each with its share of the
 * total and printed leaf first, the way the kernel prints a call trace. For stack inputs (dmesg
 * call traces, stack histograms) the weight is the count; this is the report the dump_stack()
 * collections of the seeds were written by hand as.
 *
 * For timed inputs (function_graph) the same ranking is made of the call paths, weighted like
 * the folded output: self time in microseconds by default, total time or calls with `--weight`.
 *
 * At most `TOP_LIMIT` entries per section are printed; the rest are summed in one line. Memory
 * grows with the number of distinct stacks only.
 */
import type { TraceEvent, TraceInfo } from '../model/events.js';
import { CAT } from '../model/events.js';
import { plainInteger } from '../model/time.js';
import { frameLabel } from './common.js';
import { PathTrie } from './folded-paths.js';
import { StackTable, type StackEntry } from './stack-table.js';
import type { FoldedWeight, OutputAdapter, OutputOptions, OutputWriter } from './types.js';

export const TOP_LIMIT = 100;

const PATH_CATS = new Set<string>([CAT.function, CAT.syscall]);

function pct(w: number, total: number): string {
  return total > 0 ? `${((w / total) * 100).toFixed(2)}%` : '-';
}

class TopWriter implements OutputWriter {
  private readonly samples = new StackTable();
  /** Call paths as trie nodes (a call costs O(1) whatever the depth); weight and calls per node. */
  private readonly trie = new PathTrie();
  private readonly pathWeight: number[] = [];
  private readonly pathCalls: number[] = [];
  private pathCount = 0;
  private readonly open = new Map<number, number[]>();
  private info: TraceInfo | undefined;
  private readonly weight: FoldedWeight;

  constructor(private readonly opts: OutputOptions) {
    this.weight = opts.weight ?? 'self';
  }

  push(events: TraceEvent[]): null {
    for (const e of events) {
      switch (e.kind) {
        case 'info':
          this.info = e;
          break;
        case 'sample':
          if (e.frames.length) this.samples.add(e.frames, e.weight, e.title, e.reason);
          break;
        case 'begin': {
          if (!PATH_CATS.has(e.cat)) break;
          let st = this.open.get(e.track);
          if (!st) this.open.set(e.track, (st = []));
          if (e.depth < st.length) st.length = e.depth;
          st.push(this.trie.child(st.length ? st[st.length - 1]! : 0, e.name));
          break;
        }
        case 'end': {
          if (!PATH_CATS.has(e.cat)) break;
          const st = this.open.get(e.track);
          if (!st || st.length === 0) break;
          const node = st.pop()!;
          if (this.pathCalls[node] === undefined) {
            this.pathCount++;
            this.pathCalls[node] = 0;
            this.pathWeight[node] = 0;
          }
          this.pathWeight[node]! += this.weight === 'self' ? e.selfNs : this.weight === 'total' ? e.ts - e.start : 1;
          this.pathCalls[node]!++;
          break;
        }
        default:
          break;
      }
    }
    return null;
  }

  end(): string {
    const out: string[] = [];
    const head = [`input: ${this.opts.inputName ?? '-'}`];
    if (this.info) head.push(`format: ${this.info.format}${this.info.variant ? ` (${this.info.variant})` : ''}`);
    out.push(`# tracebridge top: ${head.join('; ')}`);
    if (this.samples.size > 0) this.stackSection(out);
    if (this.pathCount > 0) this.pathSection(out);
    if (this.samples.size === 0 && this.pathCount === 0) out.push('# no stacks and no calls in the input', '');
    const diags = this.opts.diagnostics?.() ?? {};
    const keys = Object.keys(diags);
    if (keys.length) out.push(`# diagnostics: ${keys.map((k) => `${k} ×${diags[k]}`).join(', ')}`);
    return out.join('\n') + '\n';
  }

  private stackSection(out: string[]) {
    const t = this.samples;
    out.push(`# ${t.size} distinct stack${t.size === 1 ? '' : 's'} from ${t.observations} observation${t.observations === 1 ? '' : 's'}, total count ${t.total}`);
    const stated = this.info?.notes?.stated_total;
    if (stated !== undefined) {
      const hist = Number(this.info?.notes?.histogram_total ?? t.total);
      const d = hist - Number(stated);
      out.push(`# stated total ${stated}${d === 0 ? ' (matches)' : ` (the listed stacks sum to ${hist}, ${d > 0 ? '+' : ''}${d})`}`);
    }
    out.push('');
    const ranked = t.ranked();
    const shown = ranked.slice(0, TOP_LIMIT);
    shown.forEach((e, k) => this.entry(out, k + 1, e, t.total));
    this.rest(out, ranked.slice(TOP_LIMIT).map((e) => e.weight), t.total, 'stacks');
  }

  private entry(out: string[], rank: number, e: StackEntry, total: number) {
    const what: string[] = [];
    if (e.title !== undefined) what.push(e.title);
    if (e.reason !== undefined && e.reason !== e.title) what.push(`[${e.reason}]`);
    if (e.observations > 1) what.push(`(${e.observations} observations)`);
    out.push(`#${rank}  ${e.weight}  ${pct(e.weight, total)}${what.length ? `  ${what.join(' ')}` : ''}`);
    for (let k = e.frames.length - 1; k >= 0; k--) out.push(`    ${frameLabel(e.frames[k]!)}`);
    out.push('');
  }

  private pathSection(out: string[]) {
    const unit = this.weight === 'count' ? 'calls' : this.weight === 'total' ? 'total time (us)' : 'self time (us)';
    const toUnit = this.weight === 'count' ? (v: number) => v : (v: number) => Math.round(v / 1000);
    const nodes: { node: number; weight: number; calls: number; key: string }[] = [];
    this.pathCalls.forEach((calls, node) => {
      nodes.push({ node, weight: toUnit(this.pathWeight[node]!), calls, key: '' });
    });
    // Ties are ordered by the path's text, built only for the nodes that tie.
    nodes.sort((a, b) => b.weight - a.weight);
    for (let i = 0; i < nodes.length; ) {
      let j = i + 1;
      while (j < nodes.length && nodes[j]!.weight === nodes[i]!.weight) j++;
      if (j - i > 1 && i < TOP_LIMIT) {
        for (let k = i; k < j; k++) nodes[k]!.key = this.trie.path(nodes[k]!.node);
        const tie = nodes.slice(i, j).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
        for (let k = i; k < j; k++) nodes[k] = tie[k - i]!;
      }
      i = j;
    }
    const ranked = nodes.map((p, k) => ({ names: k < TOP_LIMIT ? this.trie.names(p.node) : [], weight: p.weight, calls: p.calls }));
    const total = ranked.reduce((s, p) => s + p.weight, 0);
    out.push(`# ${ranked.length} distinct call path${ranked.length === 1 ? '' : 's'} by ${unit}, total ${plainInteger(total)}`);
    out.push('');
    ranked.slice(0, TOP_LIMIT).forEach((p, k) => {
      out.push(`#${k + 1}  ${plainInteger(p.weight)}  ${pct(p.weight, total)}  (${p.calls} call${p.calls === 1 ? '' : 's'})`);
      for (let i = p.names.length - 1; i >= 0; i--) out.push(`    ${p.names[i]}`);
      out.push('');
    });
    this.rest(out, ranked.slice(TOP_LIMIT).map((p) => p.weight), total, 'call paths');
  }

  private rest(out: string[], weights: number[], total: number, what: string) {
    if (weights.length === 0) return;
    const w = weights.reduce((s, x) => s + x, 0);
    out.push(`# ... ${weights.length} more ${what}: ${plainInteger(w)} (${pct(w, total)})`, '');
  }
}

export const top: OutputAdapter = {
  name: 'top',
  description: 'text report: distinct stacks ranked by count (or call paths by time), leaf first',
  extensions: ['.txt'],
  binary: false,
  createWriter: (o) => new TopWriter(o),
};

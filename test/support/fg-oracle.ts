/**
 * An independent count of the calls in function_graph text, by plain pattern matching on
 * lines (no stacks, no columns): every `func(...) {` or `func(...);` after a `|` or a CPU
 * column, every trace-cmd `funcgraph_entry`, a mailer-wrapped `[module]() {` line, and, after a
 * `# tracer:` header and before any line with columns, a line that is only `func(...) {` or
 * `func(...);` (nocontext-info, every column off).
 */
export function countCalls(text: string): number {
  let n = 0;
  let bare = false;
  for (const raw of text.split('\n')) {
    const s = raw.replaceAll('\u00a0', ' ');
    if (/^\s*#\s*tracer:/.test(s)) {
      bare = true;
      continue;
    }
    if (/^\s*#/.test(s)) continue;
    if (s.includes('funcgraph_entry:')) {
      n++;
      continue;
    }
    if (/(?:\||\d\))\s*[\w.$]+(?: \[[\w.-]+\])?\([^)]*\)\s*(?:\{|;)/.test(s)) {
      n++;
      bare = false;
    } else if (/^\s*(?:>\s*)*\[[\w.-]+\]\(\)\s*\{\s*$/.test(s)) n++;
    else if (/\||^\s*\d+\)/.test(s)) bare = false;
    else if (bare && /^\s*(?!(?:if|for|while|switch|return|sizeof)\b)[\w.$]+\((?:[\w.]+=[^,()]*(?:, [\w.]+=[^,()]*)*|[-\dx, a-f]*)\)\s*(?:\{|;)/.test(s)) n++;
  }
  return n;
}

/** Max nesting depth a viewer sees: B/E per thread, stably sorted by ts (0 = outermost). */
export function chromeMaxDepth(json: string): number {
  const doc = JSON.parse(json) as { traceEvents: { ph: string; pid: number; tid: number; ts: number; cat?: string }[] };
  const per = new Map<string, { ph: string; ts: number; i: number; cat?: string }[]>();
  doc.traceEvents.forEach((e, i) => {
    if (e.ph !== 'B' && e.ph !== 'E') return;
    const k = `${e.pid}:${e.tid}`;
    if (!per.has(k)) per.set(k, []);
    per.get(k)!.push({ ph: e.ph, ts: e.ts, i, cat: e.cat });
  });
  let max = -1;
  for (const evs of per.values()) {
    evs.sort((a, b) => a.ts - b.ts || a.i - b.i);
    const st: (string | undefined)[] = [];
    for (const e of evs) {
      if (e.ph === 'B') {
        if (e.cat === 'function') max = Math.max(max, st.length);
        st.push(e.cat);
      } else st.pop();
    }
  }
  return max;
}

/**
 * Detection with confidence: each adapter's verdict (level, reason, evidence lines), the
 * registry's choice, ties reported instead of settled by order, adapters without a verdict
 * mapped from their yes/no/maybe, and the `detect` command's report.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectReport } from '../../src/cli/detect.js';
import { detect, explainSniff } from '../../src/inputs/registry.js';
import type { InputAdapter } from '../../src/inputs/types.js';
import { SAMPLES } from '../support/convert-helpers.js';

const read = (f: string) => fs.readFileSync(path.join(SAMPLES, f), 'utf8');

describe('sniff verdicts', () => {
  it('a function_graph header is certain, and the evidence is its line', () => {
    const d = detect(read('function-graph/nocontext-info.txt'));
    expect(d.adapter?.name).toBe('function-graph');
    const v = d.verdicts.find((x) => x.name === 'function-graph')!.verdict;
    expect(v).toMatchObject({ answer: 'yes', level: 3, lines: [1] });
  });

  it('a kernel log embedding an ftrace dump: function_graph lines are only a share, dmesg wins on its grammar', () => {
    const d = detect(read('dmesg/kernel-log-with-ftrace-dump.txt'));
    const fg = d.verdicts.find((x) => x.name === 'function-graph')!.verdict;
    const dm = d.verdicts.find((x) => x.name === 'dmesg')!.verdict;
    expect(fg.level).toBe(1);
    expect(fg.share!).toBeLessThan(0.5);
    expect(dm.level).toBe(2);
    expect(d.adapter?.name).toBe('dmesg');
  });

  it('an adapter without sniffVerdict is mapped from its answer', () => {
    const a: InputAdapter = { name: 'x', description: '', priority: 0, sniff: () => 'maybe', createParser: () => ({ push: () => [], end: () => [] }) };
    expect(explainSniff(a, 'anything')).toMatchObject({ answer: 'maybe', level: 1, lines: [] });
  });

  it('two equally sure claims with no clear difference in evidence are reported, not settled by order', () => {
    // Half babeltrace lines, half function_graph lines: both grammars read 50%.
    const head = [
      '[12:34:56.123456789] (+0.000001000) host sched_switch: { cpu_id = 0 }, { prev_tid = 1 }',
      '[12:34:56.123456790] (+0.000000001) host sched_switch: { cpu_id = 0 }, { prev_tid = 2 }',
      '[12:34:56.123456791] (+0.000000001) host sched_switch: { cpu_id = 0 }, { prev_tid = 3 }',
      ' 0)   0.345 us    |  foo();',
      ' 0)   0.345 us    |  bar();',
      ' 0)   0.345 us    |  baz();',
    ].join('\n');
    const d = detect(head);
    expect(d.adapter).toBeUndefined();
    expect(d.ambiguous?.sort()).toEqual(['function-graph', 'lttng-text']);
    expect(d.reason).toMatch(/claim it equally surely/);
  });
});

describe('tracebridge detect', () => {
  it('prints every adapter, the lines each based its answer on, and the choice', () => {
    const r = detectReport(read('function-graph/trace-cmd-report-N-no-plugins.txt'));
    expect(r.chosen).toBe('function-graph');
    expect(r.text).toMatch(/^function-graph: yes \(certain, level 3\): a trace-cmd funcgraph_entry\/funcgraph_exit line$/m);
    expect(r.text).toMatch(/^ {6}2: .*funcgraph_entry: {6}--> mutex_unlock \(0\)$/m);
    expect(r.text).toMatch(/^dmesg: no /m);
    expect(r.text).toMatch(/^lttng-text: no /m);
    expect(r.text).toMatch(/^detected: function-graph /m);
  });
});

/**
 * Findings of fuzzing, each kept as a test: deep nesting, out-of-range numbers, exponent
 * weights, unbalanced Chrome JSON from lttng-text lanes. Every output is checked with the
 * fuzzer's validators (src/fuzz/validate.ts), which share no code with the writers.
 */
import { describe, expect, it } from 'vitest';
import { MAX_DEPTH } from '../../src/model/limits.js';
import { nsToUsString, nsToSecondsString, plainInteger } from '../../src/model/time.js';
import { outputs } from '../../src/outputs/registry.js';
import { validateChromeJson, validateCsv, validateFolded, validatePerfetto, validatorFor } from '../../src/fuzz/validate.js';
import { lines, run } from '../support/convert-helpers.js';

/** function_graph text: `depth` nested calls on CPU 0, the last `closed` of them closed. */
function nested(depth: number, closed = 0): Uint8Array {
  const out: string[] = ['# tracer: function_graph', '#', '# CPU  DURATION                  FUNCTION CALLS', '# |     |   |                     |   |   |   |'];
  for (let i = 0; i < depth; i++) out.push(` 0)               |  f${i % 7}() {`);
  for (let i = 0; i < closed; i++) out.push(` 0)   0.500 us    |  }`);
  return new TextEncoder().encode(out.join('\n') + '\n');
}

const formats = outputs.map((o) => o.name);

describe('deep nesting', () => {
  it.each(formats)('70,000 calls left open at the end convert to valid %s (no stack overflow), the depth limit reported', async (to) => {
    const r = await run(nested(70_000), to, { from: 'function-graph' });
    const v = validatorFor(to, outputs.find((o) => o.name === to)!.binary);
    expect(v?.(r.out) ?? null).toBeNull();
    expect(r.result.diagnostics['limit.depth']).toBe(1);
    expect(r.diags.find((d) => d.code === 'limit.depth')!.line).toBe(5 + MAX_DEPTH);
  });

  it('top on 20,000 nested calls and 10,000 closers ranks at most MAX_DEPTH paths, the depth limit on their line', async () => {
    const r = await run(nested(20_000, 10_000), 'top', { from: 'function-graph', weight: 'count' });
    const m = /# (\d+) distinct call paths by calls/.exec(r.text);
    expect(Number(m![1])).toBe(MAX_DEPTH);
    // The call at the bound is closed once by a closer and once at the end: 1024 calls in all.
    expect(r.text).toMatch(/total 1024\b/);
  });

  it('folded on 100,000 nested calls has one line per depth up to the limit', async () => {
    const r = await run(nested(100_000, 100_000), 'folded', { from: 'function-graph', weight: 'count' });
    expect(validateFolded(r.out)).toBeNull();
    expect(r.text.trimEnd().split('\n')).toHaveLength(MAX_DEPTH);
  });
});

describe('numbers', () => {
  it('time formatting never gives a negative fraction or an exponent', () => {
    // The double nearest 9007199264740996000 is ...096: printed exactly, as a plain decimal.
    expect(nsToUsString(9007199264740996000)).toBe('9007199264740996.096');
    expect(nsToUsString(2 ** 53 + 2)).toBe('9007199254740.994');
    expect(nsToUsString(1500)).toBe('1.5');
    expect(nsToSecondsString(2 ** 60)).toBe('1152921504.606846976');
    expect(plainInteger(1e21)).toBe('1000000000000000000000');
    expect(plainInteger(1.0000000000000001e21)).toMatch(/^\d{22}$/);
    expect(plainInteger(42)).toBe('42');
  });

  const beyond = lines(`
# tracer: function_graph
#
# CPU  DURATION                  FUNCTION CALLS
# |     |   |                     |   |   |   |
 0)               |  outer() {
 0) $ 999999999999999999999.000 us |    inner();
 0) $ 9007199264740.996 us |    leaf();
 0)   1.000 us    |  }
`);

  it('a duration beyond 2^53 ns gives valid Chrome JSON and a diagnostic on its line', async () => {
    const r = await run(beyond, 'chrome-json', { from: 'function-graph' });
    expect(validateChromeJson(r.out)).toBeNull();
    expect(r.text).not.toMatch(/"ts":-?\d+\.-/);
    expect(r.diags.some((d) => d.code === 'limit.number-range' || d.code === 'function-graph.malformed-line')).toBe(true);
  });

  it('folded weights and CSV durations stay plain integers', async () => {
    const f = await run(beyond, 'folded', { from: 'function-graph', weight: 'total' });
    expect(validateFolded(f.out)).toBeNull();
    expect(f.text).not.toMatch(/e\+/);
    const c = await run(beyond, 'csv', { from: 'function-graph' });
    expect(validateCsv(c.out)).toBeNull();
    expect(c.text).not.toMatch(/e\+/);
  });

  it('an abstime beyond 2^53 ns is reported, and Perfetto times stay in range', async () => {
    const input = lines(`
# tracer: function_graph
#
#     TIME        CPU  DURATION                  FUNCTION CALLS
#      |          |     |   |                     |   |   |   |
 99999999999999999999.000000 |   0)               |  outer() {
 99999999999999999999.000001 |   0)   1.000 us    |    inner();
 99999999999999999999.000003 |   0)   3.000 us    |  }
`);
    const r = await run(input, 'perfetto', { from: 'function-graph' });
    expect(validatePerfetto(r.out)).toBeNull();
    const codes = Object.keys(r.result.diagnostics);
    expect(codes.some((c) => c === 'limit.number-range' || c === 'function-graph.malformed-line')).toBe(true);
  });
});

describe('lttng-text lanes', () => {
  const head = '[00:00:00.000000001] (+?.?????????) h syscall_entry_read: { cpu_id = 0 }, { fd = 3 }';
  it('a syscall at 1-2 ns and a sched_switch at 5 ns: the CPU lane closes at 5 ns, after its B', async () => {
    const input = lines(`
${head}
[00:00:00.000000002] (+0.000000001) h syscall_exit_read: { cpu_id = 0 }, { ret = 0 }
[00:00:00.000000005] (+0.000000003) h sched_switch: { cpu_id = 0 }, { prev_comm = "a", prev_tid = 7, prev_prio = 20, prev_state = 1, next_comm = "b", next_tid = 8, next_prio = 20 }
`);
    const r = await run(input, 'chrome-json', { from: 'lttng-text' });
    expect(validateChromeJson(r.out)).toBeNull();
  });

  it('an irq exit without entry is no E without B, and an entry without exit is closed at the end', async () => {
    const input = lines(`
[00:00:00.000000001] (+?.?????????) h irq_handler_exit: { cpu_id = 0 }, { irq = 5, ret = 1 }
[00:00:00.000000003] (+0.000000002) h sched_switch: { cpu_id = 0 }, { prev_comm = "a", prev_tid = 7, prev_prio = 20, prev_state = 1, next_comm = "b", next_tid = 8, next_prio = 20 }
[00:00:00.000000004] (+0.000000001) h irq_handler_entry: { cpu_id = 0 }, { irq = 6, name = "eth0" }
[00:00:00.000000005] (+0.000000001) h softirq_entry: { cpu_id = 1 }, { vec = 3 }
[00:00:00.000000009] (+0.000000004) h syscall_entry_read: { cpu_id = 1 }, { fd = 3 }
`);
    for (const to of formats) {
      const r = await run(input, to, { from: 'lttng-text' });
      const v = validatorFor(to, outputs.find((o) => o.name === to)!.binary);
      expect(v?.(r.out) ?? null, to).toBeNull();
    }
    const r = await run(input, 'chrome-json', { from: 'lttng-text' });
    const evs = (JSON.parse(r.text) as { traceEvents: { ph: string; cat?: string; ts: number }[] }).traceEvents;
    expect(r.diags.filter((d) => d.code === 'lttng-text.unmatched-exit').map((d) => d.line)).toEqual([1]);
    expect(r.diags.filter((d) => d.code === 'lttng-text.unclosed-entry').map((d) => d.line).sort()).toEqual([3, 4, 5]);
    // The irq and softirq lanes close at the last time of the trace (9 ns).
    expect(evs.filter((e) => e.ph === 'E' && e.ts === 0.009).length).toBeGreaterThanOrEqual(2);
  });

  it('sched_switches whose times go back on a CPU stay in time order there', async () => {
    const sw = (t: string, p: number, n: number) =>
      `[00:00:00.${t}] (+?.?????????) h sched_switch: { cpu_id = 0 }, { prev_comm = "t${p}", prev_tid = ${p}, prev_prio = 20, prev_state = 1, next_comm = "t${n}", next_tid = ${n}, next_prio = 20 }`;
    const input = lines([sw('000000010', 1, 2), sw('000000005', 2, 3), sw('000000020', 3, 1)].join('\n'));
    const r = await run(input, 'csv', { from: 'lttng-text' });
    const ts = r.text
      .split('\r\n')
      .filter((l) => l.startsWith('sched_switch,'))
      .map((l) => Number(l.split(',')[1]));
    expect(ts).toEqual([...ts].sort((a, b) => a - b));
  });
});

describe('csv formula defusing', () => {
  it('defuses an LF-leading cell and the full-width formula characters', async () => {
    const { csvText } = await import('../../src/outputs/csv.js');
    expect(csvText('\n=1+1')).toBe(`"'\n=1+1"`);
    for (const c of ['＝', '＋', '－', '＠']) expect(csvText(`${c}SUM(A1)`)).toBe(`'${c}SUM(A1)`);
    expect(csvText('plain')).toBe('plain');
  });
});

describe('CPU numbers the trace processor accepts', () => {
  it('a CPU beyond 1023 gets a number of its own from 1023 down, with a diagnostic', async () => {
    // The same two events on CPUs the importer refuses (it allows at most 1024 CPUs).
    const text = [
      '# tracer: nop',
      '            bash-10  [1610612736] d..2.   100.000001: sched_switch: prev_comm=bash prev_pid=10 prev_prio=120 prev_state=S ==> next_comm=cat next_pid=11 next_prio=120',
      '             cat-11  [5000] d..2.   100.000002: sched_switch: prev_comm=cat prev_pid=11 prev_prio=120 prev_state=S ==> next_comm=bash next_pid=10 next_prio=120',
      '',
    ].join('\n');
    const r = await run(new TextEncoder().encode(text), 'csv', { from: 'ftrace-events' });
    const cpus = r.text.split('\r\n').filter((l) => l.startsWith('sched_switch,')).map((l) => Number(l.split(',')[3]));
    expect(cpus).toEqual([1023, 1022]);
    expect(r.diags.filter((d) => d.code === 'limit.id-range').map((d) => d.message)).toEqual([
      'cpu 1610612736 is outside 0..1023: written as 1023',
      'cpu 5000 is outside 0..1023: written as 1022',
    ]);
    const pb = await run(new TextEncoder().encode(text), 'perfetto', { from: 'ftrace-events' });
    expect(validatePerfetto(pb.out)).toBeNull();
  });
});

describe('long lines cost their length, not its square', () => {
  // Fuzz case 35252 (seed 1): a context-switch banner repeated into a line of 1 MiB took over a
  // minute per output, the two lazy groups of the banner's pattern trying every `=>`. The
  // timeout below is a hang guard (a linear pass takes well under a second), not a speed goal.
  const banner = ' 0)   kworker-51     =>    bash-1507 ';
  const long = banner.repeat(Math.floor(1_000_000 / banner.length));
  it('a 1 MB line of repeated function_graph switch banners is text, not a switch', { timeout: 20_000 }, async () => {
    // Line 4 ends like a banner (it was read as one switch); line 5 does not (it was the slow one).
    const text = ['# tracer: function_graph', '#', ' 0)               |  f() {', long, `${long}x`, ' 0)   0.500 us    |  }', ''].join('\n');
    const r = await run(new TextEncoder().encode(text), 'csv', { from: 'function-graph' });
    expect(r.diags.filter((d) => d.line === 4 || d.line === 5).map((d) => d.code)).toEqual(['function-graph.skipped-text', 'function-graph.skipped-text']);
    expect(r.text.split('\r\n').filter((l) => l.includes('=>'))).toEqual([]);
    expect(validateCsv(r.out)).toBeNull();
  });
  it('the same line inside ftrace event text is not taken for a function_graph banner', { timeout: 20_000 }, async () => {
    const ev = '            bash-10  [000] d..2.   100.000001: sched_switch: prev_comm=bash prev_pid=10 prev_prio=120 prev_state=S ==> next_comm=cat next_pid=11 next_prio=120';
    const r = await run(new TextEncoder().encode(['# tracer: nop', ev, long, ''].join('\n')), 'csv', { from: 'ftrace-events' });
    expect(r.diags.some((d) => d.line === 3)).toBe(true);
    expect(validateCsv(r.out)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import fc from 'fast-check';
import { functionGraph, RECONSTRUCTED_ORIGIN_NS, tokenize, type FgLine, type TokenizeState } from '../../../src/inputs/function-graph/index.js';
import type { Diagnostic } from '../../../src/model/diagnostics.js';
import { DiagnosticCollector } from '../../../src/model/diagnostics.js';
import type { SliceEnd, TraceEvent } from '../../../src/model/events.js';
import { lines, run } from '../../support/convert-helpers.js';

const st = (): TokenizeState => ({ lastCpu: -1, sawCpu: false });
const tok = (s: string) => tokenize(s, 1, st()) as FgLine;

function parse(text: string): { events: TraceEvent[]; diags: Diagnostic[] } {
  const diags: Diagnostic[] = [];
  const c = new DiagnosticCollector('t', (d) => diags.push(d));
  const p = functionGraph.createParser({ file: 't', report: c.report, options: {} });
  const ls = text.replace(/^\n/, '').split('\n');
  const events = [...p.push(ls, 1), ...p.end()];
  return { events, diags };
}
const ends = (evs: TraceEvent[]) => evs.filter((e): e is SliceEnd => e.kind === 'end');

describe('function_graph tokenizer', () => {
  it('reads the default layout: CPU, duration, entry, leaf, exit', () => {
    expect(tok(' 1)               |  SyS_recvfrom() {')).toMatchObject({ kind: 'entry', cpu: 1, dur: -1, text: 'SyS_recvfrom' });
    expect(tok(' 1)   0.235 us    |      fget_light();')).toMatchObject({ kind: 'leaf', cpu: 1, dur: 235, text: 'fget_light' });
    expect(tok(' 11)   1.626 us    |  }')).toMatchObject({ kind: 'exit', cpu: 11, dur: 1626 });
  });
  it('reads every overhead marker, also glued to the number', () => {
    const d = (s: string) => tok(` 2) ${s} |  }`).dur;
    expect(d('+ 61.770 us  ')).toBe(61_770);
    expect(d('! 140.417 us ')).toBe(140_417);
    expect(d('# 1837.709 us')).toBe(1_837_709);
    expect(d('* 33998.59 us')).toBe(33_998_590);
    expect(d('@ 119760.2 us')).toBe(119_760_200);
    expect(d('$ 3594274 us ')).toBe(3_594_274_000);
    expect(d('!2485684 us  ')).toBe(2_485_684_000);
  });
  it('reads abstime, proc, nocpu and noduration columns', () => {
    expect(tok('   48.743574 |   0)               |                  kmem_cache_free() {')).toMatchObject({ kind: 'entry', ts: 48_743_574_000, cpu: 0 });
    expect(tok(' 0)  kt-work-406   | + 16.479 us   |                } /* kmem_cache_alloc */')).toMatchObject({
      kind: 'exit',
      comm: 'kt-work',
      pid: 406,
      dur: 16_479,
      tail: 'kmem_cache_alloc',
    });
    expect(tok(' 0)    <idle>-0    |               |      finish_task_switch.isra.0() {')).toMatchObject({ comm: '<idle>', pid: 0 });
    expect(tok('+ 83.805 us   |                            } /* scheduler_tick */')).toMatchObject({ kind: 'exit', cpu: -1, dur: 83_805 });
    expect(tok(' 1)                     folio_lruvec_lock_irqsave() {')).toMatchObject({ kind: 'entry', cpu: 1, dur: -1 });
    expect(tok(' 1)                     }')).toMatchObject({ kind: 'exit', cpu: 1 });
  });
  it('reads module suffixes, retval and args', () => {
    expect(tok(' 0)               |  __es_remove_extent [ext4]() {').text).toBe('__es_remove_extent [ext4]');
    expect(tok(' 0) + 46.356 us   |  } /* ext4_es_insert_delayed_block [ext4] */').tail).toBe('ext4_es_insert_delayed_block [ext4]');
    expect(tok(' 1)   0.651 us    |  kmem_cache_alloc(); /* = 0xffff93fcfd346c00 */').args).toEqual({ ret: '0xffff93fcfd346c00' });
    expect(tok(' 1)   6.540 us    |  } /* do_sys_openat2 = -2 */')).toMatchObject({ tail: 'do_sys_openat2', args: { ret: '-2' } });
    expect(tok(' 1)               |  getname(filename=0x7ffd2c1e) {').args).toEqual({ 'arg.filename': '0x7ffd2c1e' });
  });
  it('reads irq markers, comments, banners and overrun lines', () => {
    expect(tok('13378.411877 |     0)   ==========> |').kind).toBe('irq-enter');
    expect(tok('13378.411877 |     0)   <========== |').kind).toBe('irq-exit');
    expect(tok(' 1)               |                /* I\'m a comment! */')).toMatchObject({ kind: 'comment', text: "I'm a comment!" });
    expect(tokenize(' 0)     rm-223     =>   rcu_pre-15  ', 1, st())).toEqual({ kind: 'switch', cpu: 0, from: 'rm-223', to: 'rcu_pre-15' });
    expect(tokenize(' (Overruns: 0)', 1, st())).toEqual({ kind: 'overrun', count: 0 });
    expect(tokenize(' ------------------------------------------', 1, st())).toEqual({ kind: 'rule' });
  });
  it('reads trace-cmd report lines, with and without -l', () => {
    expect(tok('       trace-cmd-4807  [000]   593.528725: funcgraph_exit:       + 23.434 us  |        }')).toMatchObject({
      kind: 'exit',
      cpu: 0,
      comm: 'trace-cmd',
      pid: 4807,
      ts: 593_528_725_000,
      dur: 23_434,
    });
    expect(tok('trace-cm-4807    0d.h3.   593.528695: funcgraph_entry:        3.353 us   |        _raw_spin_lock_irqsave();')).toMatchObject({
      kind: 'leaf',
      cpu: 0,
      comm: 'trace-cm',
      dur: 3_353,
    });
    expect(tokenize('CPU:1 [1073 EVENTS DROPPED]', 1, st())).toEqual({ kind: 'dropped', cpu: 1, count: 1073 });
  });
  it('reads what people paste: NBSPs, mail quoting, trailing notes', () => {
    expect(tok('\u00a011)\u00a0 \u00a0 0.307 us\u00a0 \u00a0 |\u00a0 \u00a0 down_read_trylock();')).toMatchObject({ kind: 'leaf', cpu: 11, dur: 307 });
    expect(tok('> 13378.411864 |     0)               |    cpufreq_cpu_get() {')).toMatchObject({ kind: 'entry', text: 'cpufreq_cpu_get' });
    expect(tok(' 1)   0.120 us    |   finish_task_switch();                # switch here')).toMatchObject({ kind: 'leaf', text: 'finish_task_switch' });
  });
  it('does not take prose with a pipe for a trace line', () => {
    expect(tokenize('fd = open("/root/test", O_RDWR|O_DIRECT);', 1, st()).kind).toBe('text');
    expect(tokenize('cat trace | grep foo', 1, st()).kind).toBe('text');
  });
});

describe('function_graph interpretation', () => {
  it('rebuilds start times from durations when there are no timestamps', () => {
    const { events } = parse(`
 0)               |  a() {
 0)   1.000 us    |    b();
 0)               |    c() {
 0)   2.000 us    |      d();
 0)   3.500 us    |    }
 0)  10.000 us    |  }
 0)   0.500 us    |  e();
`);
    const o = RECONSTRUCTED_ORIGIN_NS;
    const e = Object.fromEntries(ends(events).map((x) => [x.name, [x.start - o, x.ts - o, x.selfNs]]));
    expect(e).toEqual({
      b: [0, 1000, 1000],
      d: [1000, 3000, 2000],
      c: [1000, 4500, 1500],
      a: [0, 10000, 5500],
      e: [10000, 10500, 500],
    });
    expect(events[0]).toMatchObject({ kind: 'info', clock: 'reconstructed' });
  });

  it('gives an exit without entry an enclosing slice, named for it, that starts with the trace and weighs only what was observed', () => {
    const { events, diags } = parse(`
 0)   1.000 us    |      x();
 0)   5.000 us    |    } /* parent */
 0)   1.000 us    |    y();
 0)  20.000 us    |  }
`);
    const e = ends(events);
    expect(e.map((x) => x.name)).toEqual(['x', '[truncated] parent', 'y', '[before trace start]']);
    const parent = e[1]!;
    const outer = e[3]!;
    // x ran [0, 1000] of the rebuilt timeline; its caller lasted 5 us and ended at 1000, so it
    // began before the trace: it is drawn from the trace's start (just before x, to enclose it).
    expect(parent.start).toBe(RECONSTRUCTED_ORIGIN_NS - 1);
    expect(outer.start).toBeLessThan(parent.start);
    // Every observed nanosecond inside them is a known call: no self time of their own.
    expect(parent.selfNs).toBe(0);
    expect(outer.selfNs).toBe(0);
    expect(diags.filter((d) => d.code === 'function-graph.unmatched-exit').map((d) => d.line)).toEqual([2, 4]);
  });

  it('places an exit without entry where its printed duration says when that is inside the trace', () => {
    const { events } = parse(`
 0)   1.000 us    |  a();
 0)   2.000 us    |    b();
 0)   5.000 us    |  }
`);
    const e = ends(events);
    expect(e.map((x) => [x.name, x.start - RECONSTRUCTED_ORIGIN_NS, x.ts - RECONSTRUCTED_ORIGIN_NS, x.selfNs])).toEqual([
      ['a', 0, 1000, 1000],
      ['b', 1000, 3000, 2000],
      // 5 us ending at 3 us: it began at -2 us, before the trace: 3 us observed, 1 + 2 us known calls.
      ['[before trace start]', -1, 3000, 0],
    ]);
    const { events: ev2 } = parse(`
 100.000000 |   0)   1.000 us    |  a();
 100.000005 |   0)               |  c() {
 100.000005 |   0)   2.000 us    |    b();
 100.000008 |   0)   3.000 us    |  }
 100.000010 |   0)   6.000 us    |  }
`);
    const e2 = ends(ev2);
    // The last `}` lasted 6 us and ended at +10 us: it began at +4 us, after a ended, inside the
    // trace: it encloses c only, and 3 of its 6 us are not covered by known calls.
    expect(e2.map((x) => [x.name, x.start - 100e9, x.ts - 100e9, x.selfNs])).toEqual([
      ['a', 0, 1000, 1000],
      ['b', 5000, 7000, 2000],
      ['c', 5000, 8000, 1000],
      ['[entry lost]', 4000, 10000, 3000],
    ]);
  });

  it('closes calls left open at the end and reports each one with its line', () => {
    const { events, diags } = parse(`
 0)               |  a() {
 0)               |    b() {
 0)   1.000 us    |      c();
`);
    expect(ends(events).map((x) => [x.name, x.ts - RECONSTRUCTED_ORIGIN_NS])).toEqual([
      ['c', 1000],
      ['b', 1000],
      ['a', 1000],
    ]);
    expect(diags.filter((d) => d.code === 'function-graph.unclosed-entry').map((d) => d.line)).toEqual([2, 1]);
  });

  it('keeps one stack per CPU when CPUs interleave', () => {
    const { events, diags } = parse(`
 0)               |  a() {
 1)               |  b() {
 0)   1.000 us    |    a1();
 1)   2.000 us    |    b1();
 1)   3.000 us    |  }
 0)   4.000 us    |  }
`);
    expect(diags.filter((d) => d.severity === 'warning')).toEqual([]);
    const byName = Object.fromEntries(ends(events).map((x) => [x.name, x]));
    expect(byName.a!.track).toBe(byName.a1!.track);
    expect(byName.b!.track).toBe(byName.b1!.track);
    expect(byName.a!.track).not.toBe(byName.b!.track);
  });

  it('gives lines before a context switch to the task the banner switches away from', () => {
    const { events } = parse(`
 0)               |  schedule() {
 ------------------------------------------
 0)     rm-223     =>   rcu_pre-15
 ------------------------------------------

 0)   1.000 us    |    finish_task_switch();
 0)   3.000 us    |  }
`);
    const tracks = events.filter((e) => e.kind === 'track').map((e) => (e.kind === 'track' ? e.track : null));
    const rm = tracks.find((t) => t!.name === 'rm')!;
    const rcu = tracks.find((t) => t!.name === 'rcu_pre')!;
    const begin = events.find((e) => e.kind === 'begin' && e.name === 'schedule');
    expect(begin).toMatchObject({ track: rm.id });
    // The lines after the banner belong to rcu_pre: its stack has no open schedule(), so the `}` is repaired there.
    const fts = events.find((e) => e.kind === 'end' && e.name === 'finish_task_switch');
    expect(fts).toMatchObject({ track: rcu.id });
  });

  it('uses the previous CPU for a line that lost its CPU column, and says so', () => {
    const { events, diags } = parse(`
 1)               |  a() {
               |    b() {
 1)   1.000 us    |    }
 1)   2.000 us    |  }
`);
    expect(diags.map((d) => [d.code, d.line])).toEqual([['function-graph.missing-cpu', 2]]);
    expect(ends(events).map((e) => e.name)).toEqual(['b', 'a']);
  });

  it('joins a function name a mailer wrapped onto the next line', () => {
    const { events, diags } = parse(`
> 13378.411863 |     0)               |  cppc_cpufreq_get_rate
> [cppc_cpufreq]() {
> 13378.411864 |     0)   0.680 us    |    preempt_count_add();
> 13378.411869 |     0)   5.160 us    |  }
`);
    expect(diags.filter((d) => d.severity !== 'info')).toEqual([]);
    expect(ends(events).map((e) => e.name)).toEqual(['preempt_count_add', 'cppc_cpufreq_get_rate [cppc_cpufreq]']);
  });

  it('uses printed timestamps when there are some, and records the clock', async () => {
    const { events } = parse(`
   48.743574 |   0)               |  kmem_cache_free() {
   48.743576 |   0)   2.147 us    |    __slab_free();
   48.743579 |   0)   6.559 us    |  }
`);
    expect(events[0]).toMatchObject({ kind: 'info', clock: 'boot' });
    expect(ends(events).map((e) => [e.name, e.start, e.ts])).toEqual([
      ['__slab_free', 48_743_576_000, 48_743_578_147],
      ['kmem_cache_free', 48_743_574_000, 48_743_579_000],
    ]);
  });

  it('counts prose as skipped text and never as calls', () => {
    const { events, diags } = parse(`
Here is the trace I captured:
 0)   1.000 us    |  a();
Thanks, and regards
`);
    expect(ends(events).map((e) => e.name)).toEqual(['a']);
    expect(diags.map((d) => [d.code, d.line])).toEqual([
      ['function-graph.skipped-text', 1],
      ['function-graph.skipped-text', 3],
    ]);
  });

  it('property: self times of all calls add up to the time of the outermost calls', () => {
    // Random call trees rendered as function_graph text with exact durations.
    type Call = { name: string; self: number; kids: Call[] };
    const callAt = (d: number): fc.Arbitrary<Call> =>
      fc.record({
        name: fc.constantFrom('f', 'g', 'h', 'do_x', 'sys_y'),
        self: fc.integer({ min: 0, max: 5000 }),
        kids: d === 0 ? fc.constant([]) : fc.array(callAt(d - 1), { maxLength: 3 }),
      });
    const call = callAt(3);
    fc.assert(
      fc.property(fc.array(call, { minLength: 1, maxLength: 4 }), (roots) => {
        const out: string[] = [];
        const total = (c: Call): number => c.self + c.kids.reduce((s, k) => s + total(k), 0);
        const us = (ns: number) => `${Math.floor(ns / 1000)}.${String(ns % 1000).padStart(3, '0')} us`;
        const emit = (c: Call, depth: number) => {
          const ind = '  '.repeat(depth + 1);
          if (c.kids.length === 0) out.push(` 0) ${us(c.self).padStart(10)}    |${ind}${c.name}();`);
          else {
            out.push(` 0)               |${ind}${c.name}() {`);
            c.kids.forEach((k) => emit(k, depth + 1));
            out.push(` 0) ${us(total(c)).padStart(10)}    |${ind}}`);
          }
        };
        roots.forEach((r) => emit(r, 0));
        const { events, diags } = parse(out.join('\n'));
        expect(diags.filter((d) => d.severity === 'warning')).toEqual([]);
        const e = ends(events);
        const selfSum = e.reduce((s, x) => s + x.selfNs, 0);
        expect(selfSum).toBe(roots.reduce((s, r) => s + total(r), 0));
        expect(e.filter((x) => x.depth === 0).reduce((s, x) => s + (x.ts - x.start), 0)).toBe(selfSum);
      }),
      { numRuns: 200 },
    );
  });
});

describe('seed 004: a blocked recvfrom', () => {
  it('puts the ~6 ms spent waiting for the packet under schedule_timeout in the folded output', async () => {
    const { text } = await run('samples/function-graph/seed-004-recvfrom-pasted.txt', 'folded');
    const rows = text
      .trim()
      .split('\n')
      .map((l) => {
        const i = l.lastIndexOf(' ');
        return [l.slice(0, i), Number(l.slice(i + 1))] as const;
      });
    const under = rows.filter(([p]) => p.includes(';schedule_timeout;') || p.endsWith(';schedule_timeout'));
    const sum = under.reduce((s, [, w]) => s + w, 0);
    expect(sum).toBeGreaterThanOrEqual(6000);
    expect(sum).toBeLessThan(6100);
    const blocked = rows.find(([p]) => p === 'SyS_recvfrom;sock_recvmsg;inet_recvmsg;tcp_recvmsg;sk_wait_data;schedule_timeout;schedule;__schedule');
    expect(blocked?.[1]).toBeGreaterThanOrEqual(6000);
  });

  it('weighs SyS_recvfrom as printed (6,114.798 us), with nothing under tcp_rcv_established over 100 us', async () => {
    const { text, diags } = await run('samples/function-graph/seed-004-recvfrom-pasted.txt', 'folded');
    const rows = text
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.lastIndexOf(' ')), Number(l.slice(l.lastIndexOf(' ') + 1))] as const);
    const total = rows.reduce((s, [, w]) => s + w, 0);
    // Per-path rounding to whole microseconds is the only difference allowed: within 1 %.
    expect(Math.abs(total - 6114.798) / 6114.798).toBeLessThan(0.01);
    expect(rows.every(([p]) => p.startsWith('SyS_recvfrom'))).toBe(true);
    const under = rows.filter(([p]) => p.includes('tcp_rcv_established'));
    expect(under.length).toBeGreaterThan(10);
    expect(Math.max(...under.map(([, w]) => w))).toBeLessThanOrEqual(100);
    // The 92 `{` and 89 `}`: the last closers are matched by their durations, and said so.
    expect(diags.filter((d) => d.code === 'function-graph.resync').map((d) => d.line)).toEqual([302]);
    const { text: tot } = await run('samples/function-graph/seed-004-recvfrom-pasted.txt', 'folded', { weight: 'total' });
    const sys = Number(/^SyS_recvfrom (\d+)$/m.exec(tot)?.[1]);
    expect(Math.abs(sys - 6114.798) / 6114.798).toBeLessThan(0.01);
  });
});

describe('trace-cmd sample: exits whose entries are not in the trace', () => {
  it('weigh the observed time their known calls do not cover (counted by hand below)', async () => {
    const { events } = parse(fs.readFileSync('samples/function-graph/trace-cmd-report.txt', 'utf8').replace(/\n$/, ''));
    const synth = ends(events).filter((e) => e.name.startsWith('['));
    // Every closer here began inside the trace (its printed duration ends after 593.526808):
    //  kt-workload-4809: } 35.863 (encloses nothing) + } 54.674 - 35.863 - 3.465 (bpf_lsm_file_permission)
    //                    + } 63.595 - 54.674                              =    60.130 us
    //  md5sum-4817:      } 17.630 - 9.486 (kmem_cache_free) + } 6326.283 - 17.630
    //                    + } 6337.597 - 6326.283                          = 6,328.111 us
    //  cat-4818:         } 4.152 + } 50.881 - 4.152                         =    50.881 us
    expect(synth.every((e) => e.name === '[entry lost]')).toBe(true);
    expect(synth.length).toBe(8);
    expect(synth.reduce((s, e) => s + e.selfNs, 0)).toBe(60_130 + 6_328_111 + 50_881);
    const { text } = await run('samples/function-graph/trace-cmd-report.txt', 'folded');
    // Folded nests each closer's known calls under it, as the timelines do (md5sum's three
    // closers each enclose the one before, and the first one kmem_cache_free), so the
    // synthesised frames' self weight is spread over their paths and still adds up.
    const lines = text.trim().split('\n').map((l) => [l.slice(0, l.lastIndexOf(' ')), Number(l.slice(l.lastIndexOf(' ') + 1))] as const);
    const own = lines.filter(([p]) => p.endsWith('[entry lost]')).reduce((s, [, w]) => s + w, 0);
    expect(own).toBe(6439);
    expect(text).toMatch(/^\[entry lost\];\[entry lost\];\[entry lost\];kmem_cache_free \d+$/m);
  });
});

describe('function_graph: a closing brace is checked against the call it would close', () => {
  it('follows a `/* func */` tail to the outer call it names and closes the ones that lost their exits', () => {
    const { events, diags } = parse(`
 0)               |  outer() {
 0)               |    mid() {
 0)               |      inner() {
 0)   1.000 us    |        leaf();
 0)   5.000 us    |  } /* outer */
`);
    expect(ends(events).map((x) => [x.name, x.depth, x.args?.truncated ?? false])).toEqual([
      ['leaf', 3, false],
      ['inner', 2, true],
      ['mid', 1, true],
      ['outer', 0, false],
    ]);
    const r = diags.filter((d) => d.code === 'function-graph.resync');
    expect(r.map((d) => d.line)).toEqual([5]);
    expect(r[0]!.message).toContain('inner, mid lost their exits');
    expect(diags.some((d) => d.code === 'function-graph.name-mismatch')).toBe(false);
  });

  it('with timestamps, gives a `}` to the call that began when its duration says', () => {
    const { events, diags } = parse(`
 100.000000 |   0)               |  outer() {
 100.000010 |   0)               |    lost() {
 100.000011 |   0)   1.000 us    |      leaf();
 100.000030 |   0) + 30.000 us   |  }
`);
    expect(ends(events).map((x) => [x.name, x.ts - x.start])).toEqual([
      ['leaf', 1000],
      ['lost', 2000],
      ['outer', 30000],
    ]);
    expect(diags.filter((d) => d.code === 'function-graph.resync').map((d) => d.line)).toEqual([4]);
  });

  it('keeps a long `}` on the innermost call when no outer call fits it (a wait inside the call)', () => {
    const { events, diags } = parse(`
 1)               |  read() {
 1)               |    schedule() {
 1)   0.100 us    |      pick();
 1) ! 6000.000 us |    }
 1) ! 6000.500 us |  }
`);
    expect(ends(events).map((x) => [x.name, x.ts - x.start])).toEqual([
      ['pick', 100],
      ['schedule', 6_000_000],
      ['read', 6_000_500],
    ]);
    expect(diags.some((d) => d.code === 'function-graph.resync')).toBe(false);
  });

  it('without timestamps, resynchronises when an outer call\'s printed insides match the duration', () => {
    // A paste that repeated `extra() {`: the last `}` belongs to outer (2 + 3000 + 10 us inside).
    const { events, diags } = parse(`
 1)               |  outer() {
 1)   2.000 us    |    a();
 1)               |    wait() {
 1) ! 3000.000 us |    }
 1)               |    work() {
 1)               |      extra() {
 1)  10.000 us    |        b();
 1) + 10.500 us   |      }
 1) ! 3012.700 us |  }
`);
    const e = ends(events);
    expect(e.map((x) => x.name)).toEqual(['a', 'wait', 'b', 'extra', 'work', 'outer']);
    expect(e.find((x) => x.name === 'outer')!.ts - e.find((x) => x.name === 'outer')!.start).toBe(3_012_700);
    expect(e.find((x) => x.name === 'work')!.args).toMatchObject({ truncated: true });
    expect(diags.filter((d) => d.code === 'function-graph.resync').map((d) => d.line)).toEqual([9]);
  });
});

describe('function_graph markers', () => {
  it('draws a lost-events marker at the time of the CPU\'s next line, and names prints by their message', async () => {
    const { events } = parse(`
     kt-workload-4809  [001]   593.637369: print:                tracing_mark_write: kt-workload[4809]: begin scale=1
CPU:1 [1073 EVENTS DROPPED]
             cat-4818  [001]   594.270650: funcgraph_entry:        4.152 us   |  foo();
`);
    const inst = events.filter((e) => e.kind === 'instant');
    expect(inst.map((e) => e.kind === 'instant' && [e.name, e.ts, e.cat])).toEqual([
      ['kt-workload[4809]: begin scale=1', 593_637_369_000, 'marker'],
      ['1073 events lost', 594_270_650_000, 'marker'],
    ]);
  });
});

describe('folded weights', () => {
  const text = lines(`
 0)               |  a() {
 0)   1.500 us    |    b();
 0)   2.000 us    |    b();
 0)   9.000 us    |  }
`);
  it('self (default) is microseconds in the frame itself', async () => {
    expect((await run(text, 'folded')).text).toBe('a 6\na;b 4\n');
  });
  it('total is entry-to-exit time', async () => {
    expect((await run(text, 'folded', { weight: 'total' })).text).toBe('a 9\na;b 4\n');
  });
  it('count is the number of calls', async () => {
    expect((await run(text, 'folded', { weight: 'count' })).text).toBe('a 1\na;b 2\n');
  });
});

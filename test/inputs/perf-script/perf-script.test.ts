/**
 * perf-script: `--compat stackcollapse` against stackcollapse-perf.pl's output for the samples
 * (test/golden/perf-script/stackcollapse/<sample>.<options>.folded, made by running
 * FlameGraph 41fee1f's script on samples/perf-script/), and the default mode's fixes of the
 * Perl's slips, one by one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InputOptions } from '../../../src/inputs/types.js';
import { GOLDEN, SAMPLES, lines, run } from '../../support/convert-helpers.js';
import { stackcollapseOptions } from '../../support/stackcollapse-options.js';
import { sniffPerfScript } from '../../../src/inputs/perf-script/index.js';
import { detect } from '../../../src/inputs/registry.js';

const REF = path.join(GOLDEN, 'perf-script', 'stackcollapse');

async function folded(text: string, opts: InputOptions = {}) {
  const r = await run(lines(text), 'folded', { from: 'perf-script', inputOptions: opts });
  return { text: r.text, diags: r.diags };
}

describe('--compat stackcollapse on the samples equals stackcollapse-perf.pl', () => {
  const refs = fs.readdirSync(REF).sort();
  it('has references for every sample', () => {
    for (const s of fs.readdirSync(path.join(SAMPLES, 'perf-script'))) expect(refs).toContain(`${path.basename(s, '.txt')}.default.folded`);
  });
  for (const f of refs) {
    it(f, async () => {
      const m = /^(.+)\.([^.]+)\.folded$/.exec(f)!;
      const r = await run(path.join(SAMPLES, 'perf-script', `${m[1]}.txt`), 'folded', { from: 'perf-script', inputOptions: stackcollapseOptions(m[2]!) });
      expect(r.text).toBe(fs.readFileSync(path.join(REF, f), 'utf8'));
    });
  }
});

const TWO = `
my worker 1 15125  3132.333948:    4000000 cpu-clock:ppp: 
\t            124f crunch+0x1f (/tmp/pc/threads)
\t           891f4 start_thread+0x304 (/usr/lib/x86_64-linux-gnu/libc.so.6)

my worker 2 15126  3132.334881:    4000000 cpu-clock:ppp: 
\t            124f crunch+0x1f (/tmp/pc/threads)
\t           891f4 start_thread+0x304 (/usr/lib/x86_64-linux-gnu/libc.so.6)
`;

describe('default mode: the slips of stackcollapse-perf.pl fixed', () => {
  it('comm names keep their spaces and digits; the last record counts without a final blank line', async () => {
    const d = await folded(TWO.trimEnd() + '\n');
    expect(d.text).toBe('my_worker_1;start_thread;crunch 4000000\nmy_worker_2;start_thread;crunch 4000000\n');
    const c = await folded(TWO.trimEnd() + '\n', { compat: 'stackcollapse' });
    expect(c.text).toBe('my_worker;start_thread;crunch 4000000\n');
    expect(c.diags.map((x) => x.code)).toContain('perf-script.unterminated-record');
  });

  it('--with-pid / --with-tid use the real ids (? when only a tid is printed)', async () => {
    expect((await folded(TWO, { withTid: true })).text.split('\n')[0]).toBe('my_worker_1-?/15125;start_thread;crunch 4000000');
    const t = `\njava 24636/25607 [000] 94564.109216: 1 cycles:\n\t7f1e214c24d9 Ljava/lang/Thread;.run()V (/tmp/perf-24636.map)\n\n`;
    expect((await folded(t, { withPid: true })).text).toBe('java-24636;java/lang/Thread:.run 1\n');
    expect((await folded(t, { withTid: true, annotate: 'jit' })).text).toBe('java-24636/25607;java/lang/Thread:.run_[j] 1\n');
  });

  it('a thread\'s samples stay in time order (a later line stamped earlier moves forward, reported), so its flame chart nests', async () => {
    const t = `\na 1 1.000300: 1 cpu-clock:\n\t1 f (/bin/x)\n\t2 main (/bin/x)\n\na 1 1.000100: 1 cpu-clock:\n\t3 g (/bin/x)\n\t2 main (/bin/x)\n\nb 2 1.000200: 1 cpu-clock:\n\t3 g (/bin/x)\n\n`;
    const r = await run(lines(t), 'chrome-json', { from: 'perf-script' });
    expect(r.diags.map((x) => `${x.line}:${x.code}`)).toEqual(['5:perf-script.time-backwards']);
    const evs = (JSON.parse(r.text) as { traceEvents: { ph: string; tid: number; ts: number; name?: string }[] }).traceEvents;
    const chart = evs.filter((e) => e.tid === 1 && (e.ph === 'B' || e.ph === 'E')).map((e) => `${e.ph}${e.name ? ` ${e.name}` : ''}@${e.ts}`);
    expect(chart).toEqual(['B main@1000300', 'B f@1000300', 'E@1000300', 'B g@1000300', 'E@1000300.001', 'E@1000300.001']);
    // Other threads keep their own times.
    expect(evs.find((e) => e.tid === 2 && e.ph === 'B')!.ts).toBe(1000200);
  });

  it('a stray carriage return inside a frame name does not end the folded line', async () => {
    expect((await folded('\na 1 1.000001: 7 cpu-clock:\n\t1 f\rx (/bin/x)\n\n')).text).toBe('a;f x 7\n');
  });

  it('a whitespace-only line ends a record', async () => {
    const t = `\na 1 1.000001: 7 cpu-clock:\n\t1 f (/bin/x)\n \nb 2 1.000002: 5 cpu-clock:\n\t1 g (/bin/x)\n\n`;
    expect((await folded(t)).text).toBe('a;f 7\nb;g 5\n');
  });

  it('the event filter compares names without modifiers and skips tracepoints of other events, with a diagnostic', async () => {
    const t = `\naa 1 1.000001: 3 cycles:u:\n\t1 f (/bin/x)\n\naa 1 1.000002: sched:sched_switch: prev_comm=a\n\t1 g (/bin/x)\n\n`;
    const d = await folded(t, { eventFilter: 'cycles' });
    expect(d.text).toBe('aa;f 3\n');
    expect(d.diags.map((x) => `${x.line}:${x.code}`)).toEqual(['4:perf-script.other-event']);
    // The Perl keeps the tracepoint (its header does not end with `event:`) and drops cycles:u.
    expect((await folded(t, { compat: 'stackcollapse', eventFilter: 'cycles' })).text).toBe('aa;g 1\n');
  });

  it('samples without callchain are one-frame stacks (the Perl reads none)', async () => {
    const t = `\n       main loop  7025  1378.660646:   10000000 cpu-clock:ppp:      55e3acc9e1ef leaf+0xf (/tmp/spin)\n   spin worker 2  7027  1378.676244:   10000000 cpu-clock:ppp:      55e3acc9e1ef leaf+0xf (/tmp/spin)\n`;
    expect((await folded(t)).text).toBe('main_loop;leaf 10000000\nspin_worker_2;leaf 10000000\n');
    expect((await folded(t, { compat: 'stackcollapse' })).text).toBe('');
  });

  it('srcline lines are never frames; --srcline appends them; --inline marks (inlined) frames', async () => {
    const t = `\nm 7 1.000001: 33 cpu-clock:ppp: \n\t            11fd leaf+0x1d\n  spin.c:5 (inlined)\n\t            10cc main+0x4c (/tmp/spin)\n  spin.c:12\n\t           27304 __libc_start_main_impl+0x84\n  libc-start.c:360 (inlined)\n\t            1110 _start+0x20 (/tmp/spin)\n  ??:0\n\n`;
    expect((await folded(t)).text).toBe('m;_start;__libc_start_main_impl;main;leaf 33\n');
    expect((await folded(t, { srcline: true })).text).toBe('m;_start;__libc_start_main_impl:libc-start.c:360;main:spin.c:12;leaf:spin.c:5 33\n');
    expect((await folded(t, { inline: true })).text).toBe('m;_start;__libc_start_main_impl_[i];main;leaf_[i] 33\n');
  });

  it('--annotate knows modules, versioned vmlinux and jitdump; --addrs names unknown frames by dso and address', async () => {
    const t = `\nxx 1 1.000001: 1 cycles:\n\tffffffffc0a1b2c3 nf_hook+0x3 (/lib/modules/6.1/kernel/nf.ko)\n\tffffffff81000000 do_x+0x1 (/usr/lib/debug/boot/vmlinux-6.1.0-13-amd64)\n\t7f0000001000 js_fn (/home/u/.debug/jit/x/jitted-77-12.so)\n\t7f0000002000 [unknown] (/usr/lib/libfoo.so.1)\n\t0 [unknown] ([unknown])\n\n`;
    expect((await folded(t, { annotate: 'all' })).text).toBe('xx;[unknown];[libfoo.so.1];js_fn_[j];do_x_[k];nf_hook_[k] 1\n');
    expect((await folded(t, { addrs: true })).text).toBe('xx;[unknown <0>];[libfoo.so.1 <7f0000002000>];js_fn;do_x;nf_hook 1\n');
    // The Perl: no _[k] for .ko or a versioned vmlinux, no _[j] for jitted-*.so.
    expect((await folded(t, { annotate: 'all', compat: 'stackcollapse' })).text).toBe('xx;[unknown];[libfoo.so.1];js_fn;do_x;nf_hook 1\n');
  });

  it('argument lists are cut outside template and lambda brackets', async () => {
    const t = `\nnn 1 1.000001: 1 cycles:\n\t1 std::find_if<A::B()::{lambda(int)#1}>(int) (/bin/n)\n\t2 (anonymous namespace)::f(int) (/bin/n)\n\t3 net/http.(*Client).Do (/bin/n)\n\n`;
    expect((await folded(t)).text).toBe('nn;net/http.(*Client).Do;(anonymous namespace)::f;std::find_if<A::B()::{lambda(int)#1}> 1\n');
    expect((await folded(t, { compat: 'stackcollapse' })).text).toBe('nn;net/http.(*Client).Do;std::find_if<A::B 1\n');
  });

  it('bad lines are diagnosed with their line and never stop the run', async () => {
    const t = `\n\t1 f (/bin/x)\nnot a perf line\na 1 1.000001: 3 cycles:\n\t1 f (/bin/x)\n\n`;
    const d = await folded(t);
    expect(d.text).toBe('a;f 3\n');
    expect(d.diags.map((x) => `${x.line}:${x.code}`)).toEqual(['1:perf-script.frame-outside-record', '2:perf-script.unrecognized-line']);
  });
});

/** Two samples, and between them the side-band records perf script's `--show-*-events` print. */
const PLAIN = `
sh 301  50.000100:     250000 cpu-clock:ppp: 
\tffffffff81a0 clear_page+0x10 ([kernel.kallsyms])
\t        4e10 main+0x20 (/bin/sh)

sh 302  50.000400:     250000 cpu-clock:ppp: 
\t        4e10 main+0x20 (/bin/sh)

`;
const SIDE_BAND = `
perf-exec     0     0.000000: PERF_RECORD_COMM: perf-exec:301/301
perf-exec     0     0.000000: PERF_RECORD_NAMESPACES 301/301 - nr_namespaces: 7
\t\t[0/net: 4/0xeffffff9, 1/uts: 4/0xeffffffe, 2/ipc: 4/0xefffffff, 3/pid: 4/0xeffffffc, 
\t\t 4/user: 4/0xeffffffd, 5/mnt: 4/0xeffffff8, 6/cgroup: 4/0xeffffffb]
sh 301  50.000010: PERF_RECORD_COMM exec: sh:301/301
sh 301  50.000020: PERF_RECORD_MMAP2 301/301: [0x55d0(0xc1000) @ 0x2f000 fe:00 260104 0]: r-xp /bin/sh
sh 301  50.000100:     250000 cpu-clock:ppp: 
\tffffffff81a0 clear_page+0x10 ([kernel.kallsyms])
\t        4e10 main+0x20 (/bin/sh)

sh 301  50.000300: PERF_RECORD_FORK(302:302):(301:301)
sh 301  50.000310: PERF_RECORD_SWITCH OUT        
PERF_RECORD_FINISHED_ROUND
sh 302  50.000400:     250000 cpu-clock:ppp: 
\t        4e10 main+0x20 (/bin/sh)

sh 302  50.000500: PERF_RECORD_EXIT(302:302):(301:301)
`;

describe('side-band records (perf script --show-task-events, --show-mmap-events, --show-switch-events, ...)', () => {
  it('are counted, never samples, never the event kept, and leave the samples as they are', async () => {
    const plain = await folded(PLAIN);
    expect(plain.text).toBe('sh;main 250000\nsh;main;clear_page 250000\n');
    const d = await folded(SIDE_BAND);
    expect(d.text).toBe(plain.text);
    // One diagnostic per record (the namespace list's lines go with their record), on its line.
    expect(d.diags.map((x) => `${x.line}:${x.code}`)).toEqual([1, 2, 5, 6, 11, 12, 13, 17].map((n) => `${n}:perf-script.side-band`));
    expect(d.diags[5]!.message).toContain('PERF_RECORD_SWITCH of sh 301');
    const csv = await run(lines(SIDE_BAND), 'csv', { from: 'perf-script' });
    expect(csv.text.trim().split('\r\n').filter((r) => r.startsWith('stack,')).length).toBe(2);
    // The Perl takes each for a header of no event; its folded output does not change either.
    expect((await folded(SIDE_BAND, { compat: 'stackcollapse' })).text).toBe((await folded(PLAIN, { compat: 'stackcollapse' })).text);
  });

  it('are detected as perf script', () => {
    expect(detect(SIDE_BAND.slice(1)).adapter?.name).toBe('perf-script');
  });
});

describe('headers without an event name (-F comm,tid,time,ip,sym)', () => {
  const T = `
sh 301  50.000100: 
\tffffffff81a0 clear_page
\t        4e10 main

sh 302  50.000400: 
\t        4e10 main

`;
  it('are detected and read', async () => {
    expect(sniffPerfScript(T.slice(1))).toBe('yes');
    expect(detect(T.slice(1)).adapter?.name).toBe('perf-script');
    const r = await run(lines(T), 'folded', {});
    expect(r.text).toBe('sh;main 1\nsh;main;clear_page 1\n');
    expect(r.diags).toEqual([]);
  });
});

describe('timeline facts', () => {
  it('threads, cpus and times reach the CSV (one row per sample)', async () => {
    const t = `\nmain loop  7003/7004  [001]  1377.361360:    5000000 cpu-clock:ppp: \n\t            11fd leaf (/tmp/spin)\n\nmain loop  7003/7004  [000]  1377.366360:    5000000 cpu-clock:ppp: \n\t            11fd leaf (/tmp/spin)\n\n`;
    const r = await run(lines(t), 'csv', { from: 'perf-script' });
    const rows = r.text.trim().split(/\r?\n/).slice(1);
    expect(rows).toEqual([
      'stack,1377361360000,,1,7003,7004,main loop,,cpu-clock:ppp,stack,1,leaf,"{""period"":5000000}"',
      'stack,1377366360000,,0,7003,7004,main loop,,cpu-clock:ppp,stack,1,leaf,"{""period"":5000000}"',
    ]);
  });
});

/**
 * What an ftrace event text holds, counted from the text by plain patterns (not through the
 * parser under test), and the check of a Perfetto conversion against those counts in Google's
 * trace processor.
 */
import { expect } from 'vitest';
import { run } from './convert-helpers.js';
import { queryTrace } from './trace-processor.js';

/** Counts from the text itself, by plain patterns (not through the parser under test). */
export function textCounts(whole: string) {
  // Lines printed with context-info off (`sched_switch: …` from the first column) have no CPU:
  // they make no sched rows or states.
  const text = whole.replace(/^[A-Za-z_][\w.]*: .*$/gm, '');
  const n = (re: RegExp) => (text.match(re) ?? []).length;
  const states = new Map<string, number>();
  // The kernel's own switch and wake-up records (wakeup tracers): raw `pid prio S cpu pid prio T`,
  // hex (the state as its character code), text `pid:prio:S ==> [cpu] pid:prio:T comm`.
  const ctx: string[] = [];
  const wakes: string[] = [];
  for (const m of text.matchAll(/^\d+ \d+ \d+ -?\d+ -?\d+ (\S) \d+ \d+ -?\d+ \S\s*$/gm)) (m[1] === '+' ? wakes : ctx).push(m[1]!);
  for (const m of text.matchAll(/^[0-9a-f]{8} [0-9a-f]{8} [0-9a-f]{16} [0-9a-f]{8} [0-9a-f]{8} ([0-9a-f]{2}) [0-9a-f]{8} [0-9a-f]{8} [0-9a-f]{8} [0-9a-f]{2}\s*$/gm)) {
    const S = String.fromCharCode(parseInt(m[1]!, 16));
    (S === '+' ? wakes : ctx).push(S);
  }
  for (const m of text.matchAll(/\d+:\s*-?\d+:(\S) (==>|  \+) \[\d+\]/g)) (m[2] === '==>' ? ctx : wakes).push(m[1]!);
  for (const S of ctx) states.set(S, (states.get(S) ?? 0) + 1);
  for (const m of text.matchAll(/ prev_state=([A-Za-z|+]+) ==>/g)) {
    // Letters of pre-4.14 kernels without a 4.14 bit (K wakekill, W waking, N noload) fall away; x is X.
    const plus = m[1]!.endsWith('+') ? '+' : '';
    const kept = m[1]!.replace(/\+$/, '').split('|').filter((l) => !'KWN'.includes(l)).map((l) => (l === 'x' ? 'X' : l));
    const key = (kept.length ? kept.join('|') : 'R') + plus;
    states.set(key, (states.get(key) ?? 0) + 1);
  }
  return {
    switches: n(/ sched_switch: /g) + ctx.length,
    waking: n(/ sched_waking: /g),
    wakeup: n(/ sched_wakeup: /g) + wakes.length,
    wakeupNew: n(/ sched_wakeup_new: /g),
    irq: n(/ irq_handler_entry: /g),
    softirq: n(/ softirq_entry: /g),
    // raw_syscalls: `NR 1 (…)` by default, `id=0x1 (1) args=…` with the fields option
    sysEnter: n(/ sys_enter: NR /g) + n(/ sys_enter: id=/g) + n(/: sys_\w+\(/g) + n(/ sys_enter_\w+: /g),
    stacks: n(/<stack trace ?>/g) + n(/<user stack trace>/g),
    /** Function tracer calls: a line each (with or without its parent), plus func-no-repeats' repeats. */
    functions:
      n(/ function: /g) +
      // raw and hex function entries (`ip parent` as hex), and the function lines of the tracers that print them
      n(/^\d+ \d+ \d+ [0-9a-f]+ [0-9a-f]+\s*$/gm) +
      n(/^[0-9a-f]{8} [0-9a-f]{8} [0-9a-f]{16} [0-9a-f]{16} [0-9a-f]{16}\s*$/gm) +
      (/^# tracer: (?:function|wakeup\w*|irqsoff|preemptoff|preemptirqsoff)\s*$/m.test(text) ? n(/^(?!.*<stack).* <-[^-]/gm) + n(/\[\d+\].*\d: [\w.$]+(\+0x[0-9a-f]+\/0x[0-9a-f]+)?( <[0-9a-f]+>)?\s*$/gm) : 0) +
      [...text.matchAll(/ \(repeats: (\d+),/g)].reduce((a, m) => a + Number(m[1]), 0),
    /** Stack blocks printed right after a function line of their CPU (func_stack_trace): one sample with it. */
    paired: (() => {
      const last = new Map<string, string>();
      let k = 0;
      for (const l of text.split('\n')) {
        const cpu = / \[(\d+)\] /.exec(l)?.[1];
        if (cpu === undefined) continue;
        if (l.includes('<stack trace>') && / <-[^-]/.test(last.get(cpu) ?? '')) k++;
        last.set(cpu, l);
      }
      return k;
    })(),
    states,
    wakesOfRunnable: (() => {
      const wakeName = / sched_waking: /.test(text) ? 'sched_waking' : 'sched_wakeup';
      const state = new Map<string, string>();
      let k = 0;
      for (const m of text.matchAll(/ (sched_switch|sched_waking|sched_wakeup): (.*)/g)) {
        if (m[1] === 'sched_switch') {
          const prev = / prev_pid=(\d+) .*prev_state=(\S+)/.exec(m[2]!);
          const next = / next_pid=(\d+)/.exec(m[2]!);
          if (prev) state.set(prev[1]!, prev[2]!);
          if (next) state.set(next[1]!, 'running');
        } else if (m[1] === wakeName) {
          const pid = /(?:^| )pid=(\d+)/.exec(m[2]!)?.[1];
          if (pid === undefined) continue;
          if (/^(R|R\+|running)$/.test(state.get(pid) ?? '')) k++;
          state.set(pid, 'R');
        }
      }
      return k;
    })(),
  };
}


/** Converts `bytes` to Perfetto and checks the trace processor's tables against `text`. */
export async function expectCounts(text: string, bytes: Uint8Array): Promise<void> {
  const c = textCounts(text);
  const pb = await run(bytes, 'perfetto', { from: 'ftrace-events' });
  const d = pb.result.diagnostics;
  const r = await queryTrace(pb.out, [
    'select count(*) as n from sched',
    `select count(*) as n from slice s join track t on s.track_id = t.id where t.name like 'Irq Cpu %'`,
    `select count(*) as n from slice s join track t on s.track_id = t.id where t.name like 'SoftIrq Cpu %'`,
    // Slices synthesised for an exit whose entry is not in the text carry the names isSynthesizedName knows.
    // Raw syscalls are sys_enter/sys_exit ftrace events: the trace processor's slices have no category.
    `select count(*) as n from slice s where (s.category = 'syscall' or (s.category is null and s.name glob 'sys_*')) and s.name not like '[truncated] %' and s.name not in ('[before trace start]', '[entry lost]')`,
    'select count(*) as n from perf_sample',
    'select state, count(*) as n from thread_state group by state',
    'select count(*) as n from thread_state where waker_utid is not null',
  ]);
  expect(r.ok, r.error).toBe(true);
  expect(r.importErrors).toEqual([]);
  const v = (i: number) => r.rows[i]![0]!.n as number;
  expect(v(0), 'sched rows').toBe(c.switches + (d['ftrace-events.sched-mismatch'] ?? 0));
  expect(v(1), 'irq slices').toBe(c.irq);
  expect(v(2), 'softirq slices').toBe(c.softirq);
  expect(v(3), 'syscall slices').toBe(c.sysEnter);
  expect(v(4), 'stack samples').toBe(c.stacks - (d['ftrace-events.empty-stack'] ?? 0) + c.functions - c.paired);
  // Every prev_state but R (which runnable-after-wake-up rows share) gives its own rows.
  const byState = new Map(r.rows[5]!.map((row) => [row.state as string, row.n as number]));
  // (letters no kernel prints, such as a sample's `Q`, are reported and read as R)
  for (const [letters, n] of c.states) {
    if (letters !== 'R' && /^(?:[SDTtXZPI](?:\|[SDTtXZPI])*|R)\+?$/.test(letters)) expect(byState.get(letters) ?? 0, `thread_state ${letters}`).toBe(n);
  }
  if (c.switches > 0) expect(byState.get('Running') ?? 0).toBeGreaterThan(0);
  const wakes = c.waking > 0 ? c.waking : c.wakeup;
  // A wake-up of a task that is already runnable or running starts no new thread state.
  expect(v(6), 'wake-ups with a waker').toBeGreaterThanOrEqual(wakes - c.wakesOfRunnable);
  expect(v(6)).toBeLessThanOrEqual(wakes + c.wakeupNew);
}

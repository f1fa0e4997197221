/**
 * The scenarios of the active-path design note (§7) as small schedules, and their renderings as
 * babeltrace2 (LTTng) text and as ftrace event text (`TASK-PID [CPU] FLAGS TS: event: fields`).
 * The renderings are checked in under test/fixtures/active-path/ (a test keeps them in sync);
 * the scenario tests read those files. Times are whole microseconds from the scenario start.
 */

export interface Thread {
  tid: number;
  comm: string;
}
export const T: Thread = { tid: 100, comm: 'T' };
export const B: Thread = { tid: 200, comm: 'B' };
export const C: Thread = { tid: 300, comm: 'C' };
export const D: Thread = { tid: 400, comm: 'D' };
const idle = (cpu: number): Thread => ({ tid: 0, comm: `swapper/${cpu}` });

/** The hard/soft IRQ character ftrace prints in its flags column for the event. */
type Ctx = 'task' | 'hardirq' | 'softirq';

export type Ev =
  | { t: number; cpu: number; e: 'switch'; prev: Thread | null; state: 'R' | 'R+' | 'S' | 'D'; next: Thread | null }
  | { t: number; cpu: number; e: 'waking' | 'wakeup' | 'wakeup_new'; who: Thread; target: number; ctx?: Ctx }
  | { t: number; cpu: number; e: 'fork'; parent: Thread; child: Thread }
  | { t: number; cpu: number; e: 'irq_entry'; irq: number; name: string }
  | { t: number; cpu: number; e: 'irq_exit'; irq: number }
  | { t: number; cpu: number; e: 'softirq_entry' | 'softirq_exit'; vec: number }
  | { t: number; cpu: number; e: 'hrtimer_entry' | 'hrtimer_exit' }
  | { t: number; cpu: number; e: 'vector_entry' | 'vector_exit'; vector: 'reschedule' | 'call_function_single'; num: number }
  | { t: number; cpu: number; e: 'net_rx'; dev: string; len: number };

export interface Scenario {
  name: string;
  events: Ev[];
}

const sw = (t: number, cpu: number, prev: Thread | null, state: 'R' | 'R+' | 'S' | 'D', next: Thread | null): Ev => ({ t, cpu, e: 'switch', prev, state, next });
const wk = (t: number, cpu: number, who: Thread, target: number, ctx?: Ctx): Ev => ({ t, cpu, e: 'waking', who, target, ...(ctx ? { ctx } : {}) });
const wu = (t: number, cpu: number, who: Thread, target: number, ctx?: Ctx): Ev => ({ t, cpu, e: 'wakeup', who, target, ...(ctx ? { ctx } : {}) });
const irqIn = (t: number, cpu: number, irq: number, name: string): Ev => ({ t, cpu, e: 'irq_entry', irq, name });
const irqOut = (t: number, cpu: number, irq: number): Ev => ({ t, cpu, e: 'irq_exit', irq });
const softIn = (t: number, cpu: number, vec: number): Ev => ({ t, cpu, e: 'softirq_entry', vec });
const softOut = (t: number, cpu: number, vec: number): Ev => ({ t, cpu, e: 'softirq_exit', vec });

/** T blocks at 10 on CPU 0 and is woken at `wake` by what `between` does; runs again 2 µs later until 10 µs after. */
const deviceCase = (name: string, state: 'S' | 'D', between: Ev[], wake: number): Scenario => ({
  name,
  events: [sw(0, 0, null, 'R', T), sw(10, 0, T, state, null), ...between, sw(wake + 2, 0, null, 'R', T), sw(wake + 8, 0, T, 'S', null)],
});

export const SCENARIOS: Scenario[] = [
  {
    name: '01-task-wake',
    events: [sw(0, 0, null, 'R', T), sw(0, 1, null, 'R', B), sw(10, 0, T, 'S', null), wk(30, 1, T, 0), sw(32, 0, null, 'R', T), sw(40, 0, T, 'S', null), sw(40, 1, B, 'S', null)],
  },
  deviceCase('02-timer', 'S', [{ t: 50, cpu: 0, e: 'hrtimer_entry' }, wk(50, 0, T, 0, 'hardirq'), { t: 51, cpu: 0, e: 'hrtimer_exit' }], 50),
  deviceCase('03-disk-softirq', 'D', [irqIn(79, 0, 14, 'ahci'), irqOut(80, 0, 14), softIn(81, 0, 4), wk(82, 0, T, 0, 'softirq'), softOut(83, 0, 4)], 82),
  deviceCase('03b-disk-hardirq', 'D', [irqIn(80, 0, 14, 'ahci'), wk(82, 0, T, 0, 'hardirq'), irqOut(83, 0, 14)], 82),
  deviceCase('04-wrong-path', 'D', [wk(82, 0, T, 0)], 82),
  deviceCase('04b-wrong-path-softirq-flag', 'D', [wk(82, 0, T, 0, 'softirq')], 82),
  {
    name: '05-waking',
    events: [
      sw(0, 0, null, 'R', T),
      sw(0, 1, null, 'R', B),
      sw(10, 0, T, 'S', null),
      wk(30, 1, T, 0),
      { t: 31, cpu: 0, e: 'vector_entry', vector: 'reschedule', num: 253 },
      wu(31, 0, T, 0, 'hardirq'),
      { t: 32, cpu: 0, e: 'vector_exit', vector: 'reschedule', num: 253 },
      sw(33, 0, null, 'R', T),
      sw(40, 0, T, 'S', null),
      sw(40, 1, B, 'S', null),
    ],
  },
  {
    name: '05b-wakeup-only',
    events: [
      sw(0, 0, null, 'R', T),
      sw(0, 1, null, 'R', B),
      sw(10, 0, T, 'S', null),
      { t: 31, cpu: 0, e: 'vector_entry', vector: 'reschedule', num: 253 },
      wu(31, 0, T, 0, 'hardirq'),
      { t: 32, cpu: 0, e: 'vector_exit', vector: 'reschedule', num: 253 },
      sw(33, 0, null, 'R', T),
      sw(40, 0, T, 'S', null),
      sw(40, 1, B, 'S', null),
    ],
  },
  deviceCase(
    '06-virtio-ipi',
    'D',
    [
      irqIn(70, 1, 11, 'virtio0-requests'),
      irqOut(71, 1, 11),
      softIn(71, 1, 4),
      softOut(73, 1, 4),
      { t: 74, cpu: 0, e: 'vector_entry', vector: 'call_function_single', num: 251 },
      wk(75, 0, T, 0, 'hardirq'),
      { t: 76, cpu: 0, e: 'vector_exit', vector: 'call_function_single', num: 251 },
    ],
    75,
  ),
  {
    name: '07-fork',
    events: [
      sw(0, 0, null, 'R', T),
      { t: 5, cpu: 0, e: 'fork', parent: T, child: C },
      { t: 5, cpu: 0, e: 'wakeup_new', who: C, target: 1 },
      sw(6, 0, T, 'S', null),
      sw(7, 1, null, 'R', C),
      wk(20, 1, T, 0),
      sw(21, 0, null, 'R', T),
      sw(25, 1, C, 'S', null),
      sw(30, 0, T, 'S', null),
    ],
  },
  {
    name: '08-nested',
    events: [
      sw(0, 0, null, 'R', T),
      sw(0, 1, null, 'R', B),
      sw(0, 2, null, 'R', C),
      sw(0, 3, null, 'R', D),
      sw(1, 0, T, 'S', null),
      sw(2, 1, B, 'S', null),
      sw(3, 2, C, 'S', null),
      wk(4, 3, C, 2),
      sw(4, 2, null, 'R', C),
      wk(5, 2, B, 1),
      sw(5, 1, null, 'R', B),
      wk(6, 1, T, 0),
      sw(6, 0, null, 'R', T),
      sw(7, 0, T, 'S', null),
      sw(7, 1, B, 'S', null),
      sw(7, 2, C, 'S', null),
      sw(7, 3, D, 'S', null),
    ],
  },
  {
    name: '09-interleave',
    events: [
      sw(0, 0, null, 'R', T),
      sw(0, 1, null, 'R', B),
      sw(0, 2, null, 'R', C),
      sw(6, 0, T, 'S', null),
      wk(8, 1, T, 0),
      sw(8, 0, null, 'R', T),
      sw(8, 0, T, 'S', null),
      wk(10, 2, T, 0),
      sw(10, 0, null, 'R', T),
      sw(12, 0, T, 'S', null),
      sw(12, 1, B, 'S', null),
      sw(12, 2, C, 'S', null),
    ],
  },
  {
    name: '10-mutual',
    events: [
      sw(0, 0, null, 'R', T),
      sw(0, 1, null, 'R', B),
      sw(1, 1, B, 'S', null),
      wk(2, 0, B, 1),
      sw(2, 1, null, 'R', B),
      sw(3, 0, T, 'S', null),
      wk(4, 1, T, 0),
      sw(4, 0, null, 'R', T),
      sw(5, 0, T, 'S', null),
      sw(5, 1, B, 'S', null),
    ],
  },
  {
    name: '11-missing-wake',
    events: [sw(0, 0, null, 'R', T), sw(4, 0, T, 'S', null), sw(6, 0, null, 'R', T), sw(8, 0, T, 'S', null)],
  },
  {
    name: '12-spurious',
    events: [
      sw(0, 0, null, 'R', T),
      sw(0, 1, null, 'R', B),
      wk(5, 1, T, 0),
      sw(10, 0, T, 'S', null),
      wk(20, 1, T, 0),
      wu(20, 0, T, 0),
      wk(21, 1, T, 0),
      sw(25, 0, null, 'R', T),
      sw(30, 0, T, 'S', null),
      sw(30, 1, B, 'S', null),
    ],
  },
  deviceCase(
    '13-network',
    'S',
    [irqIn(40, 0, 24, 'eth0'), irqOut(41, 0, 24), softIn(41, 0, 3), { t: 41, cpu: 0, e: 'net_rx', dev: 'eth0', len: 84 }, wk(42, 0, T, 0, 'softirq'), softOut(43, 0, 3)],
    42,
  ),
];

// ------------------------------------------------------------------ LTTng (babeltrace2)

const BASE_S = 1;
function lttTime(us: number): string {
  const ns = BASE_S * 1e9 + us * 1000;
  const s = Math.floor(ns / 1e9);
  const frac = String(ns % 1e9).padStart(9, '0');
  return `00:00:${String(s).padStart(2, '0')}.${frac}`;
}
const lttState = { R: 0, 'R+': 256, S: 1, D: 2 } as const;
const SOFTIRQ = ['HI', 'TIMER', 'NET_TX', 'NET_RX', 'BLOCK', 'IRQ_POLL', 'TASKLET', 'SCHED', 'HRTIMER', 'RCU'];

function lttPayload(ev: Ev): [string, string] {
  switch (ev.e) {
    case 'switch': {
      const p = ev.prev ?? idle(ev.cpu);
      const n = ev.next ?? idle(ev.cpu);
      return ['sched_switch', `prev_comm = "${p.comm}", prev_tid = ${p.tid}, prev_prio = 20, prev_state = ${lttState[ev.state]}, next_comm = "${n.comm}", next_tid = ${n.tid}, next_prio = 20`];
    }
    case 'waking':
    case 'wakeup':
    case 'wakeup_new':
      return [`sched_${ev.e}`, `comm = "${ev.who.comm}", tid = ${ev.who.tid}, prio = 20, target_cpu = ${ev.target}`];
    case 'fork':
      return [
        'sched_process_fork',
        `parent_comm = "${ev.parent.comm}", parent_tid = ${ev.parent.tid}, parent_pid = ${ev.parent.tid}, parent_ns_inum = 4026531836, child_comm = "${ev.child.comm}", child_tid = ${ev.child.tid}, _vtids_length = 1, vtids = [ [0] = ${ev.child.tid} ], child_pid = ${ev.child.tid}, child_ns_inum = 4026531836`,
      ];
    case 'irq_entry':
      return ['irq_handler_entry', `irq = ${ev.irq}, name = "${ev.name}"`];
    case 'irq_exit':
      return ['irq_handler_exit', `irq = ${ev.irq}, ret = 1`];
    case 'softirq_entry':
    case 'softirq_exit':
      return [`irq_${ev.e}`, `vec = ${ev.vec}`];
    case 'hrtimer_entry':
      return ['timer_hrtimer_expire_entry', `hrtimer = 0xFFFF9A3C7FC1E0E0, now = ${BASE_S * 1e9 + ev.t * 1000}, function = 0xFFFFFFFF8A1B2C30`];
    case 'hrtimer_exit':
      return ['timer_hrtimer_expire_exit', 'hrtimer = 0xFFFF9A3C7FC1E0E0'];
    case 'vector_entry':
    case 'vector_exit':
      return [`x86_irq_vectors_${ev.vector}_${ev.e === 'vector_entry' ? 'entry' : 'exit'}`, `vector = ${ev.num}`];
    case 'net_rx':
      return ['net_if_receive_skb', `skbaddr = 0xFFFF9A3C41D2E300, len = ${ev.len}, name = "${ev.dev}"`];
  }
}

export function renderLttng(s: Scenario): string {
  let prev: number | undefined;
  return (
    s.events
      .map((ev) => {
        const ns = ev.t * 1000;
        const d = prev === undefined ? '+?.?????????' : `+0.${String(ns - prev).padStart(9, '0')}`;
        prev = ns;
        const [name, fields] = lttPayload(ev);
        return `[${lttTime(ev.t)}] (${d}) host ${name}: { cpu_id = ${ev.cpu} }, { ${fields} }`;
      })
      .join('\n') + '\n'
  );
}

// ------------------------------------------------------------------ ftrace event text

function ftraceTime(us: number): string {
  const t = BASE_S * 1e6 + us;
  return `${Math.floor(t / 1e6)}.${String(t % 1e6).padStart(6, '0')}`;
}

function ftracePayload(ev: Ev): [string, string, Ctx] {
  switch (ev.e) {
    case 'switch': {
      const p = ev.prev ?? idle(ev.cpu);
      const n = ev.next ?? idle(ev.cpu);
      return ['sched_switch', `prev_comm=${p.comm} prev_pid=${p.tid} prev_prio=120 prev_state=${ev.state} ==> next_comm=${n.comm} next_pid=${n.tid} next_prio=120`, 'task'];
    }
    case 'waking':
    case 'wakeup':
    case 'wakeup_new':
      return [`sched_${ev.e}`, `comm=${ev.who.comm} pid=${ev.who.tid} prio=120 target_cpu=${String(ev.target).padStart(3, '0')}`, ev.ctx ?? 'task'];
    case 'fork':
      return ['sched_process_fork', `comm=${ev.parent.comm} pid=${ev.parent.tid} child_comm=${ev.child.comm} child_pid=${ev.child.tid}`, 'task'];
    case 'irq_entry':
      return ['irq_handler_entry', `irq=${ev.irq} name=${ev.name}`, 'hardirq'];
    case 'irq_exit':
      return ['irq_handler_exit', `irq=${ev.irq} ret=handled`, 'hardirq'];
    case 'softirq_entry':
    case 'softirq_exit':
      return [ev.e, `vec=${ev.vec} [action=${SOFTIRQ[ev.vec]}]`, 'softirq'];
    case 'hrtimer_entry':
      return ['hrtimer_expire_entry', `hrtimer=000000009a3c7fc1 function=hrtimer_wakeup now=${BASE_S * 1e9 + ev.t * 1000}`, 'hardirq'];
    case 'hrtimer_exit':
      return ['hrtimer_expire_exit', 'hrtimer=000000009a3c7fc1', 'hardirq'];
    case 'vector_entry':
    case 'vector_exit':
      return [`${ev.vector}_${ev.e === 'vector_entry' ? 'entry' : 'exit'}`, `vector=${ev.num}`, 'hardirq'];
    case 'net_rx':
      return ['netif_receive_skb', `dev=${ev.dev} skbaddr=000000004a1d2e30 len=${ev.len}`, 'softirq'];
  }
}

const FLAG: Record<Ctx, string> = { task: '.', hardirq: 'h', softirq: 's' };

export function renderFtrace(s: Scenario): string {
  const cpus = Math.max(...s.events.map((e) => e.cpu)) + 1;
  const current = new Map<number, Thread>();
  const lines = ['# tracer: nop', '#', `# entries-in-buffer/entries-written: ${s.events.length}/${s.events.length}   #P:${cpus}`, '#'];
  for (const ev of s.events) {
    // Before a CPU's first switch, the task on it is the one switched out by that switch.
    let cur = current.get(ev.cpu);
    if (!cur) {
      const first = s.events.find((x) => x.cpu === ev.cpu && x.e === 'switch') as Extract<Ev, { e: 'switch' }> | undefined;
      cur = first?.prev ?? idle(ev.cpu);
    }
    const [name, fields, ctx] = ftracePayload(ev);
    const task = cur.tid === 0 ? '<idle>' : cur.comm;
    const flags = `d.${FLAG[ctx]}${ev.e === 'switch' ? '2' : '1'}.`;
    lines.push(`${`${task}-${cur.tid}`.padStart(16 + 1 + String(cur.tid).length).padEnd(24)} [${String(ev.cpu).padStart(3, '0')}] ${flags} ${ftraceTime(ev.t).padStart(12)}: ${name}: ${fields}`);
    if (ev.e === 'switch') current.set(ev.cpu, ev.next ?? idle(ev.cpu));
  }
  return lines.join('\n') + '\n';
}

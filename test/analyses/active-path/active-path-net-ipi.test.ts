/**
 * The two steps of critical-path.md §7 that follow a wait past the CPU it was woken on:
 * scenario 13's second half (a network wake-up followed to the task that sent the packet, the
 * send and the receive matched by skb address) and scenario 6's optional step (a wake-up inside
 * an IPI followed to what the sending CPU was doing, from `ipi_send_cpu`). Event text in ftrace
 * and babeltrace2 forms; expected segments in µs from the first event.
 */
import { describe, expect, it } from 'vitest';
import { activePath } from '../../../src/analyses/active-path/index.js';
import { lttngText } from '../../../src/inputs/lttng-text/index.js';
import { inputByName } from '../../../src/inputs/registry.js';
import { DiagnosticCollector } from '../../../src/model/diagnostics.js';
import type { TraceEvent } from '../../../src/model/events.js';

function ftrace(text: string): TraceEvent[] {
  const input = inputByName('ftrace-events')!;
  const c = new DiagnosticCollector('t');
  const p = input.createParser({ file: 't', report: c.report, options: {} });
  return [...p.push(text.replace(/^\n/, '').split('\n'), 1), ...p.end()];
}

function lttng(text: string): TraceEvent[] {
  const c = new DiagnosticCollector('t');
  const p = lttngText.createParser({ file: 't', report: c.report, options: {} });
  return [...p.push(text.split('\n').filter(Boolean), 1), ...p.end()];
}

/** [worker, start µs, end µs, state, depth, reason] of T (tid 100) over its life. */
function path(evs: TraceEvent[]) {
  const base = Math.min(...evs.filter((e) => 'ts' in e).map((e) => (e as { ts: number }).ts));
  return activePath(evs, { tid: 100 }).segments.map((s) => [s.comm, (s.start - base) / 1000, (s.end - base) / 1000, s.state, s.depth, s.reason]);
}

const HEAD = `# tracer: nop
#
# entries-in-buffer/entries-written: 12/12   #P:2
#
`;

const sw = (who: string, cpu: number, t: string, prev: string, prevPid: number, state: string, next: string, nextPid: number) =>
  `${who.padStart(16)} [00${cpu}] d..2.     1.000${t}: sched_switch: prev_comm=${prev} prev_pid=${prevPid} prev_prio=120 prev_state=${state} ==> next_comm=${next} next_pid=${nextPid} next_prio=120`;

/** T blocks on CPU 0 at 10; B runs on CPU 1 and sends a packet at `sent`; its NET_RX softirq wakes T at 33. */
function network(sent: string) {
  const send = `           B-200     [001] b....     1.000${sent}: net_dev_queue: dev=lo skbaddr=00000000e9494c6d len=74`;
  return (
    HEAD +
    [
      sw('<idle>-0', 0, '000', 'swapper/0', 0, 'R', 'T', 100),
      sw('<idle>-0', 1, '000', 'swapper/1', 0, 'R', 'B', 200),
      ...(sent < '010' ? [send] : []),
      sw('T-100', 0, '010', 'T', 100, 'S', 'swapper/0', 0),
      ...(sent >= '010' ? [send] : []),
      '           B-200     [001] ..s1.     1.000031: softirq_entry: vec=3 [action=NET_RX]',
      '           B-200     [001] ..s1.     1.000032: netif_receive_skb: dev=lo skbaddr=00000000e9494c6d len=60',
      '           B-200     [001] d.s5.     1.000033: sched_waking: comm=T pid=100 prio=120 target_cpu=000',
      '           B-200     [001] ..s1.     1.000034: softirq_exit: vec=3 [action=NET_RX]',
      sw('<idle>-0', 0, '036', 'swapper/0', 0, 'R', 'T', 100),
      sw('T-100', 0, '040', 'T', 100, 'S', 'swapper/0', 0),
      sw('B-200', 1, '050', 'B', 200, 'S', 'swapper/1', 0),
    ].join('\n') +
    '\n'
  );
}

describe('active path: a network wait followed to the sending task (scenario 13, matched send)', () => {
  it('ftrace: B sent the packet during the wait: B until the send, then the packet', () => {
    expect(path(ftrace(network('030')))).toEqual([
      ['T', 0, 10, 'RUNNING', 0, ''],
      ['B', 10, 30, 'RUNNING', 1, ''],
      ['T', 30, 33, 'NETWORK', 0, 'softirq NET_RX: packet from B (200)'],
      ['T', 33, 36, 'PREEMPTED', 0, ''],
      ['T', 36, 40, 'RUNNING', 0, ''],
      ['T', 40, 50, 'BLOCKED', 0, 'still waiting when the trace ends'],
    ]);
  });

  it('ftrace: a packet sent before the wait began explains nothing of B (bounded)', () => {
    expect(path(ftrace(network('005')))).toEqual([
      ['T', 0, 10, 'RUNNING', 0, ''],
      ['T', 10, 33, 'NETWORK', 0, 'softirq NET_RX: packet from B (200)'],
      ['T', 33, 36, 'PREEMPTED', 0, ''],
      ['T', 36, 40, 'RUNNING', 0, ''],
      ['T', 40, 50, 'BLOCKED', 0, 'still waiting when the trace ends'],
    ]);
  });

  it('ftrace: a receive of another skb (no matching send) stays NETWORK on T', () => {
    const text = network('030').replace('netif_receive_skb: dev=lo skbaddr=00000000e9494c6d', 'netif_receive_skb: dev=lo skbaddr=00000000deadbeef');
    expect(path(ftrace(text))).toEqual([
      ['T', 0, 10, 'RUNNING', 0, ''],
      ['T', 10, 33, 'NETWORK', 0, 'softirq NET_RX'],
      ['T', 33, 36, 'PREEMPTED', 0, ''],
      ['T', 36, 40, 'RUNNING', 0, ''],
      ['T', 40, 50, 'BLOCKED', 0, 'still waiting when the trace ends'],
    ]);
  });

  it('babeltrace2: the same send and receive (hex skb addresses), the same path', () => {
    const l = (t: string, name: string, cpu: number, fields: string) => `[00:00:01.000${t}000] (+?.?????????) host ${name}: { cpu_id = ${cpu} }, { ${fields} }`;
    const lsw = (t: string, cpu: number, prev: string, prevTid: number, state: number, next: string, nextTid: number) =>
      l(t, 'sched_switch', cpu, `prev_comm = "${prev}", prev_tid = ${prevTid}, prev_prio = 20, prev_state = ${state}, next_comm = "${next}", next_tid = ${nextTid}, next_prio = 20`);
    const text = [
      lsw('000', 0, 'swapper/0', 0, 0, 'T', 100),
      lsw('000', 1, 'swapper/1', 0, 0, 'B', 200),
      lsw('010', 0, 'T', 100, 1, 'swapper/0', 0),
      l('030', 'net_dev_queue', 1, 'skbaddr = 0xFFFF9A3C41D2E300, len = 74, name = "lo"'),
      l('031', 'irq_softirq_entry', 1, 'vec = 3'),
      l('032', 'net_if_receive_skb', 1, 'skbaddr = 0xFFFF9A3C41D2E300, len = 60, name = "lo"'),
      l('033', 'sched_waking', 1, 'comm = "T", tid = 100, prio = 20, target_cpu = 0'),
      l('034', 'irq_softirq_exit', 1, 'vec = 3'),
      lsw('036', 0, 'swapper/0', 0, 0, 'T', 100),
      lsw('040', 0, 'T', 100, 1, 'swapper/0', 0),
      lsw('050', 1, 'B', 200, 1, 'swapper/1', 0),
    ].join('\n');
    expect(path(lttng(text))).toEqual([
      ['T', 0, 10, 'RUNNING', 0, ''],
      ['B', 10, 30, 'RUNNING', 1, ''],
      ['T', 30, 33, 'NETWORK', 0, 'softirq NET_RX: packet from B (200)'],
      ['T', 33, 36, 'PREEMPTED', 0, ''],
      ['T', 36, 40, 'RUNNING', 0, ''],
      ['T', 40, 50, 'BLOCKED', 0, 'still waiting when the trace ends'],
    ]);
  });
});

describe('active path: a wake-up inside an IPI followed to its sender (scenario 6, optional step)', () => {
  /** Scenario 6: virtio completes on CPU 1 (hard IRQ, BLOCK softirq), T is woken on CPU 0 inside an IPI. */
  const virtio = (send: boolean) =>
    HEAD +
    [
      sw('<idle>-0', 0, '000', 'swapper/0', 0, 'R', 'T', 100),
      sw('T-100', 0, '010', 'T', 100, 'D', 'swapper/0', 0),
      '        <idle>-0       [001] d.h1.     1.000070: irq_handler_entry: irq=11 name=virtio0-requests',
      '        <idle>-0       [001] d.h1.     1.000071: irq_handler_exit: irq=11 ret=handled',
      '        <idle>-0       [001] ..s1.     1.000071: softirq_entry: vec=4 [action=BLOCK]',
      ...(send
        ? ['        <idle>-0       [001] d.s2.     1.000072: ipi_send_cpu: cpu=0 callsite=blk_mq_complete_request+0x2e/0x40 callback=generic_smp_call_function_single_interrupt+0x0/0x10']
        : []),
      '        <idle>-0       [001] ..s1.     1.000073: softirq_exit: vec=4 [action=BLOCK]',
      '        <idle>-0       [000] d.h1.     1.000074: call_function_single_entry: vector=251',
      '        <idle>-0       [000] d.h1.     1.000075: sched_waking: comm=T pid=100 prio=120 target_cpu=000',
      '        <idle>-0       [000] d.h1.     1.000076: call_function_single_exit: vector=251',
      sw('<idle>-0', 0, '077', 'swapper/0', 0, 'R', 'T', 100),
      sw('T-100', 0, '083', 'T', 100, 'S', 'swapper/0', 0),
    ].join('\n') +
    '\n';

  it('without ipi_send_cpu: IPI, as Trace Compass shows it', () => {
    expect(path(ftrace(virtio(false)))).toEqual([
      ['T', 0, 10, 'RUNNING', 0, ''],
      ['T', 10, 75, 'IPI', 0, 'call_function_single'],
      ['T', 75, 77, 'PREEMPTED', 0, ''],
      ['T', 77, 83, 'RUNNING', 0, ''],
    ]);
  });

  it('with ipi_send_cpu from CPU 1 inside its BLOCK softirq: the block device', () => {
    expect(path(ftrace(virtio(true)))).toEqual([
      ['T', 0, 10, 'RUNNING', 0, ''],
      ['T', 10, 75, 'BLOCK_DEVICE', 0, 'softirq BLOCK (IPI call_function_single from CPU 1)'],
      ['T', 75, 77, 'PREEMPTED', 0, ''],
      ['T', 77, 83, 'RUNNING', 0, ''],
    ]);
  });

  it('with ipi_send_cpu from a task (only sched_wakeup in the IPI): that task woke T', () => {
    // Scenario 5 with only sched_wakeup, and the IPI's sender in the trace.
    const text =
      HEAD +
      [
        sw('<idle>-0', 0, '000', 'swapper/0', 0, 'R', 'T', 100),
        sw('<idle>-0', 1, '000', 'swapper/1', 0, 'R', 'B', 200),
        sw('T-100', 0, '010', 'T', 100, 'S', 'swapper/0', 0),
        '           B-200     [001] d..2.     1.000030: ipi_send_cpu: cpu=0 callsite=ttwu_queue_wakelist+0x11d/0x150 callback=0x0',
        '        <idle>-0       [000] d.h1.     1.000031: reschedule_entry: vector=253',
        '        <idle>-0       [000] d.h1.     1.000031: sched_wakeup: comm=T pid=100 prio=120 target_cpu=000',
        '        <idle>-0       [000] d.h1.     1.000032: reschedule_exit: vector=253',
        sw('<idle>-0', 0, '033', 'swapper/0', 0, 'R', 'T', 100),
        sw('T-100', 0, '040', 'T', 100, 'S', 'swapper/0', 0),
        sw('B-200', 1, '040', 'B', 200, 'S', 'swapper/1', 0),
      ].join('\n') +
      '\n';
    expect(path(ftrace(text))).toEqual([
      ['T', 0, 10, 'RUNNING', 0, ''],
      ['B', 10, 31, 'RUNNING', 1, ''],
      ['T', 31, 33, 'PREEMPTED', 0, ''],
      ['T', 33, 40, 'RUNNING', 0, ''],
    ]);
  });
});

/**
 * The active path of the workload threads of the real ftrace captures (ftrace_host: a 6.18
 * kernel with sched_waking flags, hard IRQ, softirq, hrtimer, block and network events), through
 * the `ftrace-events` input: the waits are the timer, the disk, the network or the other end of
 * the pipe; the path loads in the trace processor with no import errors and covers the window.
 * It fails, rather than skips, when the `ftrace-events` input is missing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { activePath, renderActivePath } from '../../../src/analyses/active-path/index.js';
import type { ActivePath, PathState } from '../../../src/analyses/active-path/index.js';
import { inputByName } from '../../../src/inputs/registry.js';
import { readEvents } from '../../../src/pipeline/read-events.js';
import { CORPUS } from '../../support/convert-helpers.js';
import { queryTrace } from '../../support/trace-processor.js';

const DIR = path.join(process.env.TRACEBRIDGE_CORPUS ?? CORPUS, 'ftrace_host');
const file = (w: string) => path.join(DIR, `host-6.18.44-fc-v669__${w}.txt`);

const share = (p: ActivePath, st: PathState) => p.segments.filter((s) => s.state === st).reduce((a, s) => a + s.end - s.start, 0) / (p.to - p.from);

/** [capture, workload tid, the check of what it waited for] */
const CASES: [string, number, (p: ActivePath) => void][] = [
  // time.sleep(0.001) x300: the waits are the hrtimer (flags 'h', hrtimer_expire open).
  ['sleep', 17628, (p) => expect(share(p, 'TIMER')).toBeGreaterThan(0.8)],
  // dd oflag=direct: block completions in the BLOCK softirq.
  [
    'disk',
    17634,
    (p) => {
      expect(share(p, 'BLOCK_DEVICE')).toBeGreaterThan(0.3);
      expect(new Set(p.segments.filter((s) => s.state === 'BLOCK_DEVICE').map((s) => s.reason))).toEqual(new Set(['softirq BLOCK']));
    },
  ],
  // Loopback TCP: the server's waits end in the NET_RX softirq that received the client's
  // packet (net_dev_queue and netif_receive_skb of one skb), so they are the client's path up to
  // its send, then the packet: the client's time, and little NETWORK (was 38% unfollowed).
  [
    'net',
    17641,
    (p) => {
      const client = p.segments.filter((s) => s.tid === 17640 && s.depth >= 1).reduce((a, s) => a + s.end - s.start, 0) / (p.to - p.from);
      expect(client).toBeGreaterThan(0.25);
      const net = p.segments.filter((s) => s.state === 'NETWORK');
      expect(net.length).toBeGreaterThan(500);
      expect(share(p, 'NETWORK')).toBeLessThan(0.1);
      expect(net.every((s) => s.reason === 'softirq NET_RX: packet from python3 (17640)')).toBe(true);
    },
  ],
  // Pipe ping-pong: each wait is the other process's time (1000 round trips).
  [
    'pipe',
    17610,
    (p) => {
      const other = p.segments.filter((s) => s.tid === 17611 && s.depth === 1);
      expect(other.length).toBeGreaterThan(1900);
    },
  ],
];

describe('active path of the ftrace_host captures', () => {
  for (const [w, tid, check] of CASES) {
    it.skipIf(!fs.existsSync(file(w)))(`${w}: thread ${tid}`, async () => {
      expect(inputByName('ftrace-events'), 'the ftrace-events input').toBeDefined();
      const r = await readEvents({ input: file(w), from: 'ftrace-events' });
      const p = activePath(r.events, { tid });
      expect(p.segments.reduce((a, s) => a + s.end - s.start, 0)).toBe(p.to - p.from);
      expect(p.segments.some((s) => s.tid === 0)).toBe(false);
      check(p);
      const q = await queryTrace(renderActivePath(r.events, p, 'perfetto'), [
        `select count(*) as n, sum(s.dur) as dur from slice s join track t on s.track_id = t.id where t.name = 'Active path: ${p.comm} (${p.tid})'`,
      ]);
      expect(q.ok, q.error).toBe(true);
      expect(q.importErrors).toEqual([]);
      expect(q.rows[0]![0]).toEqual({ n: p.segments.length, dur: p.to - p.from });
    });
  }
});

/**
 * What the path becomes for users: a CSV row per segment, a ranked `top` text, and the events
 * of an "Active path" track (slices with flow arrows at hand-offs) to append to a converted trace.
 */
import type { Args, TraceEvent } from '../../model/events.js';
import type { ActivePath, Segment } from './types.js';

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function pathCsv(p: ActivePath): string {
  const rows = ['start_ns,end_ns,dur_ns,worker_tid,worker_comm,state,reason,depth'];
  for (const s of p.segments) {
    rows.push([s.start, s.end, s.end - s.start, s.tid, csvField(s.comm), s.state, csvField(s.reason), s.depth].join(','));
  }
  return rows.join('\n') + '\n';
}

function ms(ns: number): string {
  return (ns / 1e6).toFixed(3);
}

function pct(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '-';
}

/** Seconds with all nine decimals, from integer ns (no float rounding). */
function secs(ns: number): string {
  const neg = ns < 0 ? '-' : '';
  const a = Math.abs(ns);
  return `${neg}${Math.floor(a / 1e9)}.${String(a % 1e9).padStart(9, '0')}`;
}

export const workerName = (s: Pick<Segment, 'comm' | 'tid'>) => `${s.comm} (${s.tid})`;

function ranked(p: ActivePath, key: (s: Segment) => string): [string, number][] {
  const m = new Map<string, number>();
  for (const s of p.segments) m.set(key(s), (m.get(key(s)) ?? 0) + s.end - s.start);
  return [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

export function pathTop(p: ActivePath): string {
  const total = p.to - p.from;
  const handoffs = p.segments.filter((s, i) => i > 0 && s.tid !== p.segments[i - 1]!.tid).length;
  const lines = [
    `Active path of ${p.comm} (${p.tid}) from ${secs(p.from)} s to ${secs(p.to)} s: ${ms(total)} ms, ${p.segments.length} segments, ${handoffs} hand-offs`,
  ];
  const table = (title: string, rows: [string, number][]) => {
    const w = Math.max(title.length, ...rows.map((r) => r[0].length));
    lines.push('', `${title.padEnd(w)}  ${'ms'.padStart(12)}  ${'share'.padStart(6)}`);
    for (const [k, v] of rows) lines.push(`${k.padEnd(w)}  ${ms(v).padStart(12)}  ${pct(v, total).padStart(6)}`);
  };
  table('by worker', ranked(p, workerName));
  table('by state', ranked(p, (s) => s.state));
  table('by worker and state', ranked(p, (s) => `${workerName(s)} ${s.state}${s.reason ? ` (${s.reason})` : ''}`));
  for (const u of p.uncertain) lines.push('', `uncertain: ${u.message}`);
  return lines.join('\n') + '\n';
}

/** A slice's name: the worker, and the state when it is not plain running. */
export function segmentName(s: Segment): string {
  return s.state === 'RUNNING' ? workerName(s) : `${workerName(s)} ${s.state}${s.reason && s.state !== 'PREEMPTED' ? ` ${s.reason}` : ''}`;
}

/**
 * The track of the path as events: one global track, one slice per segment, and a flow arrow
 * from each segment to the next one when the worker changes. `trackId` must be unused by the
 * trace's other events; flow ids start at `firstFlowId`.
 */
export function pathTrackEvents(p: ActivePath, trackId: number, firstFlowId = 1): TraceEvent[] {
  const out: TraceEvent[] = [{ kind: 'track', track: { kind: 'global', id: trackId, name: `Active path: ${p.comm} (${p.tid})` } }];
  let flow = firstFlowId;
  let incoming: number | undefined;
  p.segments.forEach((s, i) => {
    const next = p.segments[i + 1];
    const args: Args = { worker_tid: s.tid, worker_comm: s.comm, state: s.state, depth: s.depth };
    if (s.reason) args.reason = s.reason;
    const b: TraceEvent = { kind: 'begin', ts: s.start, track: trackId, name: segmentName(s), cat: 'active-path', depth: 0, args };
    if (incoming !== undefined) b.terminatingFlowIds = [incoming];
    incoming = undefined;
    if (next && next.tid !== s.tid) {
      incoming = flow++;
      b.flowIds = [incoming];
    }
    out.push(b);
    out.push({ kind: 'end', ts: s.end, track: trackId, name: b.name, cat: b.cat, start: s.start, depth: 0, selfNs: s.end - s.start });
  });
  return out;
}

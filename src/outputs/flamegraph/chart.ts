/**
 * A flame chart: time on x, one lane per thread (or CPU lane), each slice drawn where and when
 * it ran, root at the bottom of its lane (at the top with `inverted`). Slices narrower than the
 * minimum width are left out and counted, as FlameGraph leaves out narrow frames.
 */
import type { TraceEvent } from '../../model/events.js';
import { PSEUDO_TID_BASE, isSynthesizedName } from '../../model/slices.js';
import { frameColor } from './colors.js';
import type { DrawnKind } from './tree.js';
import { GEOMETRY, escapeXml, groupDigits, renderSvg, type SvgFrame } from './svg.js';

interface ChartSlice {
  name: string;
  start: number;
  end: number;
  depth: number;
  /** Synthesised enclosing slices seen on the lane before this one. */
  synthBefore: number;
  kind: DrawnKind;
}

interface Lane {
  name: string;
  slices: ChartSlice[];
  synth: number;
}

const LANE_HEADER = 14;

export class FlameChart {
  private readonly lanes = new Map<number, Lane>();
  private readonly names = new Map<number, string>();
  private format: string | undefined;
  slices = 0;

  push(events: TraceEvent[]): void {
    for (const e of events) {
      if (e.kind === 'track') {
        const t = e.track;
        this.names.set(t.id, t.kind === 'thread' && t.tid < PSEUDO_TID_BASE ? `${t.name} ${t.pid === t.tid ? t.tid : `${t.pid}/${t.tid}`}` : t.name);
        const lane = this.lanes.get(t.id);
        if (lane) lane.name = this.names.get(t.id)!;
      } else if (e.kind === 'info') this.format = e.format;
      else if (e.kind === 'end') {
        let lane = this.lanes.get(e.track);
        if (!lane) this.lanes.set(e.track, (lane = { name: this.names.get(e.track) ?? `track ${e.track}`, slices: [], synth: 0 }));
        const synthesized = isSynthesizedName(e.name);
        if (synthesized) lane.synth++;
        const kind: DrawnKind = synthesized
          ? 'synthesized'
          : this.format === 'lttng-text' && e.cat === 'function'
            ? 'user'
            : / \[[\w.-]+\]$/.test(e.name)
              ? 'module'
              : 'kernel';
        lane.slices.push({ name: e.name, start: e.start, end: e.ts, depth: e.depth, synthBefore: lane.synth, kind });
        this.slices++;
      }
    }
  }

  render(title: string, subtitle: string, inverted: boolean, minWidthPx: number, data: Record<string, string>): string {
    const G = GEOMETRY;
    const lanes = [...this.lanes.values()];
    let t0 = Infinity;
    let t1 = -Infinity;
    for (const l of lanes)
      for (const s of l.slices) {
        if (s.start < t0) t0 = s.start;
        if (s.end > t1) t1 = s.end;
      }
    if (!(t1 > t0)) {
      t0 = 0;
      t1 = 1;
    }
    const span = G.width - 2 * G.xpad;
    const perNs = span / (t1 - t0);
    const frames: SvgFrame[] = [];
    let deco = '';
    let y = G.ypad1 + 10;
    let hidden = 0;
    for (const l of lanes) {
      let rows = 1;
      const depthOf = (s: ChartSlice) => s.depth + (l.synth - s.synthBefore);
      for (const s of l.slices) rows = Math.max(rows, depthOf(s) + 1);
      deco += `<text class="lane" x="${G.xpad}" y="${y + LANE_HEADER - 3}">${escapeXml(l.name)}</text>\n`;
      const top = y + LANE_HEADER;
      const ordered = [...l.slices].sort((a, b) => a.start - b.start || depthOf(a) - depthOf(b));
      for (const s of ordered) {
        const w = (s.end - s.start) * perNs;
        if (w < minWidthPx) {
          hidden++;
          continue;
        }
        const d = depthOf(s);
        const durUs = (s.end - s.start) / 1000;
        frames.push({
          info: `${s.name} (${groupDigits(durUs)} us, at +${groupDigits((s.start - t0) / 1000)} us)`,
          name: s.name,
          x: G.xpad + (s.start - t0) * perNs,
          y: inverted ? top + d * G.frameHeight : top + (rows - 1 - d) * G.frameHeight,
          w,
          fill: frameColor(s.name, s.kind),
          weight: durUs,
          kind: s.kind,
        });
      }
      y = top + rows * G.frameHeight + 6;
    }
    if (lanes.length === 0) deco += `<text class="lane" x="${G.xpad}" y="${y + LANE_HEADER}">no timed slices in this input</text>\n`;
    return renderSvg({
      mode: 'chart',
      title,
      subtitle,
      inverted,
      height: y + G.ypad2 + 10,
      frames,
      decorations: deco,
      data: { unit: 'us', start_ns: String(t0 === 0 && t1 === 1 ? 0 : t0), lanes: String(lanes.length), slices: String(this.slices), merged: String(hidden), ...data },
    });
  }
}

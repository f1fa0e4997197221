/**
 * Writes a flame graph or flame chart as one self-contained SVG: FlameGraph's geometry (1200 px
 * wide, 16 px frames, Verdana 12, title on top, details line at the bottom), one `<g>` per frame
 * holding its `<title>` (name, weight, share), its rect and its label, and the script of
 * `script.ts`. Frame labels are cut to the frame's width with `..`, as FlameGraph does.
 */
import { diffColor, frameColor } from './colors.js';
import { FLAME_SCRIPT } from './script.js';
import type { FlameTree } from './tree.js';

export const GEOMETRY = { width: 1200, frameHeight: 16, fontSize: 12, charWidth: 12 * 0.59, xpad: 10, ypad1: 12 * 3, ypad2: 12 * 2 + 10 };
/** FlameGraph's default `--minwidth`: 0.1 px. */
export const DEFAULT_MIN_WIDTH_PX = 0.1;

/**
 * Text for an XML attribute or element. XML 1.0 allows no C0 control but tab, LF and CR, nor
 * U+FFFE/U+FFFF, not even as character references (a viewer refuses the whole SVG): those are
 * drawn as U+FFFD, as invalid UTF-8 is.
 */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '\ufffd',
  );
}

/** 1234567 → `1,234,567` (FlameGraph's thousands separators); fractions keep up to 3 digits. */
export function groupDigits(v: number): string {
  const [i, f] = (Math.round(v * 1000) / 1000).toString().split('.');
  return i!.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (f ? `.${f}` : '');
}

export function fitLabel(name: string, widthPx: number): string {
  const n = Math.floor((widthPx - 3) / GEOMETRY.charWidth);
  if (n < 3) return '';
  return n < name.length ? name.slice(0, n - 2) + '..' : name;
}

export interface SvgFrame {
  /** Tooltip and details text: `name (weight unit, share%)`; the name is what comes before ` (`. */
  info: string;
  name: string;
  x: number;
  y: number;
  w: number;
  fill: string;
  /** The frame's number (weight, or duration in us for a chart), kept exact on `data-w`. */
  weight: number;
  kind: string;
}

export interface SvgDoc {
  mode: 'graph' | 'chart';
  title: string;
  subtitle: string;
  inverted: boolean;
  height: number;
  frames: SvgFrame[];
  /** Extra elements drawn under the frames (lane names of a chart). */
  decorations?: string;
  /** Key/value facts for `data-` attributes of the root (unit, total, filters...). */
  data: Record<string, string>;
}

function num(v: number): string {
  return (Math.round(v * 10) / 10).toString();
}

export function renderSvg(doc: SvgDoc): string {
  const G = GEOMETRY;
  const W = G.width;
  const H = doc.height;
  const attrs = Object.entries(doc.data)
    .map(([k, v]) => ` data-${k}="${escapeXml(v)}"`)
    .join('');
  const parts: string[] = [];
  parts.push(
    `<svg version="1.1" class="tb-flame" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" xmlns="http://www.w3.org/2000/svg"` +
      ` data-mode="${doc.mode}" data-inverted="${doc.inverted ? 1 : 0}" data-xpad="${G.xpad}" data-charw="${G.charWidth}"${attrs}>\n`,
    `<style>.tb-flame text{font-family:Verdana,sans-serif;font-size:${G.fontSize}px;fill:#000}` +
      `.tb-flame .f rect{rx:2px;ry:2px}.tb-flame .f:hover rect{stroke:#000;stroke-width:0.5;cursor:pointer}` +
      `.tb-flame .f text{pointer-events:none}.tb-flame .hide{display:none}.tb-flame .parent{opacity:0.5}` +
      `.tb-flame .btn{cursor:pointer}.tb-flame .btn.on{fill:rgb(160,0,160)}.tb-flame .tb-title{font-size:17px}` +
      `.tb-flame .tb-sub{fill:#555}.tb-flame .lane{fill:#444;font-size:11px}</style>\n`,
    `<defs><linearGradient id="tb-bg" y1="0" y2="1" x1="0" x2="0"><stop stop-color="#eeeeee" offset="5%"/><stop stop-color="#eeeeb0" offset="95%"/></linearGradient></defs>\n`,
    `<rect x="0" y="0" width="${W}" height="${H}" fill="url(#tb-bg)"/>\n`,
    `<text class="tb-title" x="${W / 2}" y="${G.fontSize * 2}" text-anchor="middle">${escapeXml(doc.title)}</text>\n`,
    `<text class="tb-sub" x="${W / 2}" y="${G.fontSize * 3 + 2}" text-anchor="middle">${escapeXml(doc.subtitle)}</text>\n`,
    `<text class="btn tb-unzoom hide" x="${G.xpad}" y="${G.fontSize * 2}">Reset Zoom</text>\n`,
    `<text class="btn tb-search" x="${W - G.xpad}" y="${G.fontSize * 2}" text-anchor="end">Search</text>\n`,
    `<text class="tb-details" x="${G.xpad}" y="${H - G.ypad2 / 2}"> </text>\n`,
    `<text class="tb-matched" x="${W - G.xpad}" y="${H - G.ypad2 / 2}" text-anchor="end"> </text>\n`,
  );
  if (doc.decorations) parts.push(doc.decorations);
  if (doc.frames.every((f) => f.weight === 0)) {
    // An input with events but no stacks or calls: say so rather than draw a blank graph.
    parts.push(
      `<text class="tb-empty" x="${W / 2}" y="${Math.max(H / 2, G.fontSize * 5)}" text-anchor="middle">No call stacks or function calls in this input: nothing to draw.</text>\n`,
    );
  }
  parts.push('<g class="frames">\n');
  for (const f of doc.frames) {
    const label = fitLabel(f.name, f.w);
    parts.push(
      `<g class="f" data-w="${f.weight}"${f.kind === 'kernel' ? '' : ` data-k="${f.kind}"`}><title>${escapeXml(f.info)}</title>` +
        `<rect x="${num(f.x)}" y="${num(f.y)}" width="${num(f.w)}" height="${G.frameHeight - 1}" fill="${f.fill}"/>` +
        `<text x="${num(f.x + 3)}" y="${num(f.y + G.frameHeight / 2 + 4)}">${escapeXml(label)}</text></g>\n`,
    );
  }
  parts.push('</g>\n<script><![CDATA[\n', FLAME_SCRIPT, '\n]]></script>\n</svg>\n');
  return parts.join('');
}

export interface GraphLabels {
  title: string;
  subtitle: string;
  unit: string;
  inverted: boolean;
  data: Record<string, string>;
}

/** A flame graph (or icicle, or differential graph) of a tree of frames. */
export function graphSvg(tree: FlameTree, labels: GraphLabels): string {
  const G = GEOMETRY;
  const span = G.width - 2 * G.xpad;
  const perUnit = tree.total > 0 ? span / tree.total : 0;
  const height = (tree.maxDepth + 1) * G.frameHeight + G.ypad1 + G.ypad2 + 10;
  let maxDelta = 0;
  for (const f of tree.frames) if (f.delta !== undefined) maxDelta = Math.max(maxDelta, Math.abs(f.delta));
  const frames: SvgFrame[] = tree.frames.map((f) => {
    const share = tree.total > 0 ? (100 * f.w) / tree.total : 100;
    let info = `${f.name} (${groupDigits(f.w)} ${labels.unit}, ${share.toFixed(2)}%`;
    if (f.delta !== undefined) info += `; ${f.delta >= 0 ? '+' : ''}${groupDigits(f.delta)} ${labels.unit} self`;
    if (f.merged !== undefined) info += `; ${f.merged} frames under the minimum width`;
    info += ')';
    const y = labels.inverted ? G.ypad1 + 10 + f.depth * G.frameHeight : height - G.ypad2 - (f.depth + 1) * G.frameHeight;
    const fill = f.delta !== undefined && f.kind !== 'merged' ? diffColor(f.delta, maxDelta) : frameColor(f.name, f.kind);
    return { info, name: f.name, x: G.xpad + f.x * perUnit, y, w: f.w * perUnit, fill, weight: f.w, kind: f.kind };
  });
  return renderSvg({
    mode: 'graph',
    title: labels.title,
    subtitle: labels.subtitle,
    inverted: labels.inverted,
    height,
    frames,
    data: { unit: labels.unit, total: String(tree.total), merged: String(tree.mergedFrames), ...labels.data },
  });
}

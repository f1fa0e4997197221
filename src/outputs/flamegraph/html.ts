/** The HTML page around a flame graph SVG: the graph, a legend of frame colours, metadata, diagnostics. */
import type { TraceInfo } from '../../model/events.js';
import { traceMetadata } from '../common.js';
import type { OutputOptions } from '../types.js';
import { KIND_LABELS, kindColor } from './colors.js';
import { escapeXml } from './svg.js';
import type { DrawnKind } from './tree.js';

const LEGEND: DrawnKind[] = ['kernel', 'module', 'user', 'synthesized', 'unreliable', 'merged'];

export function htmlPage(svg: string, opts: OutputOptions, info: TraceInfo | undefined, unit: string): string {
  const { meta, diagnostics } = traceMetadata(info, opts);
  const title = /<text class="tb-title"[^>]*>([^<]*)</.exec(svg)?.[1] ?? 'Flame Graph';
  const legend = LEGEND.map(
    (k) => `<li><span class="sw" style="background:${kindColor(k)}"></span>${escapeXml(KIND_LABELS[k])}</li>`,
  ).join('\n');
  const metaRows = Object.entries(meta)
    .map(([k, v]) => `<tr><th>${escapeXml(k)}</th><td>${escapeXml(String(v))}</td></tr>`)
    .join('\n');
  const codes = Object.keys(diagnostics).sort();
  const diagRows = codes.length
    ? codes.map((c) => `<tr><th>${escapeXml(c)}</th><td class="n">${diagnostics[c]}</td></tr>`).join('\n')
    : '<tr><td colspan="2">none: every line was understood</td></tr>';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${title}</title>
<style>
body{font-family:Verdana,sans-serif;font-size:13px;margin:16px;color:#222}
.panel{display:flex;gap:40px;flex-wrap:wrap;margin-top:12px}
ul.legend{list-style:none;padding:0;margin:0}
ul.legend li{margin:2px 0}
.sw{display:inline-block;width:14px;height:12px;margin-right:6px;vertical-align:middle;border-radius:2px}
table{border-collapse:collapse}
th,td{text-align:left;padding:1px 8px;border-bottom:1px solid #ddd}
td.n{text-align:right}
h2{font-size:14px;margin:0 0 6px}
</style>
</head>
<body>
${svg}
<div class="panel">
<section><h2>Frames</h2>
<ul class="legend">
${legend}
<li><span class="sw" style="background:rgb(230,0,230)"></span>search match</li>
</ul>
<p>Weights are in ${escapeXml(unit)}. Click a frame to zoom, Search (or Ctrl-F) to highlight, Escape to reset.</p>
</section>
<section><h2>Trace</h2>
<table class="meta">
${metaRows}
</table>
</section>
<section><h2>Diagnostics</h2>
<table class="diagnostics">
${diagRows}
</table>
</section>
</div>
</body>
</html>
`;
}

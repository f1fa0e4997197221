/**
 * The `svg` and `html` outputs: an interactive flame graph of the folded aggregation (the same
 * numbers as the folded output), or with `flame.chart` a flame chart of the slices in time. The
 * HTML page embeds the same SVG with a legend, the trace metadata and the diagnostics summary.
 */
import type { TraceEvent } from '../../model/events.js';
import { FoldedStacks } from '../folded.js';
import type { OutputAdapter, OutputOptions, OutputWriter } from '../types.js';
import { FlameChart } from './chart.js';
import { htmlPage } from './html.js';
import { DEFAULT_MIN_WIDTH_PX, GEOMETRY, graphSvg } from './svg.js';
import { buildFlameTree } from './tree.js';

const XML_PROLOG = '<?xml version="1.0" standalone="no"?>\n';

function weightText(stacks: FoldedStacks): string {
  const unit = stacks.unit();
  if (unit === 'us') return stacks.weight === 'total' ? 'total time (us, entry to exit)' : 'self time (us)';
  return unit;
}

function filtersText(f: Record<string, string> | undefined): string {
  if (!f) return '';
  const parts = Object.entries(f).map(([k, v]) => `--${k} ${v}`);
  return parts.length ? ` · filters: ${parts.join(' ')}` : '';
}

export class FlameWriter implements OutputWriter {
  private readonly stacks: FoldedStacks;
  private readonly chart: FlameChart | undefined;

  constructor(
    private readonly opts: OutputOptions,
    private readonly html: boolean,
  ) {
    this.stacks = new FoldedStacks(opts.weight);
    if (opts.flame?.chart) this.chart = new FlameChart();
  }

  push(events: TraceEvent[]): null {
    if (this.chart) this.chart.push(events);
    else this.stacks.push(events);
    // The chart needs the input's description too.
    if (this.chart) for (const e of events) if (e.kind === 'info') this.stacks.info = e;
    return null;
  }

  end(): string {
    const f = this.opts.flame ?? {};
    const inverted = f.inverted === true;
    const minWidth = f.minWidth ?? DEFAULT_MIN_WIDTH_PX;
    const input = this.opts.inputName ?? '';
    const info = this.stacks.info;
    const format = info ? `${info.format}${info.variant ? ` (${info.variant})` : ''}` : '';
    const data: Record<string, string> = {};
    if (this.opts.filters) for (const [k, v] of Object.entries(this.opts.filters)) data[`filter-${k}`] = v;
    let svg: string;
    let unit: string;
    if (this.chart) {
      unit = 'us';
      const title = f.title ?? (input ? `Flame Chart: ${input}` : 'Flame Chart');
      const sub = [format, 'time (us) on x, one lane per thread'].filter(Boolean).join(' · ') + filtersText(this.opts.filters);
      svg = this.chart.render(title, sub, inverted, minWidth, data);
    } else {
      unit = this.stacks.unit() === 'us' ? 'us' : this.stacks.unit();
      const tree = buildFlameTree(this.stacks.lines(), {
        inclusive: this.stacks.weight === 'total' && this.stacks.sliced,
        minShare: minWidth / (GEOMETRY.width - 2 * GEOMETRY.xpad),
        kinds: this.stacks.kinds,
      });
      const kind = inverted ? 'Icicle Graph' : 'Flame Graph';
      const title = f.title ?? (input ? `${kind}: ${input}` : kind);
      const sub = [format, `weight: ${weightText(this.stacks)}`].filter(Boolean).join(' · ') + filtersText(this.opts.filters);
      svg = graphSvg(tree, { title, subtitle: sub, unit, inverted, data: { weight: this.stacks.weight, ...data } });
    }
    if (!this.html) return XML_PROLOG + svg;
    return htmlPage(svg, this.opts, info, unit);
  }
}

export const svg: OutputAdapter = {
  name: 'svg',
  description: 'interactive flame graph (or --flame-chart), one self-contained SVG',
  extensions: ['.svg'],
  binary: false,
  createWriter: (o) => new FlameWriter(o, false),
};

export const html: OutputAdapter = {
  name: 'html',
  description: 'the svg flame graph in a page with a legend, metadata and the diagnostics summary',
  extensions: ['.html', '.htm'],
  binary: false,
  createWriter: (o) => new FlameWriter(o, true),
};

/**
 * Differential profiles of two folded files, as FlameGraph's difffolded.pl makes them: every
 * path of either file with both counts (`path count1 count2`, 0 where a file lacks it),
 * optionally with the first file scaled to the second's total (`normalize`) and hex addresses
 * made equal (`stripHex`). The graph is sized by the second profile (or the first, `negate`),
 * each frame coloured by how its own weight changed: red grew, blue shrank.
 */
import type { Report } from '../../model/diagnostics.js';
import { graphSvg } from './svg.js';
import { buildFlameTree } from './tree.js';
import { DEFAULT_MIN_WIDTH_PX, GEOMETRY } from './svg.js';

export interface DiffOptions {
  normalize?: boolean;
  stripHex?: boolean;
}

/** Folded text → path → count. A line without a final count is reported and skipped. */
export function parseFolded(text: string, report?: Report, stripHex = false): Map<string, number> {
  const m = new Map<string, number>();
  let no = 0;
  for (const raw of text.split('\n')) {
    no++;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') continue;
    const r = /^(.*\S)\s+(\d+(?:\.\d*)?)$/.exec(line);
    if (!r) {
      report?.('diff.malformed-line', no);
      continue;
    }
    const path = stripHex ? r[1]!.replace(/0x[0-9a-fA-F]+/g, '0x...') : r[1]!;
    m.set(path, (m.get(path) ?? 0) + Number(r[2]));
  }
  return m;
}

export interface DiffedPath {
  path: string;
  before: number;
  after: number;
}

export function diffProfiles(a: Map<string, number>, b: Map<string, number>, opts: DiffOptions = {}): DiffedPath[] {
  let t1 = 0;
  let t2 = 0;
  for (const v of a.values()) t1 += v;
  for (const v of b.values()) t2 += v;
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  return paths.map((path) => {
    let before = a.get(path) ?? 0;
    // As difffolded.pl -n: the first profile's counts scaled to the second's total, truncated.
    if (opts.normalize && t1 !== t2 && t1 > 0) before = Math.floor((before * t2) / t1);
    return { path, before, after: b.get(path) ?? 0 };
  });
}

/** The three-column folded text (`path before after`), sorted by path. */
export function diffFoldedText(d: DiffedPath[]): string {
  let out = '';
  for (const p of d) out += `${p.path} ${p.before} ${p.after}\n`;
  return out;
}

export interface DiffSvgOptions {
  title: string;
  subtitle: string;
  unit: string;
  /** Size frames by the first profile (colours still say what changed from it). */
  negate?: boolean;
  inverted?: boolean;
  minWidth?: number;
}

export function diffSvg(d: DiffedPath[], o: DiffSvgOptions): string {
  const sized = new Map<string, number>();
  const other = new Map<string, number>();
  for (const p of d) {
    sized.set(p.path, o.negate ? p.before : p.after);
    other.set(p.path, o.negate ? p.after : p.before);
  }
  const tree = buildFlameTree(sized, {
    before: other,
    minShare: (o.minWidth ?? DEFAULT_MIN_WIDTH_PX) / (GEOMETRY.width - 2 * GEOMETRY.xpad),
  });
  // With negate the tree's delta is before − after: turn it back into after − before.
  if (o.negate) for (const f of tree.frames) if (f.delta !== undefined) f.delta = -f.delta;
  return (
    '<?xml version="1.0" standalone="no"?>\n' +
    graphSvg(tree, { title: o.title, subtitle: o.subtitle, unit: o.unit, inverted: o.inverted === true, data: { diff: o.negate ? 'before' : 'after' } })
  );
}

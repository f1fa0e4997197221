/**
 * Frame colours: stable by name (the same function has the same colour in every graph, as
 * FlameGraph's `--hash`), with one palette per kind of frame so kernel, module, user and
 * synthesised frames are told apart at a glance. Differential graphs colour by change.
 */
import type { DrawnKind } from './tree.js';

/** FNV-1a of the name, three fractions in [0, 1) from its bytes. */
function hash3(name: string): [number, number, number] {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  const a = (h & 0x3ff) / 1024;
  const b = ((h >>> 10) & 0x3ff) / 1024;
  const c = ((h >>> 20) & 0x3ff) / 1024;
  return [a, b, c];
}

/** Per kind: the low end and span of red, green and blue. */
const PALETTES: Record<DrawnKind, [number, number, number, number, number, number]> = {
  kernel: [205, 50, 40, 180, 0, 55],
  module: [60, 60, 150, 70, 205, 50],
  user: [60, 60, 180, 70, 50, 60],
  synthesized: [165, 30, 165, 30, 165, 30],
  unreliable: [235, 20, 205, 35, 170, 40],
  merged: [215, 0, 215, 0, 215, 0],
  root: [205, 50, 40, 180, 0, 55],
};

export const KIND_LABELS: Record<DrawnKind, string> = {
  kernel: 'kernel function',
  module: 'kernel module function ([module])',
  user: 'user-space function',
  synthesized: 'synthesised frame (call whose entry the trace missed)',
  unreliable: 'unreliable frame (? in the call trace)',
  merged: 'frames narrower than the minimum width, merged',
  root: 'all',
};

export function frameColor(name: string, kind: DrawnKind): string {
  const [r0, rs, g0, gs, b0, bs] = PALETTES[kind];
  const [a, b, c] = hash3(name);
  return `rgb(${Math.round(r0 + rs * a)},${Math.round(g0 + gs * b)},${Math.round(b0 + bs * c)})`;
}

/** A kind's middle colour, for the legend. */
export function kindColor(kind: DrawnKind): string {
  const [r0, rs, g0, gs, b0, bs] = PALETTES[kind];
  return `rgb(${Math.round(r0 + rs / 2)},${Math.round(g0 + gs / 2)},${Math.round(b0 + bs / 2)})`;
}

/**
 * Differential colour: red when the frame's own weight grew, blue when it shrank, white when
 * unchanged, saturated in proportion to the change against the largest change of the graph.
 */
export function diffColor(delta: number, maxDelta: number): string {
  if (delta === 0 || maxDelta === 0) return 'rgb(250,250,250)';
  const v = Math.round(210 * (1 - Math.min(1, Math.abs(delta) / maxDelta)));
  return delta > 0 ? `rgb(255,${v},${v})` : `rgb(${v},${v},255)`;
}

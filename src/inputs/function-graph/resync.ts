/**
 * function_graph exit matching: a closing brace is checked against the call it would close, on
 * its printed duration or its `/* func *\/` tail, and resynchronised to the call it fits.
 */
import type { Report } from '../../model/diagnostics.js';
import type { SliceBuilder } from '../../model/slices.js';
import type { FgLine } from './tokenize.js';

/**
 * A `}` is checked against the call it would close. With a `/* func *\/` tail naming an outer
 * open call, or a printed duration that the innermost call cannot have (with timestamps: it
 * began later than the duration says; without: an outer call's observed time matches the
 * duration and the innermost's is far from it), the calls opened after the one it fits lost
 * their exits (lines lost or repeated in a paste): they are closed at the last time of the
 * thread, reported, and the `}` closes the call it fits.
 */
export function resync(b: SliceBuilder, report: Report, track: number, l: FgLine, now: number, abs: boolean): void {
  const depth = b.depth(track);
  if (depth < 2) return;
  let k = -1;
  if (l.tail !== undefined) {
    if (b.openAt(track, 0)!.name === l.tail) return;
    const named = (n: string) => n === l.tail || n.startsWith(`${l.tail} [`);
    if (named(b.openAt(track, 0)!.name)) return;
    for (let i = 1; i < depth; i++) {
      if (named(b.openAt(track, i)!.name)) {
        k = i;
        break;
      }
    }
  } else if (l.dur >= 0) {
    const d = l.dur;
    // The common case, the innermost call fits, decided before anything is allocated.
    const e0 = now - b.openAt(track, 0)!.start;
    if (abs ? Math.abs(e0 - d) <= Math.max(1000, d * 0.02) : d < 10_000 || e0 * 4 >= d) return;
    const elapsed = (i: number) => now - b.openAt(track, i)!.start;
    // With timestamps the elapsed time is the call's duration (printed times are in
    // microseconds). Without, it is only the sum of what was printed inside, gaps unknown, so
    // the evidence must be strong: a closer of at least 10 us, the innermost call's insides
    // under a quarter of it, and an outer call's insides within 1 % of it.
    const fits = abs
      ? (i: number) => Math.abs(elapsed(i) - d) <= Math.max(1000, d * 0.02)
      : (i: number) => Math.abs(elapsed(i) - d) <= d * 0.01;
    for (let i = 1; i < depth; i++) {
      if (fits(i)) {
        k = i;
        break;
      }
      if (elapsed(i) > d + Math.max(1000, d * 0.02)) break;
    }
  }
  if (k < 1) return;
  const target = b.openAt(track, k)!.name;
  const lost: string[] = [];
  for (let i = 0; i < k; i++) lost.push(b.openAt(track, i)!.name);
  const why = l.tail !== undefined ? `its comment names ${l.tail}` : `its ${(l.dur / 1000).toFixed(3)} us fit ${target}`;
  report('function-graph.resync', l.line, `closing brace matched to ${target} (${why}); ${lost.join(', ')} lost ${k === 1 ? 'its exit' : 'their exits'}`);
  const at = b.lastTime(track) ?? now;
  for (let i = 0; i < k; i++) b.end(track, at, l.line, undefined, undefined, { truncated: true });
}

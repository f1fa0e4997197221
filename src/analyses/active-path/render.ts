/**
 * The path in a user's format: Perfetto or Chrome JSON (the trace as `convert` writes it, plus
 * the path's track), CSV (a row per segment) or `top` (a ranked summary). Pure: bytes out.
 */
import type { TraceEvent } from '../../model/events.js';
import { outputByName } from '../../outputs/registry.js';
import type { OutputOptions } from '../../outputs/types.js';
import { pathCsv, pathTop, pathTrackEvents } from './output.js';
import type { ActivePath } from './types.js';

export const PATH_FORMATS = ['perfetto', 'chrome-json', 'csv', 'top'] as const;
export type PathFormat = (typeof PATH_FORMATS)[number];

/** The format a file name asks for (`.pftrace`, `.json`, `.csv`, `.txt`, ...). */
export function pathFormatFor(file: string): PathFormat | undefined {
  for (const f of ['perfetto', 'chrome-json'] as const) {
    if (outputByName(f)!.extensions.some((x) => file.endsWith(x))) return f;
  }
  if (file.endsWith('.csv')) return 'csv';
  if (file.endsWith('.txt')) return 'top';
  return undefined;
}

function concat(parts: (Uint8Array | string | null)[]): Uint8Array {
  return Buffer.concat(parts.filter((p): p is Uint8Array | string => p !== null).map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
}

export function renderActivePath(events: readonly TraceEvent[], path: ActivePath, format: PathFormat, options: OutputOptions = {}): Uint8Array {
  if (format === 'csv') return Buffer.from(pathCsv(path), 'utf8');
  if (format === 'top') return Buffer.from(pathTop(path), 'utf8');
  let maxTrack = -1;
  for (const e of events) if (e.kind === 'track' && e.track.id > maxTrack) maxTrack = e.track.id;
  const w = outputByName(format)!.createWriter(options);
  return concat([w.push(events as TraceEvent[]), w.push(pathTrackEvents(path, maxTrack + 1)), w.end()]);
}

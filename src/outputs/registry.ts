import { chromeJson } from './chrome-json.js';
import { csv } from './csv.js';
import { folded } from './folded.js';
import { html, svg } from './flamegraph/index.js';
import { perfetto } from './perfetto/index.js';
import { top } from './top.js';
import type { OutputAdapter } from './types.js';

export const outputs: readonly OutputAdapter[] = [chromeJson, perfetto, folded, csv, top, svg, html];

export function outputByName(name: string): OutputAdapter | undefined {
  return outputs.find((a) => a.name === name);
}

/** The output a file name asks for by its ending (`.json`, `.pftrace`, ...), ignoring `.gz`. */
export function outputForPath(path: string): OutputAdapter | undefined {
  const p = path.toLowerCase();
  return outputs.find((a) => a.extensions.some((e) => p.endsWith(e)));
}

import { dmesg } from './dmesg/index.js';
import { functionGraph } from './function-graph/index.js';
import { lttngText } from './lttng-text/index.js';
import type { InputAdapter } from './types.js';

/** Every input format, in sniffing order (strict formats first). */
export const inputs: readonly InputAdapter[] = [functionGraph, dmesg, lttngText].sort((a, b) => a.priority - b.priority);

export function inputByName(name: string): InputAdapter | undefined {
  return inputs.find((a) => a.name === name);
}

/** Bytes of decoded text the sniffers see. */
export const SNIFF_BYTES = 64 * 1024;

/** Picks the adapter for a head of text: the first `yes`, else the first `maybe`. */
export function detect(head: string): { adapter?: InputAdapter; tried: string[] } {
  const tried: string[] = [];
  let maybe: InputAdapter | undefined;
  for (const a of inputs) {
    const r = a.sniff(head);
    tried.push(`${a.name}: ${r}`);
    if (r === 'yes') return { adapter: a, tried };
    if (r === 'maybe' && !maybe) maybe = a;
  }
  return maybe ? { adapter: maybe, tried } : { tried };
}

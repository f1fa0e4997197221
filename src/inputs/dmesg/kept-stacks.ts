/**
 * Stacks kept for `<Same stack as pid N>`, packed: each stack one Buffer (of its own) of the JSON
 * text of its frames' fields in one flat array. Thousands of stacks are kept; as frame objects they would
 * hold the line strings their names were cut from, megabytes of old lines that raise the heap V8
 * grows to before a full collection. Packed, a stack is a few hundred bytes outside the heap.
 */
import type { RawFrame } from '../../model/stacks.js';

const FIELDS = 5;

export function packFrames(frames: readonly RawFrame[]): Buffer {
  const flat: (string | number | null)[] = new Array(frames.length * FIELDS);
  let k = 0;
  for (const f of frames) {
    flat[k++] = f.name;
    flat[k++] = f.offset ?? null;
    flat[k++] = f.module ?? null;
    flat[k++] = f.context ?? null;
    flat[k++] = f.unreliable ? 1 : 0;
  }
  // Not from Buffer's shared pool: a kept stack would hold a whole pool slab (8 KB) of short-lived
  // buffers with it.
  const text = JSON.stringify(flat);
  const b = Buffer.allocUnsafeSlow(Buffer.byteLength(text, 'utf8'));
  b.write(text, 'utf8');
  return b;
}

/** The frames packed, each a new object with every field present (the shape blocks use). */
export function unpackFrames(packed: Buffer): RawFrame[] {
  const flat = JSON.parse(packed.toString('utf8')) as (string | number | null)[];
  const out: RawFrame[] = [];
  for (let k = 0; k + FIELDS <= flat.length; k += FIELDS) {
    out.push({
      name: flat[k] as string,
      offset: (flat[k + 1] as string | null) ?? undefined,
      module: (flat[k + 2] as string | null) ?? undefined,
      unreliable: flat[k + 4] === 1 ? true : undefined,
      context: (flat[k + 3] as string | null) ?? undefined,
    });
  }
  return out;
}

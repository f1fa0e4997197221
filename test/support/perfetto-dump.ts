import { perfettoSchema } from '../../src/outputs/perfetto/index.js';

/**
 * A readable, stable text dump of a Perfetto trace: one packet per line as JSON of the decoded
 * message (field names as in the .proto, 64-bit values as numbers, bytes as UTF-8 text).
 */
export function dumpPerfetto(bytes: Uint8Array): string {
  const Trace = perfettoSchema().lookupType('perfetto.protos.Trace');
  const msg = Trace.decode(bytes);
  const obj = Trace.toObject(msg, { longs: Number, enums: String, bytes: String, defaults: false, oneofs: false }) as {
    packet?: unknown[];
  };
  const decodeBytes = (_k: string, v: unknown) => v;
  return (obj.packet ?? []).map((p) => JSON.stringify(utf8Bytes(p), decodeBytes)).join('\n') + '\n';
}

/** InternedString.str is bytes (base64 after toObject): show it as text. */
function utf8Bytes(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(utf8Bytes);
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = k === 'str' && typeof x === 'string' ? Buffer.from(x, 'base64').toString('utf8') : utf8Bytes(x);
    return o;
  }
  return v;
}

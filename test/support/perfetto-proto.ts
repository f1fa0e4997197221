// Test helper: encode hand-written Perfetto traces with the project's proto
// subset (proto/perfetto_trace_subset.proto).
//
// Objects use the .proto field names (snake_case): the schema is loaded with
// keepCase, since protobufjs' default camelCase conversion would silently
// drop every snake_case property. Unknown property names are rejected here
// for the same reason (protobufjs ignores them without a word).

import path from 'node:path';
import {fileURLToPath} from 'node:url';
import protobuf from 'protobufjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const PERFETTO_SUBSET_PROTO = path.resolve(here, '..', '..', 'proto', 'perfetto_trace_subset.proto');

/** A message as a plain object keyed by .proto field names. */
export type ProtoObject = { [field: string]: ProtoValue };
// 64-bit values >= 2^53: pass decimal strings (protobufjs converts them).
export type ProtoValue = string | number | boolean | Uint8Array | ProtoObject | ProtoValue[] | null | undefined;

let root: protobuf.Root | undefined;

export function perfettoRoot(): protobuf.Root {
  if (!root) {
    // loadSync resolves the schema, which protobufjs needs to honour [packed].
    root = new protobuf.Root().loadSync(PERFETTO_SUBSET_PROTO, {keepCase: true});
    root.resolveAll();
  }
  return root;
}

export function perfettoType(name: string): protobuf.Type {
  return perfettoRoot().lookupType(`perfetto.protos.${name}`);
}

function checkKeys(type: protobuf.Type, obj: ProtoObject, where: string): void {
  for (const [key, value] of Object.entries(obj)) {
    const field = type.fields[key];
    if (!field) throw new Error(`${where}: ${type.name} has no field "${key}"`);
    if (value === undefined || value === null) continue;
    field.resolve();
    const sub = field.resolvedType;
    if (sub instanceof protobuf.Type) {
      const items = Array.isArray(value) ? value : [value];
      items.forEach((item, i) => {
        if (typeof item !== 'object' || item === null || item instanceof Uint8Array || Array.isArray(item)) {
          throw new Error(`${where}.${key}: expected a ${sub.name} object`);
        }
        checkKeys(sub, item as ProtoObject, Array.isArray(value) ? `${where}.${key}[${i}]` : `${where}.${key}`);
      });
    }
  }
}

/** Encodes one message, rejecting unknown field names. */
export function encodeMessage(typeName: string, obj: ProtoObject): Uint8Array {
  const type = perfettoType(typeName);
  checkKeys(type, obj, typeName);
  return type.encode(obj).finish();
}

/** Encodes a whole trace file: Trace { repeated TracePacket packet = 1; }. */
export function encodeTrace(packets: ProtoObject[]): Uint8Array {
  return encodeMessage('Trace', {packet: packets});
}

/** UTF-8 bytes, for `bytes` fields such as InternedString.str. */
export function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

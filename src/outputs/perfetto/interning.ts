/**
 * Interning: event names and categories per packet sequence (iids from 1 in order of first use,
 * a new entry riding in the packet that first uses it), and the writer's small, stable track
 * uuids in order of first use.
 */
import { FIELDS, PK } from './fields.js';
import type { ProtoWriter } from './proto-writer.js';

const ID = FIELDS.InternedData;
const NAME = FIELDS.EventName;

/** Interning tables and clock of one packet sequence. */
export interface Sequence {
  id: number;
  names: Map<string, number>;
  cats: Map<string, number>;
  /** Last value of the incremental clock (absolute ns). */
  clock: number;
}

export function newSequence(id: number, clock: number): Sequence {
  return { id, names: new Map(), cats: new Map(), clock };
}

/**
 * The names and categories first used by the packet being built: written as its InternedData
 * (event_categories, then event_names, each in order of use), then forgotten.
 */
export class NewNames {
  private cats: (string | number)[] = [];
  private names: (string | number)[] = [];

  get empty(): boolean {
    return this.cats.length === 0 && this.names.length === 0;
  }

  cat(seq: Sequence, s: string): number {
    let id = seq.cats.get(s);
    if (id === undefined) {
      id = seq.cats.size + 1;
      seq.cats.set(s, id);
      this.cats.push(id, s);
    }
    return id;
  }

  name(seq: Sequence, s: string): number {
    let id = seq.names.get(s);
    if (id === undefined) {
      id = seq.names.size + 1;
      seq.names.set(s, id);
      this.names.push(id, s);
    }
    return id;
  }

  /** The InternedData field of the packet, if anything is new. */
  write(w: ProtoWriter): void {
    if (this.empty) return;
    w.open(PK.internedData);
    writeEntries(w, ID.eventCategories, this.cats);
    writeEntries(w, ID.eventNames, this.names);
    w.close();
    this.cats.length = 0;
    this.names.length = 0;
  }
}

function writeEntries(w: ProtoWriter, field: number, list: (string | number)[]): void {
  for (let i = 0; i < list.length; i += 2) {
    w.open(field);
    w.u64(NAME.iid, list[i] as number);
    w.string(NAME.name, list[i + 1] as string);
    w.close();
  }
}

/** Track uuids: 1, 2, 3 ... in order of first use, by key. */
export class Uuids {
  private readonly byKey = new Map<string, number>();

  get(key: string): number {
    let u = this.byKey.get(key);
    if (u === undefined) {
      u = this.byKey.size + 1;
      this.byKey.set(key, u);
    }
    return u;
  }
}

/**
 * The values babeltrace prints in its field text, as plain JS values: scalars, enumerations,
 * arrays and structures (see `value-reader.ts` for the syntax).
 */

/** An enumeration value: its labels (empty when babeltrace printed `<unknown>`) and integer. */
export class EnumValue {
  constructor(
    readonly labels: string[],
    readonly value: Scalar,
  ) {}
}

export type Scalar = string | number | boolean | null;
export type Value = Scalar | EnumValue | Value[] | Fields;
export interface Fields {
  [name: string]: Value;
}

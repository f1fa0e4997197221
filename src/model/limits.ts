/**
 * The bounds every conversion keeps, whatever the input: past one of them the input gets a
 * diagnostic and the output stays valid (and the cost linear). They are data, in one place.
 */

/** Open slices kept per track; calls deeper than this are counted into the slice at the bound. */
export const MAX_DEPTH = 1024;

/**
 * Largest time or duration in ns: 2^53 - 1 (104 days). Beyond it a number is no longer exact
 * in a double, and Chrome JSON microseconds could not be written exactly.
 */
export const MAX_TIME_NS = Number.MAX_SAFE_INTEGER;

/** Largest pid or tid: Perfetto and Chrome JSON hold them as int32. */
export const MAX_ID = 0x7fffffff;

/** Largest CPU number: Perfetto's importer refuses a trace with a CPU of 1024 or more. */
export const MAX_CPU = 1023;

/** True when `ns` is a time the outputs can hold exactly. */
export function timeInRange(ns: number): boolean {
  return ns >= 0 && ns <= MAX_TIME_NS && Number.isInteger(ns);
}

/** Clamps a time into [0, MAX_TIME_NS] (integers; NaN becomes 0). */
export function clampTime(ns: number): number {
  if (!(ns > 0)) return 0;
  if (ns > MAX_TIME_NS) return MAX_TIME_NS;
  return Math.floor(ns);
}

/**
 * PerfSamples written for one stack (Perfetto counts samples, so a stack seen N times is N
 * packets); the stack's `count` argument keeps the true count. The whole trace gets at most
 * MAX_SAMPLES_TOTAL, so a histogram of huge counts cannot make gigabytes of output.
 */
export const MAX_SAMPLES_PER_STACK = 1 << 20;
export const MAX_SAMPLES_TOTAL = 1 << 24;

/**
 * The V8 heap setting of the command line (and of `npm run bench`, which measures what the
 * command line does). Only the command line sets it: a library call changes nothing global.
 *
 * A conversion keeps little alive (open stacks, names, held rows: 15–20 MB after a full
 * collection), but it allocates its input's worth of short-lived objects, and some of them
 * outlive a young collection and die in the old generation. V8 lets the old generation grow to
 * up to four times what survived the last full collection before it marks again, so the peak
 * held 40–70 MB of dead objects, at any input size, and the run that happened to peak high
 * passed 150 MB (1 GB dmesg → csv: 135, 157 and 148 MB in three runs). Growing by half keeps
 * that garbage near half the live heap (136, 137, 137, 140 MB). The extra full collections
 * are short, the live heap being small: about 5 % more cpu on dmesg → perfetto and 3 % on
 * lttng-text → perfetto (interleaved runs), none beyond noise elsewhere.
 */
import v8 from 'node:v8';

/** The old generation grows by this share of what the last full collection left. */
export const HEAP_GROWING_PERCENT = 50;

export function tuneHeap(): void {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

import type { TraceEvent } from '../model/events.js';

export type FoldedWeight = 'self' | 'total' | 'count';

export interface OutputOptions {
  /** Folded output: what a stack's number means (default: self time for timed inputs). */
  weight?: FoldedWeight;
  /** Chrome JSON: indent for human reading (goldens). */
  pretty?: boolean;
  /** Name of the input, recorded in metadata. */
  inputName?: string;
  /** Version string of the producer recorded in metadata. */
  producer?: string;
  /** Diagnostic counts of the input, known at the end and recorded in metadata. */
  diagnostics?: () => Record<string, number>;
  /** svg/html flame graphs: drawing options. */
  flame?: FlameOptions;
  /** Filters the events went through (`--tid 12`, ...), recorded in metadata. */
  filters?: Record<string, string>;
}

export interface FlameOptions {
  /** Root at the top (an icicle graph), as flamegraph.pl --inverted. */
  inverted?: boolean;
  /** Time on x, one lane per thread (flamegraph.pl --flamechart), for timed inputs. */
  chart?: boolean;
  /** Frames narrower than this many pixels are merged (flamegraph.pl --minwidth, default 0.1). */
  minWidth?: number;
  /** Replaces the title drawn on top. */
  title?: string;
}

/**
 * One writing run: receives batches of events, returns bytes to append to the output. Writers
 * never touch files or streams; the pipeline does.
 */
export interface OutputWriter {
  push(events: TraceEvent[]): Uint8Array | string | null;
  /**
   * Optional: the same bytes as `push`, in pieces made one after another as they are taken, so
   * a large release is never held whole. Every piece must be taken before the next call. The
   * pipeline prefers it when present.
   */
  pushChunks?(events: TraceEvent[]): Iterable<Uint8Array | string>;
  end(): Uint8Array | string | null;
  /**
   * Optional: the same bytes as `end()`, in pieces made one after another, so a large final
   * output (folded paths) is never held whole. The pipeline prefers it when present.
   */
  endChunks?(): Iterable<Uint8Array | string>;
  /**
   * Optional: the pipeline wrote out `chunk`, something `push`/`end` returned (called for every
   * one of them, or for none), so the writer may use its memory again.
   */
  written?(chunk: Uint8Array): void;
}

export interface OutputAdapter {
  name: string;
  description: string;
  /** File name endings that select this output from `-o`. */
  extensions: string[];
  binary: boolean;
  createWriter(options: OutputOptions): OutputWriter;
}

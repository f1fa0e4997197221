/**
 * The stack builder every stack input shares: it turns the frames a parser read (in the order a
 * kernel prints them, leaf first) into the `Frame[]` of a `sample` event (root first), applying
 * the user's normalisation options the same way for every input.
 *
 * Normalisation (`StackOptions`, which `InputOptions` takes in):
 * - `offsets` (default false): keep `+0x1a/0x40` on frames. Without offsets the same function
 *   called from two places of its caller is one frame, which is what a flame graph wants.
 * - `unreliable` (default false): keep `? func` frames. The unwinder prints `?` for return
 *   addresses it found on the stack but could not prove to be part of the call chain (stale
 *   values left by earlier calls); with frame pointers or ORC they are noise that splits otherwise
 *   identical stacks. When a stack has nothing but `?` frames (old kernels unwinding without
 *   frame pointers print every frame that way) they are all kept, marked, because they are the
 *   only evidence there is.
 * - `modules` (default true): keep the `[module]` a frame was printed with.
 */
import type { Frame } from './events.js';

/** Frames kept per stack; parsers stop adding (and report it) beyond this. */
export const MAX_FRAMES = 512;

/** A frame as a parser read it: every field the text had, before the options apply. */
export interface RawFrame {
  name: string;
  /** `0x1a/0x40` (or a decimal offset such as bpftrace's `5`), without the `+`. */
  offset?: string;
  module?: string;
  unreliable?: boolean;
  context?: string;
}

export interface BuiltStack {
  /** Root first. */
  frames: Frame[];
  /** `?` frames left out by the `unreliable` option. */
  droppedUnreliable: number;
  /** Every frame was `?`: all were kept (see the module comment). */
  onlyUnreliable: boolean;
}

/** The frame options every stack input shares (see the module comment). */
export interface StackOptions {
  /** Keep `+0x1a/0x40` offsets on frames (default false). */
  offsets: boolean;
  /** Keep `?` unreliable frames (default false). */
  unreliable: boolean;
  /** Keep `[module]` suffixes on frame names (default true). */
  modules: boolean;
}

/** The options as given (any may be left out) → every option, defaults filled in. */
export function stackOptions(o: Partial<StackOptions> | undefined): StackOptions {
  return { offsets: o?.offsets === true, unreliable: o?.unreliable === true, modules: o?.modules !== false };
}

export class StackBuilder {
  readonly options: StackOptions;

  constructor(options?: Partial<StackOptions>) {
    this.options = stackOptions(options);
  }

  /** Normalises one frame; returns undefined when the options drop it. */
  frame(r: RawFrame, keepUnreliable = this.options.unreliable): Frame | undefined {
    if (r.unreliable && !keepUnreliable) return undefined;
    const f: Frame = { name: r.name };
    if (this.options.offsets && r.offset) f.offset = r.offset;
    if (this.options.modules && r.module) f.module = r.module;
    if (r.unreliable) f.unreliable = true;
    if (r.context) f.context = r.context;
    return f;
  }

  /** Leaf-first frames as printed → root-first normalised frames. */
  build(leafFirst: readonly RawFrame[]): BuiltStack {
    let reliable = 0;
    for (const r of leafFirst) if (!r.unreliable) reliable++;
    const onlyUnreliable = reliable === 0 && leafFirst.length > 0;
    const keep = this.options.unreliable || onlyUnreliable;
    const frames: Frame[] = [];
    let dropped = 0;
    for (let i = leafFirst.length - 1; i >= 0; i--) {
      const f = this.frame(leafFirst[i]!, keep);
      if (f) frames.push(f);
      else dropped++;
    }
    return { frames, droppedUnreliable: dropped, onlyUnreliable: onlyUnreliable && !this.options.unreliable };
  }
}

/**
 * A frame as one text token: `func`, `func+0x1a/0x40`, `func [mod]`, `? func`. The one spelling
 * of a frame every output writes (outputs know it as `frameLabel`).
 */
export function frameText(f: Frame): string {
  let s = f.name;
  if (f.offset) s += `+${f.offset}`;
  if (f.module) s += ` [${f.module}]`;
  return f.unreliable ? `? ${s}` : s;
}

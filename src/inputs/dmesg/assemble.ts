/**
 * A call trace's frames into a block: section markers (`<IRQ>` ... `</IRQ>`, `<TASK>`), the
 * faulting location printed before the trace, arm32 `callee from caller` chains, held foreign
 * lines; a closed block goes to `emit`. Frames are kept leaf first, as printed.
 */
import type { Args } from '../../model/events.js';
import { MAX_FRAMES, type RawFrame } from '../../model/stacks.js';
import { emit } from './emit.js';
import { prose } from './incident.js';
import { copyFrame, MAX_GAP, newBlock, sectionContext, type Block, type CallerState, type DmesgState } from './state.js';
import type { Item } from './tokens.js';

/** Reports the held foreign lines as `code` and forgets them. */
export function flushGap(c: DmesgState, st: CallerState, code: 'dmesg.interleaved' | 'dmesg.prose'): void {
  const blk = st.block;
  if (!blk || blk.gap.length === 0) return;
  for (const l of blk.gap) c.report(code, l);
  blk.gap.length = 0;
}

/** A new block; it takes the state's pending fault and, without caller ids, a pending histogram count. */
export function openBlock(c: DmesgState, st: CallerState, no: number, ts: number | undefined, headed: boolean): Block {
  const blk = newBlock(no, ts, headed);
  if (st.fault) {
    blk.deferredFault = st.fault.frames;
    if (st.fault.ts !== undefined) blk.ts = st.fault.ts;
    st.fault = undefined;
  }
  const pending = c.hist.pending;
  if (pending && st === c.main) {
    blk.weight = pending.count;
    blk.histogram = { label: pending.label, line: pending.line };
    c.hist.pending = undefined;
  }
  st.block = blk;
  return blk;
}

/** Places the faulting location printed before the trace. */
function placeFault(c: DmesgState, st: CallerState, blk: Block, no: number): void {
  const fr = blk.deferredFault;
  if (!fr) return;
  blk.deferredFault = undefined;
  blk.faultAfterNmi = false;
  for (const f of fr) addFrame(c, st, blk, f, no, true);
}

function addFrame(c: DmesgState, st: CallerState, blk: Block, f: RawFrame, no: number, fromFault: boolean): void {
  if (st.skipNextFrame) {
    st.skipNextFrame = false;
    return;
  }
  const n = blk.frames.length;
  if (blk.lastWasFault && !fromFault && !f.unreliable && n > 0 && blk.frames[n - 1]!.name === f.name) {
    // `pc : foo+0x10` then `Call trace: foo+0x10`: one frame.
    blk.lastWasFault = false;
    return;
  }
  blk.lastWasFault = fromFault;
  if (n >= MAX_FRAMES) {
    if (!blk.capped) c.report('dmesg.frames-capped', no);
    blk.capped = true;
    return;
  }
  // A faulting location printed before the trace has no known context.
  if (blk.context && !f.context && !(fromFault && n === 0)) f.context = blk.context;
  blk.frames.push(f);
}

/** A section marker closes: `</TASK>` at the outside closes the whole trace (true). */
function closeSection(c: DmesgState, st: CallerState, blk: Block, section: string, no: number): boolean {
  const top = blk.sections[blk.sections.length - 1];
  if (top === section) blk.sections.pop();
  else {
    // `</IRQ>` with no `<IRQ>` (kernels before 4.14): the frames so far ran in the interrupt.
    const ctx = sectionContext(section);
    for (let k = blk.runStart; k < blk.frames.length; k++) if (!blk.frames[k]!.context) blk.frames[k]!.context = ctx;
  }
  const outer = blk.sections[blk.sections.length - 1];
  blk.context = outer ? sectionContext(outer) : undefined;
  if (section === 'NMI' && blk.faultAfterNmi) placeFault(c, st, blk, no);
  blk.runStart = blk.frames.length;
  if (section === 'TASK' && blk.sections.length === 0) {
    closeBlock(c, st);
    return true;
  }
  return false;
}

/** Frames and section markers of one line, in order. */
export function addItems(c: DmesgState, st: CallerState, blk: Block, items: Item[], no: number): void {
  for (const it of items) {
    if (blk.deferredFault && !blk.faultAfterNmi) {
      if (it.kind === 'open' && it.section === 'NMI' && blk.frames.length === 0) blk.faultAfterNmi = true;
      else placeFault(c, st, blk, no);
    }
    if (it.kind === 'frame') addFrame(c, st, blk, copyFrame(it.frame), no, false);
    else if (it.kind === 'open') {
      blk.sections.push(it.section);
      blk.context = sectionContext(it.section);
      blk.runStart = blk.frames.length;
    } else if (closeSection(c, st, blk, it.section, no)) return;
  }
}

/** A frame line: it goes on the open trace, or opens one when it is strong; else it is prose. */
export function frames(c: DmesgState, st: CallerState, items: Item[], strong: boolean, no: number, ts: number | undefined): void {
  let blk = st.block;
  if (!blk) {
    if (!strong) {
      prose(c, st, no);
      return;
    }
    blk = openBlock(c, st, no, ts, false);
  } else flushGap(c, st, 'dmesg.interleaved');
  addItems(c, st, blk, items, no);
}

/** A line we do not understand: held inside a trace (a few), else prose. */
export function text(c: DmesgState, st: CallerState, no: number): void {
  const blk = st.block;
  if (blk) {
    blk.gap.push(no);
    if (blk.gap.length > MAX_GAP) closeBlock(c, st);
    return;
  }
  prose(c, st, no);
}

/** A faulting location: inside a trace where the outer section was interrupted, else the next trace's leaf. */
export function fault(c: DmesgState, st: CallerState, frame: RawFrame, no: number, ts: number | undefined): void {
  const blk = st.block;
  if (blk) {
    flushGap(c, st, 'dmesg.interleaved');
    placeFault(c, st, blk, no);
    addFrame(c, st, blk, copyFrame(frame), no, true);
    return;
  }
  if (st.afterEnd) {
    c.report('dmesg.registers', no, 'the faulting location repeated after the end of the report');
    return;
  }
  if (st.fault && no - st.fault.line <= 2) st.fault.frames.push(copyFrame(frame));
  else st.fault = { frames: [copyFrame(frame)], line: no, ts };
}

/** A faulting location nobody's trace used: a report cut before its call trace. */
export function flushFault(c: DmesgState, st: CallerState): void {
  const f = st.fault;
  if (!f) return;
  st.fault = undefined;
  c.report('dmesg.truncated', f.line, `the report at line ${f.line} names where it faulted (${f.frames[f.frames.length - 1]!.name}) but has no call trace`);
  const blk = newBlock(f.line, f.ts, false);
  for (const fr of f.frames) blk.frames.push(fr);
  emit(c, st, blk, { truncated: true });
}

/** An arm32 `callee from caller` line. */
export function arm(c: DmesgState, st: CallerState, callee: RawFrame, caller: RawFrame | undefined, no: number, ts: number | undefined, inline: boolean): void {
  let blk = st.block;
  if (!blk) blk = openBlock(c, st, no, ts, false);
  else flushGap(c, st, 'dmesg.interleaved');
  placeFault(c, st, blk, no);
  const f = copyFrame(callee);
  const prev = blk.armCaller;
  if (prev && blk.armInline && blk.armCallee === f.name) {
    // Symbolised output: `(f) from (g file.c:1 [inline])` then `(f) from (h+0x..)` again. g was
    // inlined into h: a frame between f (already added) and h.
    addFrame(c, st, blk, prev, no, false);
    blk.armCaller = caller ? copyFrame(caller) : undefined;
    blk.armInline = inline;
    return;
  }
  if (prev && prev.name === f.name) {
    // The callee of this line is the caller of the last one; that line had its offset.
    if (prev.offset) f.offset = prev.offset;
    if (prev.module && !f.module) f.module = prev.module;
  } else if (prev && !prev.offset?.startsWith('0x0/')) {
    // The chain jumps (an exception entry such as `__irq_svc` before `Exception stack`):
    // the last caller is a frame of its own. A caller at offset 0 is a return address just
    // past a noreturn call, printed with the name of the next function: not a frame.
    addFrame(c, st, blk, prev, no, false);
  }
  addFrame(c, st, blk, f, no, false);
  blk.armCaller = caller ? copyFrame(caller) : undefined;
  blk.armInline = inline;
  blk.armCallee = f.name;
}

/** The trace is over: its frames become a sample (or a warning when there are none). */
export function closeBlock(c: DmesgState, st: CallerState): void {
  const blk = st.block;
  if (!blk) return;
  st.block = undefined;
  placeFault(c, st, blk, blk.line);
  if (blk.armCaller) addFrame(c, st, blk, blk.armCaller, blk.line, false);
  // Held foreign lines were after the trace, not inside it.
  for (const l of blk.gap) c.report('dmesg.prose', l);
  blk.gap.length = 0;
  if (blk.frames.length === 0) {
    if (blk.headed) c.report('dmesg.empty-trace', blk.line);
    else if (blk.bpf) c.report('dmesg.empty-trace', blk.line, 'a bpftrace map entry without frames');
    return;
  }
  let extra: Args | undefined;
  if (blk.sections.length > 0) {
    c.report('dmesg.truncated', blk.line, `the call trace at line ${blk.line} ends inside <${blk.sections[blk.sections.length - 1]}>`);
    extra = { truncated: true };
  }
  emit(c, st, blk, extra);
}

/** Everything the state still holds becomes samples (end of input, or the state is dropped). */
export function finishState(c: DmesgState, st: CallerState): void {
  closeBlock(c, st);
  flushFault(c, st);
}

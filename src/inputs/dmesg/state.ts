/**
 * The state the dmesg interpreter works over: a *report* (incident) per task or CPU, the *block*
 * of frames being read, and the parser-wide `DmesgState` every step receives.
 */
import type { Report } from '../../model/diagnostics.js';
import type { TraceSink } from '../../model/sink.js';
import type { RawFrame, StackBuilder } from '../../model/stacks.js';
import { CallerStates } from './callers.js';

/**
 * A report whose traces were printed ends at `---[ end trace`, at the next report, or when the
 * log moves on: this many prose lines in a row, or this much time without a line of it.
 */
export const REPORT_PROSE_LINES = 40;
export const REPORT_IDLE_NS = 5e9;
/** A trace of a task or CPU whose state names no report belongs to one begun this close by another. */
export const BORROW_LINES = 300;
/** Foreign lines held inside a trace before it is considered finished. */
export const MAX_GAP = 3;
/** Per-caller states kept (least recently used are finished first). */
export const MAX_CALLERS = 256;
/** A refining header (`Oops:` after `BUG: unable to handle`) belongs to a report begun this close. */
export const REFINE_LINES = 12;
/** Task names remembered by pid. */
export const MAX_NAMES = 65536;
/** Stacks remembered by pid for `<Same stack as pid N>`. */
export const MAX_LAST_STACKS = 4096;

export interface Incident {
  reason: string;
  title: string;
  line: number;
  /** Time of the header line. */
  ts: number | undefined;
  stacks: number;
  /** Time and line of the last line that belonged to the report. */
  lastTs: number | undefined;
  lastLine: number;
  /** Prose lines in a row since then. */
  prose: number;
}

export interface Block {
  line: number;
  ts: number | undefined;
  frames: RawFrame[];
  capped: boolean;
  /** Opened by `Call Trace:` (an empty one is worth a warning). */
  headed: boolean;
  /** Histogram weight, or 1. */
  weight: number;
  histogram?: { label: string; line: number };
  bpf?: { name: string; key: string };
  /** Section stack (`IRQ`, `TASK`, ...) and the context of frames being read. */
  sections: string[];
  context: string | undefined;
  /** First frame index of the run since the last section marker. */
  runStart: number;
  /**
   * The faulting location printed before the trace, not placed yet: it is the leaf, unless the
   * trace starts in `<NMI>` (an NMI backtrace shows the registers of the code the NMI
   * interrupted), where it goes right below the NMI frames.
   */
  deferredFault: RawFrame[] | undefined;
  faultAfterNmi: boolean;
  /** The last frame came from a fault line (a following frame of the same function repeats it). */
  lastWasFault: boolean;
  /** arm32: the caller of the last `callee from caller` line, pushed at the end. */
  armCaller: RawFrame | undefined;
  /** The last arm32 caller was printed `[inline]`; the callee of that line. */
  armInline: boolean;
  armCallee: string;
  /** Line numbers of foreign lines since the last frame. */
  gap: number[];
  /** Frames copied from `<Same stack as pid N>`. */
  sameAs?: number;
}

/** What one task's or CPU's output (one caller id, or the whole log without ids) is in the middle of. */
export interface CallerState {
  incident: Incident | undefined;
  cpu: number | undefined;
  pid: number | undefined;
  comm: string | undefined;
  /** `task state`, `NMI backtrace`: what the task line said, for traces without a report. */
  taskKind: string | undefined;
  label: string | undefined;
  /** Stacks emitted since the report context was last set. */
  emitted: number;
  /** Faulting location(s) printed before the trace (an inlined function first), leaf first. */
  fault: { frames: RawFrame[]; line: number; ts: number | undefined } | undefined;
  /** After `---[ end trace`: a `RIP:` now is the recap modern kernels print, not a new report. */
  afterEnd: boolean;
  block: Block | undefined;
  skipNextFrame: boolean;
}

/** Stack histograms: a count line waiting for its stack, stated totals, and what was listed. */
export interface Histograms {
  pending: { label: string; count: number; line: number } | undefined;
  statedTotal: number;
  statedTotalLine: number;
  weight: number;
  entries: number;
  bpfEntries: number;
}

/** What the info event says about the whole input. */
export interface Summary {
  samples: number;
  timedSamples: number;
  totalWeight: number;
  sawCaller: boolean;
  sawSyslog: boolean;
  sawNumbers: boolean;
}

export interface DmesgState {
  readonly report: Report;
  readonly sink: TraceSink;
  readonly stacks: StackBuilder;
  /** The state of lines without a caller id. */
  readonly main: CallerState;
  /** Per caller id, in least-recently-used order. */
  readonly callers: CallerStates<CallerState>;
  /** Task names by pid (bounded). */
  readonly names: Map<number, string>;
  /** The report begun last in any task's or CPU's output. */
  lastIncident: Incident | undefined;
  /** Last stack seen per task, for `<Same stack as pid N>` (bounded), packed (`kept-stacks.ts`). */
  readonly lastStacks: Map<number, Buffer>;
  readonly hist: Histograms;
  readonly summary: Summary;
}

const SECTION_CONTEXT: Record<string, string> = { IRQ: 'irq', NMI: 'nmi', SOFTIRQ: 'softirq', TASK: 'task' };
export const sectionContext = (name: string) => SECTION_CONTEXT[name] ?? name.toLowerCase();

/**
 * A frame of a block: a copy (tokens and remembered stacks stay as they were) with every field
 * present, so that all frames share one object shape and reading them stays fast.
 */
export function copyFrame(f: RawFrame): RawFrame {
  return { name: f.name, offset: f.offset, module: f.module, unreliable: f.unreliable, context: f.context };
}

export function newBlock(line: number, ts: number | undefined, headed: boolean): Block {
  return {
    line,
    ts,
    frames: [],
    capped: false,
    headed,
    weight: 1,
    sections: [],
    context: undefined,
    runStart: 0,
    deferredFault: undefined,
    faultAfterNmi: false,
    lastWasFault: false,
    armCaller: undefined,
    armInline: false,
    armCallee: '',
    gap: [],
  };
}

export function newCallerState(): CallerState {
  return {
    incident: undefined,
    cpu: undefined,
    pid: undefined,
    comm: undefined,
    taskKind: undefined,
    label: undefined,
    emitted: 0,
    fault: undefined,
    block: undefined,
    skipNextFrame: false,
    afterEnd: false,
  };
}

/** Forgets the task, label and fault of the report (a new one begins). */
export function resetReport(st: CallerState): void {
  st.cpu = undefined;
  st.pid = undefined;
  st.comm = undefined;
  st.taskKind = undefined;
  st.label = undefined;
  st.emitted = 0;
  st.fault = undefined;
}

/** A finished state made new again (every field as `newCallerState` sets it). */
export function resetCallerState(st: CallerState): void {
  resetReport(st);
  st.incident = undefined;
  st.block = undefined;
  st.skipNextFrame = false;
  st.afterEnd = false;
}

export function newDmesgState(report: Report, sink: TraceSink, stacks: StackBuilder): DmesgState {
  return {
    report,
    sink,
    stacks,
    main: newCallerState(),
    callers: new CallerStates(MAX_CALLERS, newCallerState, resetCallerState),
    names: new Map(),
    lastIncident: undefined,
    lastStacks: new Map(),
    hist: { pending: undefined, statedTotal: 0, statedTotalLine: 0, weight: 0, entries: 0, bpfEntries: 0 },
    summary: { samples: 0, timedSamples: 0, totalWeight: 0, sawCaller: false, sawSyslog: false, sawNumbers: false },
  };
}

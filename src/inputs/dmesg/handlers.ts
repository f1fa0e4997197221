/**
 * One handler per token kind, over the parser's state and the line's caller state: what a line
 * of that kind does to the report and the trace being read.
 */
import { addItems, arm, closeBlock, fault, flushFault, flushGap, frames, openBlock, text } from './assemble.js';
import { bpfClose, bpfOpen, countLine, totalLine } from './histogram.js';
import { beginIncident, endIncident, prose } from './incident.js';
import { REFINE_LINES, type CallerState, type DmesgState } from './state.js';
import type { Token } from './tokens.js';
import { unpackFrames } from './kept-stacks.js';

type Handler<K extends Token['t']> = (c: DmesgState, st: CallerState, tok: Extract<Token, { t: K }>, no: number, ts: number | undefined) => void;

/** `Call Trace:` then `<Same stack as pid 2294>`: the stack printed for that task. */
const sameStack: Handler<'same-stack'> = (c, st, tok, no) => {
  const prev = c.lastStacks.get(tok.pid);
  const blk = st.block;
  if (blk && prev && blk.frames.length === 0) {
    for (const f of unpackFrames(prev)) blk.frames.push(f);
    blk.sameAs = tok.pid;
  } else text(c, st, no);
};

/** A report header; a refining one (`Oops:` right after `BUG: unable to handle`) is part of the report begun. */
const header: Handler<'header'> = (c, st, tok, no, ts) => {
  st.afterEnd = false;
  closeBlock(c, st);
  const inc = st.incident;
  if (tok.refine && inc && inc.stacks === 0 && no - inc.line <= REFINE_LINES) return;
  flushFault(c, st);
  beginIncident(c, st, tok.reason, tok.title, no, ts);
  st.cpu = tok.cpu;
  st.pid = tok.pid;
  st.comm = tok.comm;
};

/** A task line: whose traces follow. */
const task: Handler<'task'> = (c, st, tok) => {
  if (tok.newDump) st.afterEnd = false;
  closeBlock(c, st);
  if (tok.newDump) {
    // A pending fault stays: old x86 prints `IP:` before the `CPU:` line of the same report.
    if (st.emitted > 0 || tok.cpu !== undefined) {
      st.cpu = undefined;
      st.pid = undefined;
      st.comm = undefined;
    }
    st.label = undefined;
  }
  st.emitted = 0;
  if (tok.cpu !== undefined) st.cpu = tok.cpu;
  if (tok.pid !== undefined) st.pid = tok.pid;
  if (tok.comm !== undefined) st.comm = tok.comm;
  else if (tok.pid !== undefined) st.comm = c.names.get(tok.pid);
  if (tok.kind !== undefined) st.taskKind = tok.kind;
};

const label: Handler<'label'> = (c, st, tok) => {
  closeBlock(c, st);
  st.label = tok.text;
  if (tok.pid !== undefined) {
    if (tok.pid !== st.pid) st.comm = c.names.get(tok.pid);
    st.pid = tok.pid;
    st.cpu = undefined;
  }
};

/** A line holding only `[module]`: the end of the last frame, which a mailer wrapped. */
const wrappedModule: Handler<'wrapped-module'> = (c, st, tok, no) => {
  const blk = st.block;
  const last = blk?.frames[blk.frames.length - 1];
  if (blk && last && !last.module && blk.gap.length === 0) {
    last.module = tok.module;
    c.report('dmesg.joined-line', no);
  } else text(c, st, no);
};

const HANDLERS: { [K in Token['t']]: Handler<K> } = {
  blank: (c, st) => {
    if (st.block) closeBlock(c, st);
  },
  frames: (c, st, tok, no, ts) => frames(c, st, tok.items, tok.strong, no, ts),
  arm: (c, st, tok, no, ts) => arm(c, st, tok.callee, tok.caller, no, ts, tok.callerInline === true),
  'bad-frame': (c, st, _tok, no) => {
    if (st.block) {
      flushGap(c, st, 'dmesg.interleaved');
      c.report('dmesg.bad-frame', no);
    } else prose(c, st, no);
  },
  fault: (c, st, tok, no, ts) => fault(c, st, tok.frame, no, ts),
  'trace-start': (c, st, tok, no, ts) => {
    st.afterEnd = false;
    closeBlock(c, st);
    const blk = openBlock(c, st, no, ts, true);
    if (tok.items.length) addItems(c, st, blk, tok.items, no);
  },
  'trace-end': (c, st) => {
    closeBlock(c, st);
    flushFault(c, st);
    endIncident(c, st);
    st.afterEnd = true;
  },
  'same-stack': sameStack,
  header,
  task,
  label,
  registers: (c, _st, _tok, no) => c.report('dmesg.registers', no),
  code: (c, _st, _tok, no) => c.report('dmesg.code', no),
  report: () => {},
  'skip-next-frame': (c, st) => {
    closeBlock(c, st);
    st.skipNextFrame = true;
  },
  count: (c, st, tok, no) => countLine(c, st, tok, no),
  total: (c, _st, tok, no) => totalLine(c, tok, no),
  'bpf-open': bpfOpen,
  'bpf-close': (c, st, tok, no) => bpfClose(c, st, tok, no),
  'wrapped-module': wrappedModule,
  text: (c, st, _tok, no) => text(c, st, no),
};

/** Hands a token to the handler of its kind. */
export function handle(c: DmesgState, st: CallerState, tok: Token, no: number, ts: number | undefined): void {
  (HANDLERS[tok.t] as Handler<Token['t']>)(c, st, tok as never, no, ts);
}

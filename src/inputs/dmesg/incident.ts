/** A report's life on one task's or CPU's state: begun by a header, borrowed, ended. */
import { BORROW_LINES, REPORT_IDLE_NS, REPORT_PROSE_LINES, resetReport, type CallerState, type DmesgState, type Incident } from './state.js';

export function endIncident(c: DmesgState, st: CallerState): void {
  if (c.lastIncident === st.incident) c.lastIncident = undefined;
  st.incident = undefined;
  resetReport(st);
}

/** A header line: the report it begins (its task when the header names one). */
export function beginIncident(c: DmesgState, st: CallerState, reason: string, title: string, no: number, ts: number | undefined): void {
  resetReport(st);
  st.incident = { reason, title, line: no, ts, stacks: 0, lastTs: ts, lastLine: no, prose: 0 };
  c.lastIncident = st.incident;
}

/** The report a trace belongs to: its own task's or CPU's, else one begun just before by another. */
export function incidentOf(c: DmesgState, st: CallerState, no: number, ts: number | undefined): Incident | undefined {
  if (st.incident) return st.incident;
  const li = c.lastIncident;
  if (!li) return undefined;
  if (ts !== undefined && li.lastTs !== undefined) return ts - li.lastTs <= REPORT_IDLE_NS ? li : undefined;
  return no - li.lastLine <= BORROW_LINES ? li : undefined;
}

/**
 * A line of the state's output that is not blank: it keeps the report alive (unless it is prose),
 * or ends a report whose traces were printed when the log has been quiet too long.
 */
export function touchIncident(c: DmesgState, st: CallerState, prose: boolean, no: number, ts: number | undefined): void {
  const inc = st.incident;
  if (!inc) return;
  if (inc.stacks > 0 && !st.block && ts !== undefined && inc.lastTs !== undefined && ts - inc.lastTs > REPORT_IDLE_NS) {
    endIncident(c, st);
  } else if (!prose) {
    inc.lastTs = ts;
    inc.lastLine = no;
    inc.prose = 0;
  }
}

/** A line nobody understands, outside a trace: reported; enough of them in a row end the report. */
export function prose(c: DmesgState, st: CallerState, no: number): void {
  c.report('dmesg.prose', no);
  const inc = st.incident;
  if (inc && inc.stacks > 0 && ++inc.prose >= REPORT_PROSE_LINES) endIncident(c, st);
  else if (!inc && st.emitted > 0) {
    // Text after a trace without a report ends what the task line said.
    resetReport(st);
  }
}

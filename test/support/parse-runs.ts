/**
 * One input adapter's whole run over a text, through its text path or its byte path (the
 * splitter's reads of given sizes): the events and diagnostics, for tests that compare the two.
 */
import { expect } from 'vitest';
import type { InputAdapter, InputOptions } from '../../src/inputs/types.js';
import type { Diagnostic } from '../../src/model/diagnostics.js';
import { DiagnosticCollector } from '../../src/model/diagnostics.js';
import type { TraceEvent } from '../../src/model/events.js';
import { LineSplitter } from '../../src/pipeline/lines.js';

export interface ParseRun {
  events: TraceEvent[];
  diags: Diagnostic[];
}

/** Through the text path: every line as text, in one push. */
export function parseText(adapter: InputAdapter, text: string, options: InputOptions = {}): ParseRun {
  const diags: Diagnostic[] = [];
  const c = new DiagnosticCollector('t', (d) => diags.push(d));
  const split = new LineSplitter(c.report);
  const ls = [...split.push(Buffer.from(text, 'utf8')), ...split.end()];
  const p = adapter.createParser({ file: 't', report: c.report, options });
  return { events: [...p.push(ls, 1), ...p.end()], diags };
}

/** Through the byte path, fed in reads of the given sizes (cycled). */
export function parseBytes(adapter: InputAdapter, text: string, options: InputOptions, sizes: number[]): ParseRun {
  const diags: Diagnostic[] = [];
  const c = new DiagnosticCollector('t', (d) => diags.push(d));
  const split = new LineSplitter(c.report);
  const p = adapter.createParser({ file: 't', report: c.report, options });
  expect(p.pushBytes).toBeDefined();
  const bytes = Buffer.from(text, 'utf8');
  const events: TraceEvent[] = [];
  let k = 0;
  for (let o = 0; o < bytes.length; k++) {
    const n = sizes[k % sizes.length]!;
    const b = split.pushBytes(bytes.subarray(o, o + n));
    if (b) for (const e of p.pushBytes!(b)) events.push(e);
    o += n;
  }
  const b = split.endBytes();
  if (b) for (const e of p.pushBytes!(b)) events.push(e);
  for (const e of p.end()) events.push(e);
  return { events, diags };
}

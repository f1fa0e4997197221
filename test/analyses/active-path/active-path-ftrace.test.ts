/**
 * The active-path scenarios again, from their ftrace event-text renderings
 * (test/fixtures/active-path/*.ftrace.txt), through the `ftrace-events` input: the same paths,
 * segment for segment, as from their babeltrace2 renderings (whose expected segments are
 * written in active-path.test.ts), except where ftrace's flags column states the waking's
 * context (04b, written here).
 *
 * Not in the suite until the `ftrace-events` input is registered: rename this file to
 * `active-path-ftrace.test.ts` then. It fails (it does not skip) when the input is missing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { activePath } from '../../../src/analyses/active-path/index.js';
import { inputByName } from '../../../src/inputs/registry.js';
import { DiagnosticCollector } from '../../../src/model/diagnostics.js';
import type { TraceEvent } from '../../../src/model/events.js';
import { lttngText } from '../../../src/inputs/lttng-text/index.js';
import { SCENARIOS } from '../../support/active-path-scenarios.js';

const FIXTURES = path.join(import.meta.dirname, '..', '..', 'fixtures', 'active-path');

function lttngEvents(text: string): TraceEvent[] {
  const c = new DiagnosticCollector('t');
  const p = lttngText.createParser({ file: 't', report: c.report, options: {} });
  return [...p.push(text.split('\n').filter(Boolean), 1), ...p.end()];
}

/** Segments with times from the scenario start (the clocks of the two forms differ). */
function relative(evs: TraceEvent[]) {
  const base = Math.min(...evs.filter((e) => 'ts' in e).map((e) => (e as { ts: number }).ts));
  return activePath(evs, { tid: 100 }).segments.map((s) => ({ ...s, start: (s.start - base) / 1000, end: (s.end - base) / 1000 }));
}

function ftraceEvents(text: string): TraceEvent[] {
  const input = inputByName('ftrace-events');
  if (!input) throw new Error('the ftrace-events input is not registered');
  const c = new DiagnosticCollector('t');
  const p = input.createParser({ file: 't', report: c.report, options: {} });
  return [...p.push(text.split('\n'), 1), ...p.end()];
}

describe('active path: the scenarios of critical-path.md §7 (ftrace event text)', () => {
  for (const s of SCENARIOS) {
    it(`${s.name}: the path of the babeltrace2 form`, () => {
      const got = relative(ftraceEvents(fs.readFileSync(path.join(FIXTURES, `${s.name}.ftrace.txt`), 'utf8')));
      expect(got.some((x) => x.tid === 0)).toBe(false);
      if (s.name === '04b-wrong-path-softirq-flag') {
        // The flags say softirq ('..s.'): an interrupt woke T, not the idle CPU.
        expect(got.map((x) => [x.comm, x.start, x.end, x.state, x.reason])).toEqual([
          ['T', 0, 10, 'RUNNING', ''],
          ['T', 10, 82, 'SOFTIRQ', 'softirq'],
          ['T', 82, 84, 'PREEMPTED', ''],
          ['T', 84, 90, 'RUNNING', ''],
        ]);
        return;
      }
      const want = relative(lttngEvents(fs.readFileSync(path.join(FIXTURES, `${s.name}.lttng.txt`), 'utf8')));
      expect(got).toEqual(want);
    });
  }
});

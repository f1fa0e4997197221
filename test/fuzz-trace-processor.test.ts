/**
 * A sample of fuzzed Perfetto outputs loaded in Google's trace processor: none may raise an
 * error or data_loss stat (mismatched sched_switch tids, unbalanced slices, bad times, ...).
 * Run under the shared heavy lock: `flock /tmp/tb-heavy.lock npx vitest run test/fuzz-trace-processor.test.ts`
 * (`FUZZ_TP_CASES=N` for N cases per input).
 */
import { describe, expect, it } from 'vitest';
import { inputs } from '../src/inputs/registry.js';
import { mutatedCases } from '../src/fuzz/run.js';
import { convert } from '../src/pipeline/convert.js';
import { SAMPLES } from './support/convert-helpers.js';
import { queryTrace } from './support/trace-processor.js';

/** Cases per input; `FUZZ_TP_CASES=200` loads more (same seed, so the first 8 are the usual ones). */
const PER_INPUT = Number(process.env.FUZZ_TP_CASES ?? 8);

describe('fuzzed Perfetto outputs in the trace processor', () => {
  for (const a of inputs) {
    const cases = mutatedCases(20261203, a.name, PER_INPUT, SAMPLES);
    it.each(cases.map((c, i) => [i, c.sample, c.applied.join('+'), c] as const))(`${a.name} case %i (%s, %s): no error or data_loss`, async (_i, _s, _m, c) => {
      const r = await convert({ input: c.bytes, from: a.name, to: 'perfetto' });
      const tp = await queryTrace(r.output!, ['select count(*) as n from slice']);
      expect(tp.ok, tp.error).toBe(true);
      expect(tp.importErrors.map((s) => `${s.name}=${s.value}`)).toEqual([]);
    });
  }
});

/**
 * End-to-end: the Perfetto output of every ftrace-events sample in Google's Perfetto trace
 * processor: accepted, no import errors, and the scheduling, thread state, wake-up, interrupt,
 * syscall and stack counts of the text.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'vitest';
import { SAMPLES, samplesOf } from './support/convert-helpers.js';
import { expectCounts } from './support/ftrace-text.js';

describe('ftrace-events samples in the Perfetto trace processor', () => {
  for (const sample of samplesOf('ftrace-events')) {
    it(sample, async () => {
      const bytes = fs.readFileSync(path.join(SAMPLES, 'ftrace-events', sample));
      await expectCounts(bytes.toString('utf8'), new Uint8Array(bytes));
    }, 120_000);
  }
});

// vitest globalSetup: fetch and verify the trace processor engine once,
// before any test worker starts. Use with
//   test: { globalSetup: ['test/support/global-setup.ts'] }
import {ensureTraceProcessor} from './trace-processor.js';

export default async function setup(): Promise<void> {
  await ensureTraceProcessor();
}

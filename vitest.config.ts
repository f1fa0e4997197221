import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // Two cores: trace-processor checks run in child processes, so keep test files to two at once.
    maxWorkers: 2,
    minWorkers: 1,
    // Concurrent tests spawn trace-processor processes: a few at a time, or on 2 cores the
    // vitest main process starves and its worker RPC times out.
    maxConcurrency: 2,
  },
});

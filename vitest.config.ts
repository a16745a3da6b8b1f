import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Suited to a small, shared machine (2 cores, other jobs running): test files run in child
 * processes, at most one per spare core, and nothing in a test blocks its worker's event loop for
 * long (CLI runs are asynchronous: see test/cli/snapshot-helpers.ts). A worker whose loop is blocked
 * cannot answer vitest's own RPC, which then fails the run ("Timeout calling onTaskUpdate") after
 * every test passed. Timeouts are generous because a busy machine is slow, not broken; no test
 * asserts on elapsed time (speed is measured by `npm run bench:*`).
 */
const workers = Math.max(1, Math.min(4, availableParallelism() - 1));

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/_setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
    pool: 'forks',
    maxWorkers: workers,
    minWorkers: 1,
  },
});

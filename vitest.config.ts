// Test runner config: unit and e2e suites, each file in its own forked process, two at a time (2 cores).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/e2e/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    pool: 'forks', // dynos are real process groups; forks isolate signals and cwd better than threads
    fileParallelism: true,
    minWorkers: 1,
    maxWorkers: 2,
    testTimeout: 90_000, // e2e tests drive real daemons and builds on a 2-core machine; unit tests take milliseconds
    hookTimeout: 60_000,
  },
});

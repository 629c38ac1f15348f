import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Both cores: one file at a time took over 14 minutes; files share no state (each has its own
    // DATA_DIR, PostgreSQL schema and Redis key prefix).
    maxWorkers: 2,
    // Names the run; its PostgreSQL schemas are dropped when it ends, never while it runs.
    globalSetup: ['test/support/test-run.ts'],
  },
});

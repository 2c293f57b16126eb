import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // A guard against a hang, not a measure of speed (npm run bench measures that): the end-to-end tests
    // run the real executable, and a loaded CI machine may take several times as long as a quiet one.
    testTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: one on the 2-core CI machine. Most of an
    // end-to-end test's time is spent waiting on the callqa it started, so two files at a time take
    // about half as long, with the same results.
    maxWorkers: 2,
    // Temporary directories made through test/helpers/temp.ts are removed after each file.
    setupFiles: ['test/helpers/cleanup.ts'],
  },
});

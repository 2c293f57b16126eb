import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    pool: 'forks',
    // Temporary directories made through test/helpers/temp.ts are removed after each file.
    setupFiles: ['test/helpers/cleanup.ts'],
  },
});

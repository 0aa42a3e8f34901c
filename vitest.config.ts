import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // the default output, then every skipped test by name (test/reporters/skipped.ts)
    reporters: ['default', './test/reporters/skipped.ts'],
  },
});

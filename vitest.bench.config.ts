import { defineConfig } from 'vitest/config';

// Benchmarks that need Chromium and browser mode (test/e2e/*.bench.ts), run by
// scripts/bench/annotate-latency.ts from `npm run bench`; no test project includes them.
export default defineConfig({
  test: {
    name: 'bench',
    include: ['test/e2e/**/*.bench.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
  },
});

import { defineConfig } from 'vitest/config';

// `npm run test:reliability`: the long reliability runs (the full malformed-image corpus, repeated
// server kills). Their quick variants (test/reliability/*.test.ts) run with every `npm test`.
export default defineConfig({
  test: {
    include: ['test/reliability/**/*.long.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
  },
});

import { defineConfig } from 'vitest/config';

// The `e2e` project: real Chromium (Debian's /usr/bin/chromium) driving browser mode; needs
// `node scripts/build.mjs --renderer` first. Sequential, because each test file starts a server and a
// browser. The annotation-latency benchmark beside these files runs from `npm run bench`.
export default defineConfig({
  test: {
    name: 'e2e',
    include: ['test/e2e/**/*.e2e.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
    // Run together (`npx vitest run`): unit first, then integration, then e2e.
    sequence: { groupOrder: 2 },
  },
});

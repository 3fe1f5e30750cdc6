import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';
import { INTEGRATION_TESTS } from './vitest.integration.config';

/**
 * The `unit` project, `npm run test:unit`: every `*.test.ts` that starts no process of its own and
 * trains nothing (pure functions, the store, services, the browser-mode server in this process, the
 * renderer's logic). The fast loop while developing.
 */
export default defineConfig({
  plugins: [svelte({ hot: false })],
  test: {
    name: 'unit',
    include: ['test/**/*.test.ts'],
    exclude: ['node_modules/**', ...INTEGRATION_TESTS],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Files share each worker's modules (about three times faster than fresh ones per file), so a unit
    // test must leave no global state behind: restore fake timers, set the tfjs backend it relies on.
    poolOptions: { forks: { isolate: false } },
    // Run together (`npx vitest run`): unit first, then integration, then e2e.
    sequence: { groupOrder: 0 },
  },
});

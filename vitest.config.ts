import { defineConfig } from 'vitest/config';

/**
 * Every test, as three projects with a config file each: `unit` (fast, no processes, no training),
 * `integration` (forks, spawns or trains) and `e2e` (Chromium against browser mode; build the renderer
 * first). `npx vitest run FILE` runs a file in its project, `--project unit` one project. `npm test`
 * (scripts/test.mjs) runs the projects one after the other, each with its own pool settings, and
 * prints the time of each.
 */
export default defineConfig({
  test: {
    projects: ['vitest.unit.config.ts', 'vitest.integration.config.ts', 'vitest.e2e.config.ts'],
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});

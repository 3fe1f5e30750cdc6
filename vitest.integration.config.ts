import { defineConfig } from 'vitest/config';

/**
 * The `integration` project: test files that start a process of their own (the engine, the command
 * line's bin, a server, a script, a GPU probe) or train a network. Every other `*.test.ts` is a unit
 * test (vitest.unit.config.ts). A file that starts to fork, spawn or train belongs in this list.
 */
export const INTEGRATION_TESTS = [
  // Reliability: servers killed, engines killed, corrupt files read in child processes, full disks.
  'test/reliability/**/*.test.ts',
  'test/scripts/check-layers.test.ts',
  'test/scripts/vitest-report.test.ts',
  'test/src-main/cli/cli-end-to-end.test.ts',
  'test/src-main/cli/cli-usage.test.ts',
  'test/src-main/engine/engine-client.test.ts',
  'test/src-main/engine/gpu-doctor.test.ts',
  'test/src-main/engine/ort-train/ort-trainer.test.ts',
  'test/src-main/engine/ort-train/training-graph.test.ts',
  'test/src-main/engine/trainer-learning.test.ts',
  'test/src-main/engine/trainer.test.ts',
  'test/src-main/services/prediction-loop.test.ts',
  'test/src-main/services/segmentation-service.test.ts',
  'test/src-main/services/split-plan.test.ts',
  'test/src-main/services/training-service.test.ts',
  'test/src-main/store/crash-durability.test.ts',
];

export default defineConfig({
  test: {
    name: 'integration',
    include: INTEGRATION_TESTS,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Run together (`npx vitest run`): unit first, then integration, then e2e.
    sequence: { groupOrder: 1 },
    // Training and engine processes take cores and memory of their own: two files at a time.
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});

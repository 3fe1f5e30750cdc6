#!/usr/bin/env node
// `npm test`: the whole suite, in the order that fails fastest: layer rule, type checks, unit/engine/
// integration tests (Vitest), then the end-to-end tests in Chromium against browser mode.
// Ends with one summary line "tests: N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = path.join(root, 'test-results');
mkdirSync(resultsDir, { recursive: true });
const args = new Set(process.argv.slice(2));
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const totals = { passed: 0, failed: 0, skipped: 0 };
let failedSteps = [];

function step(name, command, commandArgs, env = {}) {
  const t0 = Date.now();
  console.log(`\n=== ${name}`);
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = result.status === 0;
  console.log(`=== ${name}: ${ok ? 'ok' : 'FAILED'} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  if (!ok) failedSteps.push(name);
  return ok;
}

function countVitest(file) {
  if (!existsSync(file)) return;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  totals.passed += report.numPassedTests ?? 0;
  totals.failed += report.numFailedTests ?? 0;
  totals.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
}

step('layer check', process.execPath, [path.join(root, 'scripts', 'check-layers.mjs')]);
if (!args.has('--no-typecheck')) {
  step('type check: src-shared', bin('tsc'), ['-p', 'src-shared']);
  step('type check: src-main', bin('tsc'), ['-p', 'src-main']);
  step('type check: src-renderer', bin('svelte-check'), ['--tsconfig', 'src-renderer/tsconfig.json', '--threshold', 'error', '--output', 'human']);
}
const unitReport = path.join(resultsDir, 'vitest-unit.json');
step('unit, engine and integration tests', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${unitReport}`]);
countVitest(unitReport);
if (!args.has('--no-e2e')) {
  const e2eReport = path.join(resultsDir, 'vitest-e2e.json');
  if (step('build renderer', process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--renderer'])) {
    step('end-to-end tests (Chromium, browser mode)', bin('vitest'), ['run', '--config', 'vitest.e2e.config.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${e2eReport}`]);
    countVitest(e2eReport);
  }
}
console.log('');
if (failedSteps.length) console.log(`failed steps: ${failedSteps.join(', ')}`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedSteps.length ? 1 : 0);

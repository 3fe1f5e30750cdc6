#!/usr/bin/env node
// `npm test`: the whole suite, in the order that fails fastest: layer rule, test projects, type checks,
// then the Vitest projects one after the other: unit, integration (forks, spawns, trains) and the
// end-to-end tests in Chromium against browser mode. Ends with a table of each project's time, each failed
// test with its error's first line and place, and one summary line "tests: N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readVitestReport } from './vitest-report.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = path.join(root, 'test-results');
mkdirSync(resultsDir, { recursive: true });
const args = new Set(process.argv.slice(2));
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const totals = { passed: 0, failed: 0, skipped: 0 };
const failedSteps = [];
/** One row per Vitest project: its counts and wall time, or why it did not run. */
const projects = [];
/** Each failed test: its project, file, name, and where and why it failed. */
const failedTests = [];

function step(name, command, commandArgs, env = {}) {
  const t0 = Date.now();
  console.log(`\n=== ${name}`);
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = result.status === 0;
  const seconds = (Date.now() - t0) / 1000;
  console.log(`=== ${name}: ${ok ? 'ok' : 'FAILED'} (${seconds.toFixed(1)} s)`);
  if (!ok) failedSteps.push(name);
  return { ok, seconds };
}

function countVitest(name, file) {
  const report = readVitestReport(file, root);
  if (!report) return null;
  totals.passed += report.passed;
  totals.failed += report.failed;
  totals.skipped += report.skipped;
  for (const failure of report.failures) failedTests.push({ project: name, ...failure });
  return report;
}

/** Runs one project with its own config (its own pool settings) and records its row. */
function project(name, title) {
  const report = path.join(resultsDir, `vitest-${name}.json`);
  const config = `vitest.${name}.config.ts`;
  const { seconds } = step(title, bin('vitest'), ['run', '--config', config, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
  projects.push({ name, seconds, counts: countVitest(name, report) });
}

function printProjectTimes() {
  const header = ['project', 'files', 'passed', 'failed', 'skipped', 'time'];
  const rows = projects.map((p) => [
    p.name,
    ...(p.counts ? [p.counts.files, p.counts.passed, p.counts.failed, p.counts.skipped].map(String) : ['-', '-', '-', '-']),
    p.seconds === null ? p.note : `${p.seconds.toFixed(1)} s`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

// A report left by an earlier run must not be counted when a project ends before writing its own.
for (const name of ['unit', 'integration', 'e2e']) rmSync(path.join(resultsDir, `vitest-${name}.json`), { force: true });

step('layer check', process.execPath, [path.join(root, 'scripts', 'check-layers.mjs')]);
step('test projects check', process.execPath, [path.join(root, 'scripts', 'check-test-projects.mjs')]);
if (!args.has('--no-typecheck')) {
  step('type check: src-shared', bin('tsc'), ['-p', 'src-shared']);
  step('type check: src-main', bin('tsc'), ['-p', 'src-main']);
  step('type check: src-renderer', bin('svelte-check'), ['--tsconfig', 'src-renderer/tsconfig.json', '--threshold', 'error', '--output', 'human']);
}
project('unit', 'unit tests');
project('integration', 'integration tests (processes, training)');
if (args.has('--no-e2e')) {
  projects.push({ name: 'e2e', seconds: null, note: 'not run (--no-e2e)', counts: null });
} else if (step('build renderer', process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--renderer']).ok) {
  project('e2e', 'end-to-end tests (Chromium, browser mode)');
} else {
  projects.push({ name: 'e2e', seconds: null, note: 'not run (the renderer did not build)', counts: null });
}
console.log('');
printProjectTimes();
console.log('');
for (const t of failedTests) console.log(`FAILED ${t.project}: ${t.file} > ${t.name}\n  ${t.error}`);
if (failedSteps.length) console.log(`failed steps: ${failedSteps.join(', ')}`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedSteps.length ? 1 : 0);

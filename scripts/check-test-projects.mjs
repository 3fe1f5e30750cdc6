#!/usr/bin/env node
// Every test file runs in exactly one place (a step of `npm test`): one of the Vitest projects `unit`,
// `integration` and `e2e`, the long reliability runs (`npm run test:reliability`) or the benchmarks
// (`npm run bench`). A file in none would never run; one in two would run twice, or a slow one would
// land in the fast `unit` loop. A file named in a config's list that does not exist (renamed or moved)
// is reported too, since the file it meant now runs somewhere else.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Vitest configs that run test files, by the name reported for them. */
export const TEST_CONFIGS = {
  unit: 'vitest.unit.config.ts',
  integration: 'vitest.integration.config.ts',
  e2e: 'vitest.e2e.config.ts',
  reliability: 'vitest.reliability.config.ts',
  bench: 'vitest.bench.config.ts',
};

/** How a test file is named; helpers and suites shared by test files are named otherwise. */
export const TEST_FILE = /\.(test|e2e|long|bench)\.ts$/;

/** Test files under `dir`, relative to `root`, with forward slashes. */
export function findTestFiles(root, dir = path.join(root, 'test')) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findTestFiles(root, full));
    else if (TEST_FILE.test(entry.name)) found.push(path.relative(root, full).split(path.sep).join('/'));
  }
  return found.sort();
}

/**
 * What is wrong, given every test file, the files each config runs and the patterns each config
 * includes (all relative to the repository root): files in no config or in several, and patterns
 * naming one file that does not exist.
 */
export function testProjectProblems(testFiles, filesByConfig, includesByConfig = {}, exists = () => true) {
  const problems = [];
  const configsOf = new Map(testFiles.map((f) => [f, []]));
  for (const [config, files] of Object.entries(filesByConfig)) {
    for (const file of files) {
      if (!configsOf.has(file)) configsOf.set(file, []);
      configsOf.get(file).push(config);
    }
  }
  for (const [file, configs] of configsOf) {
    if (configs.length === 0) problems.push(`${file} is in no test project (see vitest.integration.config.ts for where a file goes)`);
    if (configs.length > 1) problems.push(`${file} is in ${configs.length} test projects: ${configs.join(', ')}`);
  }
  for (const [config, patterns] of Object.entries(includesByConfig)) {
    for (const pattern of patterns) {
      if (!/[*?{[]/.test(pattern) && !exists(pattern)) problems.push(`${config} names ${pattern}, which does not exist`);
    }
  }
  return problems;
}

/** The files and include patterns of each config, as Vitest itself resolves them (nothing runs). */
export async function resolveTestConfigs(root) {
  const { createVitest } = await import('vitest/node');
  const filesByConfig = {};
  const includesByConfig = {};
  for (const [name, config] of Object.entries(TEST_CONFIGS)) {
    const vitest = await createVitest('test', { root, config: path.join(root, config), watch: false, run: true });
    try {
      const specs = await vitest.globTestSpecifications();
      filesByConfig[name] = specs.map((s) => path.relative(root, s.moduleId).split(path.sep).join('/'));
      includesByConfig[name] = vitest.config.include;
    } finally {
      await vitest.close();
    }
  }
  return { filesByConfig, includesByConfig };
}

function isMain() {
  return process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
}

if (isMain()) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const testFiles = findTestFiles(root);
  const { filesByConfig, includesByConfig } = await resolveTestConfigs(root);
  const problems = testProjectProblems(testFiles, filesByConfig, includesByConfig, (file) => existsSync(path.join(root, file)));
  if (problems.length) {
    console.error(`Test projects check failed (${problems.length}):\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  const counts = Object.entries(filesByConfig).map(([name, files]) => `${name} ${files.length}`);
  console.log(`Test projects check passed: ${testFiles.length} test files, each in one project (${counts.join(', ')}).`);
}

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without type declarations
import { findTestFiles, testProjectProblems } from '../../scripts/check-test-projects.mjs';

let root: string | undefined;
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

describe('test projects check', () => {
  it('passes when every test file is in exactly one project', () => {
    const files = ['test/a.test.ts', 'test/b.test.ts', 'test/e2e/c.e2e.ts'];
    expect(testProjectProblems(files, { unit: ['test/a.test.ts'], integration: ['test/b.test.ts'], e2e: ['test/e2e/c.e2e.ts'] })).toEqual([]);
  });

  it('reports a test file in no project and one in two', () => {
    const files = ['test/a.test.ts', 'test/b.test.ts', 'test/c.long.ts'];
    const problems = testProjectProblems(files, { unit: ['test/a.test.ts', 'test/b.test.ts'], integration: ['test/b.test.ts'] });
    expect(problems).toEqual(['test/b.test.ts is in 2 test projects: unit, integration', expect.stringMatching(/^test\/c\.long\.ts is in no test project/)]);
  });

  it('reports a listed file that does not exist, but not a pattern', () => {
    const exists = (file: string) => file === 'test/here.test.ts';
    const problems = testProjectProblems([], {}, { integration: ['test/here.test.ts', 'test/gone.test.ts', 'test/reliability/**/*.test.ts'] }, exists);
    expect(problems).toEqual(['integration names test/gone.test.ts, which does not exist']);
  });

  it('finds test files by name, not helpers', () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'test-projects-'));
    for (const file of ['test/x/a.test.ts', 'test/e2e/b.e2e.ts', 'test/r/c.long.ts', 'test/e2e/d.bench.ts', 'test/x/helper.ts', 'test/e2e/harness.ts']) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), '');
    }
    expect(findTestFiles(root)).toEqual(['test/e2e/b.e2e.ts', 'test/e2e/d.bench.ts', 'test/r/c.long.ts', 'test/x/a.test.ts']);
  });
});

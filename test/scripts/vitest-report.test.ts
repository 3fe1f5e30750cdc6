import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without type declarations
import { errorSummary, readVitestReport } from '../../scripts/vitest-report.mjs';

const vitest = path.resolve(__dirname, '../../node_modules/.bin/vitest');
let root: string;

// A real report: Vitest itself runs a file with a failing and a passing test, and a file that cannot load.
beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'vitest-report-'));
  writeFileSync(path.join(root, 'a.test.ts'), "import { it, expect } from 'vitest';\nit('adds', () => { expect(1 + 1).toBe(3); });\nit('passes', () => {});\n");
  writeFileSync(path.join(root, 'b.test.ts'), "throw new Error('broken import');\n");
  try {
    execFileSync(vitest, ['run', '--root', root, '--reporter=json', `--outputFile.json=${path.join(root, 'report.json')}`], { stdio: 'ignore' });
  } catch {
    // Vitest exits 1: the report is what is read.
  }
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('readVitestReport', () => {
  it('counts the tests and names each failure with its message and the test\'s own line', () => {
    const report = readVitestReport(path.join(root, 'report.json'), root);
    expect([report.files, report.passed, report.failed, report.skipped]).toEqual([2, 1, 1, 0]);
    expect(report.failures).toHaveLength(2);
    const [test, file] = [...report.failures].sort((x, y) => x.file.localeCompare(y.file));
    expect(test).toMatchObject({ file: 'a.test.ts', name: 'adds' });
    expect(test.error).toMatch(/^AssertionError: expected 2 to be 3.*\(a\.test\.ts:2:\d+\)$/);
    expect(file).toMatchObject({ file: 'b.test.ts', name: '(the file itself)' });
    expect(file.error).toMatch(/broken import/);
  });

  it('is null for a project that wrote no report', () => {
    expect(readVitestReport(path.join(root, 'none.json'), root)).toBeNull();
  });
});

describe('errorSummary', () => {
  it('keeps the first line and skips frames in node_modules and node internals', () => {
    const text = 'Error: Test timed out in 60000ms.\n    at /r/node_modules/x.js:1:2\n    at node:internal/timers:5:6\n    at /r/test/t.test.ts:9:3';
    expect(errorSummary(text, '/r')).toBe('Error: Test timed out in 60000ms. (test/t.test.ts:9:3)');
    expect(errorSummary('', '/r')).toBe('');
  });
});

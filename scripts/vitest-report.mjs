// Reads a Vitest JSON report for `npm test`'s summary: the project's counts, and each failed test with
// where it failed, so the end of a long log (all that a CI page may show) names what to look at.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Counts and failures of one report, or null when the project ended before writing it.
 * @param {string} file the report
 * @param {string} root the repository root, for relative paths
 */
export function readVitestReport(file, root) {
  if (!existsSync(file)) return null;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const failures = [];
  for (const result of report.testResults ?? []) {
    const relative = path.relative(root, result.name ?? '');
    const failed = (result.assertionResults ?? []).filter((t) => t.status === 'failed');
    for (const t of failed) failures.push({ file: relative, name: t.fullName ?? t.title, error: errorSummary(t.failureMessages?.[0], root) });
    // A file that did not load, or whose hooks failed, has no failed test of its own.
    if (result.status === 'failed' && failed.length === 0) failures.push({ file: relative, name: '(the file itself)', error: errorSummary(result.message, root) });
  }
  return {
    files: report.testResults?.length ?? 0,
    passed: report.numPassedTests ?? 0,
    failed: report.numFailedTests ?? 0,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
    failures,
  };
}

/** The error's first line, and the first stack frame outside node_modules (the test's own line). */
export function errorSummary(text, root) {
  const lines = String(text ?? '').split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const message = (lines[0] ?? '').slice(0, 300);
  const frame = lines.find((l) => l.startsWith('at ') && !l.includes('node_modules') && !l.includes('node:internal'));
  const where = frame?.match(/\(?((?:file:\/\/)?\/[^()\s]+:\d+:\d+)\)?$/)?.[1];
  if (!where) return message;
  return `${message} (${path.relative(root, where.replace(/^file:\/\//, ''))})`;
}

import type { EvaluationTable } from '../../src-shared/contract/records';

function field(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Per-image metrics of one or more runs as CSV: one row per run and image, then one mean row per
 * run (image_name "mean", image_id empty). Undefined values are empty cells.
 */
export function evaluationsCsv(runs: { id: number; name: string; table: EvaluationTable }[], metrics: readonly string[]): { csv: string; rows: number } {
  const lines = [['run_id', 'run_name', 'image_id', 'image_name', 'split', ...metrics].map(field).join(',')];
  for (const run of runs) {
    for (const row of run.table.rows) {
      lines.push([run.id, run.name, row.imageId, row.imageName, row.split, ...metrics.map((m) => row.values[m] ?? null)].map(field).join(','));
    }
    lines.push([run.id, run.name, null, 'mean', null, ...metrics.map((m) => run.table.mean[m] ?? null)].map(field).join(','));
  }
  return { csv: `${lines.join('\r\n')}\r\n`, rows: lines.length - 1 };
}

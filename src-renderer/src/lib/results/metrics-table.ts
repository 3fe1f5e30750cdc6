import type { EvaluationRow, EvaluationTable, Split } from '../../../../src-shared/contract/records';
import { baselineVerdict, type BaselineVerdict } from '../../../../src-shared/imaging/metrics/baseline-verdict';
import { metricMeta, orderMetrics } from './metric-names';

export type SplitFilter = Split | 'all';

export interface MetricsTableModel {
  metrics: string[];
  rows: EvaluationRow[];
  /** Mean of each metric over the rows shown that have a value (undefined values are left out, not zeros). */
  mean: Record<string, number | null>;
  count: Record<string, number>;
  /** The Otsu baseline's means over the same rows, how it was computed, and whether the model beats it. */
  baseline?: { mean: Record<string, number | null>; count: Record<string, number>; settings: Record<string, unknown>; verdict: BaselineVerdict | null };
}

export interface TableSort {
  /** A metric name, or 'name' for the image name. */
  key: string;
  descending: boolean;
}

export function meanOf(rows: readonly EvaluationRow[], metric: string): { mean: number | null; count: number } {
  let sum = 0;
  let count = 0;
  for (const row of rows) {
    const v = row.values[metric];
    if (typeof v === 'number' && Number.isFinite(v)) {
      sum += v;
      count++;
    }
  }
  return { mean: count > 0 ? sum / count : null, count };
}

/**
 * The per-image table as shown: rows of one split (or all), sorted, with means recomputed over the
 * rows shown so the mean row always matches the rows above it.
 */
export function buildMetricsTable(table: EvaluationTable, split: SplitFilter = 'all', sort: TableSort = { key: 'name', descending: false }): MetricsTableModel {
  const metrics = orderMetrics(table.metrics);
  const rows = table.rows.filter((r) => split === 'all' || r.split === split);
  rows.sort(compareRows(sort));
  const mean: Record<string, number | null> = {};
  const count: Record<string, number> = {};
  for (const m of metrics) {
    const s = meanOf(rows, m);
    mean[m] = s.mean;
    count[m] = s.count;
  }
  const model: MetricsTableModel = { metrics, rows, mean, count };
  if (table.baseline) {
    // Compared on the images that have both scores, so the two means are over the same images.
    const both = rows.filter((r) => r.baseline);
    const baselineRows = both.map((r) => ({ ...r, values: r.baseline ?? {} }));
    const bMean: Record<string, number | null> = {};
    const bCount: Record<string, number> = {};
    const mMean: Record<string, number | null> = {};
    for (const m of metrics) {
      const s = meanOf(baselineRows, m);
      bMean[m] = s.mean;
      bCount[m] = s.count;
      mMean[m] = meanOf(both, m).mean;
    }
    model.baseline = { mean: bMean, count: bCount, settings: table.baseline.settings, verdict: baselineVerdict(mMean, bMean) };
  }
  return model;
}

/** "Otsu threshold (Gaussian σ 1, bright foreground, by the training annotations)". */
export function describeBaseline(settings: Record<string, unknown>): string {
  const polarity = settings.polarity === 'dark' ? 'dark foreground' : settings.polarity === 'bright' ? 'bright foreground' : 'foreground per image';
  const rule = typeof settings.rule === 'string' ? `, by the ${settings.rule === 'minority' ? 'minority rule' : settings.rule}` : '';
  return `Otsu threshold (Gaussian σ ${String(settings.sigma ?? 1)}, ${polarity}${rule})`;
}

function compareRows(sort: TableSort): (a: EvaluationRow, b: EvaluationRow) => number {
  const sign = sort.descending ? -1 : 1;
  if (sort.key === 'name') return (a, b) => sign * a.imageName.localeCompare(b.imageName, undefined, { numeric: true });
  return (a, b) => {
    const va = a.values[sort.key];
    const vb = b.values[sort.key];
    // Images without a value go last whichever the direction.
    if (va === null || va === undefined) return vb === null || vb === undefined ? 0 : 1;
    if (vb === null || vb === undefined) return -1;
    return sign * (va - vb);
  };
}

/** The splits present in a table, for the split filter. */
export function splitsIn(table: EvaluationTable): Split[] {
  const present = new Set(table.rows.map((r) => r.split).filter((s): s is Split => s !== null));
  return (['train', 'validation', 'test'] as const).filter((s) => present.has(s));
}

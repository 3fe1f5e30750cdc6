import type { CurvePoint, RunComparison } from '../../../../src-shared/contract/records';
import type { Columns } from '../charts/curve-series';
import { metricMeta, orderMetrics } from './metric-names';

export interface RunCurve {
  runId: number;
  label: string;
  points: readonly CurvePoint[];
}

/**
 * Curves of several runs on one step axis for an overlaid chart: x is the sorted union of the steps
 * at which any run has a value; each run's column is null where it has none (uPlot leaves a gap or
 * joins across it, as the series says).
 */
export function alignRunCurves(runs: readonly RunCurve[], value: (p: CurvePoint) => number | null): { columns: Columns; labels: string[] } {
  const perRun = runs.map((run) => {
    const byStep = new Map<number, number>();
    for (const p of run.points) {
      const v = value(p);
      if (v !== null && Number.isFinite(v)) byStep.set(p.step, v);
    }
    return byStep;
  });
  const steps = [...new Set(perRun.flatMap((m) => [...m.keys()]))].sort((a, b) => a - b);
  const ys = perRun.map((m) => steps.map((s) => m.get(s) ?? null));
  return { columns: [steps, ...ys], labels: runs.map((r) => r.label) };
}

export interface ComparisonRow {
  metric: string;
  label: string;
  better: 'higher' | 'lower';
  /** Mean per run, in the order of `RunComparison.runs`. */
  values: (number | null)[];
  counts: number[];
  /** Index of the best run, or -1 when fewer than two runs have a value or several share the best. */
  best: number;
}

/** One row per metric with each run's mean, marking the best run by the metric's direction. */
export function comparisonRows(cmp: RunComparison): ComparisonRow[] {
  return orderMetrics(cmp.metrics).map((metric) => {
    const meta = metricMeta(metric);
    const values = cmp.runs.map((r) => r.mean[metric] ?? null);
    const counts = cmp.runs.map((r) => r.count[metric] ?? 0);
    const defined = values.filter((v): v is number => v !== null);
    const top = defined.length === 0 ? null : meta.better === 'higher' ? Math.max(...defined) : Math.min(...defined);
    // A best run is marked only when it is alone at the top and there is someone to beat.
    const atTop = values.filter((v) => v === top).length;
    const best = defined.length >= 2 && atTop === 1 ? values.indexOf(top) : -1;
    return { metric, label: meta.label, better: meta.better, values, counts, best };
  });
}

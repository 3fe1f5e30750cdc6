import { baselineVerdict } from '../../src-shared/imaging/metrics/baseline-verdict';
import type { BaselineEvaluation } from '../workflows/evaluate-folders';
import { meanMetrics, REPORTED_METRICS, type ReportedMetric } from '../pipeline/segmentation-metrics';
import { formatMetric } from './cli-output';

/**
 * The Otsu rows of a CLI score table: the baseline's mean row, how it was computed, and the verdict
 * (model against baseline on the images both were scored on).
 */
export function baselineReport(
  model: { name: string; metrics: Record<ReportedMetric, number | null> }[],
  baseline: BaselineEvaluation,
): { row: string[]; lines: string[]; verdict: string | null } {
  const scored = new Set(baseline.images.map((i) => i.name));
  const modelMean = meanMetrics(model.filter((m) => scored.has(m.name)).map((m) => m.metrics));
  const verdict = baselineVerdict(modelMean, baseline.mean)?.text ?? null;
  const { sigma, polarity, rule } = baseline.settings;
  const how = `Otsu baseline: Gaussian σ ${sigma}, ${polarity === 'per image' ? 'foreground per image' : `${polarity} foreground`} (${rule === 'minority' ? 'minority rule: the side with fewer pixels' : rule}), objects = 4-connected components`;
  const lines = [how];
  if (baseline.missingImages.length > 0) lines.push(`no image for ${baseline.missingImages.length} mask(s) (e.g. ${baseline.missingImages[0]}): left out of the baseline`);
  if (verdict) lines.push(verdict);
  return { row: ['Otsu mean', ...REPORTED_METRICS.map((m) => formatMetric(baseline.mean[m]))], lines, verdict };
}

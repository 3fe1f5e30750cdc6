/**
 * The sentence shown beside a model's scores: whether it beats the Otsu baseline on the same images.
 * Higher is better for every metric compared; a tie does not beat.
 */
export const VERDICT_METRICS = ['iou', 'seg', 'ap50'] as const;

const LABELS: Record<string, string> = { iou: 'IoU', seg: 'SEG', ap50: 'AP50', vRand: 'V_rand', vInfo: 'V_info' };

export interface BaselineVerdict {
  /** True when the model scores above the baseline on every metric compared. */
  beats: boolean;
  /** The metrics both have a value for. */
  compared: string[];
  /** Those where the model is not above the baseline. */
  notBeaten: string[];
  text: string;
}

type Scores = Record<string, number | null | undefined>;

export function baselineVerdict(model: Scores, baseline: Scores, metrics: readonly string[] = VERDICT_METRICS, digits = 3): BaselineVerdict | null {
  const has = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);
  const compared = metrics.filter((m) => has(model[m]) && has(baseline[m]));
  if (compared.length === 0) return null;
  const pair = (m: string) => `${LABELS[m] ?? m} ${(model[m] as number).toFixed(digits)} vs ${(baseline[m] as number).toFixed(digits)}`;
  const notBeaten = compared.filter((m) => (model[m] as number) <= (baseline[m] as number));
  if (notBeaten.length === 0) {
    return { beats: true, compared, notBeaten, text: `The model beats an Otsu threshold on these images: ${compared.map(pair).join(', ')}.` };
  }
  const ahead = compared.filter((m) => !notBeaten.includes(m));
  const rest = ahead.length > 0 ? ` (it is ahead on ${ahead.map(pair).join(', ')})` : '';
  return { beats: false, compared, notBeaten, text: `The model does not beat an Otsu threshold on these images: ${notBeaten.map(pair).join(', ')}${rest}.` };
}

/** How the Results view names and reads the metrics that `results.evaluations` returns. */
export interface MetricMeta {
  label: string;
  /** Which direction is better, for marking the best run of a comparison. */
  better: 'higher' | 'lower';
  description: string;
}

const KNOWN: Record<string, MetricMeta> = {
  iou: { label: 'IoU', better: 'higher', description: 'Foreground pixel IoU (Jaccard): |P ∩ G| / |P ∪ G|' },
  seg: { label: 'SEG', better: 'higher', description: 'Cell Tracking Challenge SEG: mean Jaccard of matched reference objects' },
  vrand: { label: 'V_rand', better: 'higher', description: 'Foreground-restricted Rand F-score (ISBI 2012); Rand error = 1 − V_rand' },
  vinfo: { label: 'V_info', better: 'higher', description: 'Foreground-restricted information-theoretic score (ISBI 2012)' },
  randerror: { label: 'Rand error', better: 'lower', description: '1 − V_rand' },
  pixelerror: { label: 'Pixel error', better: 'lower', description: '1 − pixel accuracy of the binary boundary map' },
  warpingerror: { label: 'Warping error', better: 'lower', description: 'Topology-aware error (ISBI 2012)' },
  ap50: { label: 'AP50', better: 'higher', description: 'Average precision of objects matched at IoU ≥ 0.5' },
  ap75: { label: 'AP75', better: 'higher', description: 'Average precision of objects matched at IoU ≥ 0.75' },
  precision: { label: 'Precision', better: 'higher', description: 'Matched predicted objects / predicted objects' },
  recall: { label: 'Recall', better: 'higher', description: 'Matched reference objects / reference objects' },
  f1: { label: 'F1', better: 'higher', description: 'Harmonic mean of object precision and recall' },
  dice: { label: 'Dice', better: 'higher', description: 'Foreground Dice coefficient' },
  accuracy: { label: 'Pixel accuracy', better: 'higher', description: 'Fraction of pixels with the right class' },
};

/** Display order: the paper's metrics first, then anything else alphabetically. */
const ORDER = ['iou', 'seg', 'vrand', 'vinfo', 'randerror', 'pixelerror', 'warpingerror', 'ap50', 'ap75', 'precision', 'recall', 'f1', 'dice', 'accuracy'];

function normalize(name: string): { base: string; suffix: string } {
  const [head, ...rest] = name.split(':');
  return { base: head.toLowerCase().replace(/[^a-z0-9]/g, ''), suffix: rest.join(':') };
}

export function metricMeta(name: string): MetricMeta {
  const { base, suffix } = normalize(name);
  const known = KNOWN[base];
  if (!known) return { label: name, better: /error|loss/i.test(name) ? 'lower' : 'higher', description: name };
  if (!suffix) return known;
  return { ...known, label: `${known.label} (class ${suffix})`, description: `${known.description}, class ${suffix}` };
}

export function orderMetrics(names: readonly string[]): string[] {
  const rank = (name: string) => {
    const i = ORDER.indexOf(normalize(name).base);
    return i < 0 ? ORDER.length : i;
  };
  return [...names].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** The metric shown as "the" IoU of a run: foreground IoU, else the first per-class IoU. */
export function mainIouMetric(names: readonly string[]): string | undefined {
  return names.find((n) => normalize(n).base === 'iou' && !normalize(n).suffix) ?? names.find((n) => normalize(n).base === 'iou');
}

export function formatMetric(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (value !== 0 && Math.abs(value) < 1e-3) return value.toExponential(2);
  return value.toFixed(4);
}

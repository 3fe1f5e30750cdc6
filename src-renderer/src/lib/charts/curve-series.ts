import type { CurvePoint } from '../../../../src-shared/contract/records';
import type { TrainProgressInfo } from '../../../../src-shared/contract/training';

/** Curve metric names as the runs service records them; older names are read too. */
const VALIDATION_LOSS_KEYS = ['valLoss', 'validationLoss', 'val_loss'];
const VALIDATION_IOU_KEYS = ['iou', 'valIou', 'validationIou', 'val_iou'];

function pick(metrics: Record<string, number>, keys: string[]): number | null {
  for (const key of keys) {
    const v = metrics[key];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return null;
}

export function validationLossOf(point: CurvePoint): number | null {
  return pick(point.metrics, VALIDATION_LOSS_KEYS);
}

export function validationIouOf(point: CurvePoint): number | null {
  return pick(point.metrics, VALIDATION_IOU_KEYS);
}

export function trainingLossOf(point: CurvePoint): number | null {
  return typeof point.loss === 'number' && Number.isFinite(point.loss) ? point.loss : null;
}

/** A live progress event as a curve point, so live and stored curves go through one path. */
export function progressToPoint(p: TrainProgressInfo, now = new Date()): CurvePoint {
  const metrics: Record<string, number> = {};
  if (p.validation) {
    metrics.valLoss = p.validation.loss;
    metrics.iou = p.validation.iou;
  }
  return { step: p.step, loss: Number.isFinite(p.loss) ? p.loss : null, metrics, elapsedMs: p.elapsedSeconds * 1000, recordedAt: now.toISOString() };
}

/**
 * Adds points to a curve, kept sorted by step. A point for a step already present is merged into it
 * (a validation result may arrive after the loss of the same step).
 */
export function mergePoints(existing: readonly CurvePoint[], incoming: readonly CurvePoint[]): CurvePoint[] {
  const byStep = new Map<number, CurvePoint>();
  for (const p of existing) byStep.set(p.step, p);
  for (const p of incoming) {
    const old = byStep.get(p.step);
    byStep.set(
      p.step,
      old ? { ...old, ...p, loss: p.loss ?? old.loss, metrics: { ...old.metrics, ...p.metrics }, elapsedMs: p.elapsedMs ?? old.elapsedMs } : p,
    );
  }
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}

/** Columns for uPlot: x (steps) and one y array per series, null where a step has no value. */
export type Columns = [number[], ...(number | null)[][]];

export interface TrainingCurves {
  loss: Columns;
  iou: Columns;
  /** The data has at least one validation value. */
  hasValidation: boolean;
}

/**
 * The two charts of a run: training loss (raw and smoothed) with validation loss, and validation IoU.
 * Validation is measured only every few steps, so the IoU chart uses only those steps.
 */
export function trainingCurves(points: readonly CurvePoint[], smoothing = 0.9): TrainingCurves {
  const steps = points.map((p) => p.step);
  const loss = points.map(trainingLossOf);
  const valLoss = points.map(validationLossOf);
  const validated = points.filter((p) => validationIouOf(p) !== null);
  return {
    loss: [steps, loss, emaSmooth(loss, smoothing), valLoss],
    iou: [validated.map((p) => p.step), validated.map(validationIouOf)],
    hasValidation: validated.length > 0 || valLoss.some((v) => v !== null),
  };
}

/**
 * Exponential moving average with bias correction (as TensorBoard shows it), skipping missing values.
 * alpha = 0 returns the values unchanged.
 */
export function emaSmooth(values: readonly (number | null)[], alpha: number): (number | null)[] {
  if (!(alpha >= 0 && alpha < 1)) throw new RangeError(`smoothing must be in [0, 1), got ${alpha}`);
  let acc = 0;
  let weight = 0;
  return values.map((v) => {
    if (v === null || !Number.isFinite(v)) return null;
    acc = alpha * acc + (1 - alpha) * v;
    weight = alpha * weight + (1 - alpha);
    return acc / weight;
  });
}

/** Thins a long curve for drawing: keeps at most maxPoints, always the first and the last. */
export function thinPoints<T>(points: readonly T[], maxPoints: number): T[] {
  if (points.length <= maxPoints || maxPoints < 2) return [...points];
  const out: T[] = [];
  const stride = (points.length - 1) / (maxPoints - 1);
  for (let i = 0; i < maxPoints; i++) out.push(points[Math.round(i * stride)]);
  return out;
}

/** The same points with the training loss replaced by its moving average (for overlaying noisy runs). */
export function withSmoothedLoss(points: readonly CurvePoint[], alpha = 0.9): CurvePoint[] {
  const smoothed = emaSmooth(points.map(trainingLossOf), alpha);
  return points.map((p, i) => ({ ...p, loss: smoothed[i] }));
}

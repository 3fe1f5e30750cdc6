import { UnetError } from '../../src-shared/contract/errors';
import type { CurvePoint } from '../../src-shared/contract/records';
import { nowIso } from './clock';
import type { Db } from './database';
import { finiteOrNull } from './finite-or-null';

export interface NewCurvePoint {
  step: number;
  loss?: number | null;
  metrics?: Record<string, number>;
  elapsedMs?: number | null;
}

/** A run's training curve: loss and validation metrics per step. */
export class RunCurves {
  constructor(private readonly db: Db) {}

  /** Records a curve point; values reported for the same step (loss, then validation) merge. */
  append(runId: number, point: NewCurvePoint): void {
    if (!Number.isInteger(point.step) || point.step < 0) throw new UnetError('INVALID_ARGUMENT', `step must be a non-negative integer, got ${point.step}`);
    const metrics: Record<string, number> = {};
    for (const [key, value] of Object.entries(point.metrics ?? {})) if (Number.isFinite(value)) metrics[key] = value;
    try {
      this.db
        .prepare(
          `INSERT INTO run_curves (run_id, step, loss, metrics, elapsed_ms, recorded_at) VALUES (@id, @step, @loss, @metrics, @elapsed, @time)
           ON CONFLICT (run_id, step) DO UPDATE SET
             loss = coalesce(excluded.loss, loss),
             metrics = json_patch(metrics, excluded.metrics),
             elapsed_ms = coalesce(excluded.elapsed_ms, elapsed_ms),
             recorded_at = excluded.recorded_at`,
        )
        .run({ id: runId, step: point.step, loss: finiteOrNull(point.loss), metrics: JSON.stringify(metrics), elapsed: finiteOrNull(point.elapsedMs), time: nowIso() });
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw new UnetError('NOT_FOUND', `no run with id ${runId}`, { runId });
      throw error;
    }
  }

  /** The curve, optionally from a step on, thinned to at most maxPoints (the last point always kept). */
  read(runId: number, options: { fromStep?: number; maxPoints?: number } = {}): CurvePoint[] {
    const from = options.fromStep ?? 0;
    const total = (this.db.prepare('SELECT count(*) AS n FROM run_curves WHERE run_id = ? AND step >= ?').get(runId, from) as { n: number }).n;
    const stride = options.maxPoints && total > options.maxPoints ? Math.ceil(total / options.maxPoints) : 1;
    const rows = this.db
      .prepare(
        `SELECT step, loss, metrics, elapsed_ms, recorded_at FROM (
           SELECT *, row_number() OVER (ORDER BY step) - 1 AS rn FROM run_curves WHERE run_id = @id AND step >= @from
         ) WHERE rn % @stride = 0 OR rn = @last ORDER BY step`,
      )
      .all({ id: runId, from, stride, last: total - 1 }) as { step: number; loss: number | null; metrics: string; elapsed_ms: number | null; recorded_at: string }[];
    return rows.map((r) => ({ step: r.step, loss: r.loss, metrics: JSON.parse(r.metrics) as Record<string, number>, elapsedMs: r.elapsed_ms, recordedAt: r.recorded_at }));
  }
}

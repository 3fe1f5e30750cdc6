import { UnetError } from '../../src-shared/contract/errors';
import type { EvaluationRow, EvaluationTable, PredictionRecord, RunComparison, Split } from '../../src-shared/contract/records';
import { nowIso } from './clock';
import type { Db } from './database';

export interface NewPrediction {
  /** The data set image predicted, or null for a file outside any data set. */
  imageId?: number | null;
  inputPath: string;
  labelsPath?: string | null;
  instancesPath?: string | null;
  probabilitiesPath?: string | null;
}

interface PredictionRow {
  id: number;
  run_id: number;
  image_id: number | null;
  image_name: string | null;
  input_path: string;
  labels_path: string | null;
  instances_path: string | null;
  probabilities_path: string | null;
  created_at: string;
}

interface EvaluationValueRow {
  image_id: number;
  image_name: string;
  split: Split | null;
  metric: string;
  value: number | null;
}

/** Metric names are short identifiers such as iou, iou:2, seg, vRand, ap50. */
const METRIC_NAME = /^[A-Za-z][A-Za-z0-9_.:-]{0,63}$/;

function finiteOrNull(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function meansOf(rows: EvaluationRow[], metrics: string[], valuesOf: (row: EvaluationRow) => Record<string, number | null>): { mean: Record<string, number | null>; count: Record<string, number> } {
  const mean: Record<string, number | null> = {};
  const count: Record<string, number> = {};
  for (const metric of metrics) {
    let sum = 0;
    let n = 0;
    for (const row of rows) {
      const v = valuesOf(row)[metric];
      if (typeof v === 'number') {
        sum += v;
        n++;
      }
    }
    mean[metric] = n > 0 ? sum / n : null;
    count[metric] = n;
  }
  return { mean, count };
}

function toPrediction(row: PredictionRow): PredictionRecord {
  return {
    id: row.id,
    runId: row.run_id,
    imageId: row.image_id,
    imageName: row.image_name,
    inputPath: row.input_path,
    labelsPath: row.labels_path,
    instancesPath: row.instances_path,
    probabilitiesPath: row.probabilities_path,
    createdAt: row.created_at,
  };
}

/** Predictions written by a run's model, and per-image metric values. */
export class ResultsRepository {
  constructor(private readonly db: Db) {}

  /** Records (or replaces) the outputs a run wrote for one input. */
  addPrediction(runId: number, prediction: NewPrediction): PredictionRecord {
    this.requireRun(runId);
    this.db
      .prepare(
        `INSERT INTO predictions (run_id, image_id, input_path, labels_path, instances_path, probabilities_path, created_at)
         VALUES (@runId, @imageId, @inputPath, @labelsPath, @instancesPath, @probabilitiesPath, @time)
         ON CONFLICT (run_id, input_path) DO UPDATE SET image_id = excluded.image_id, labels_path = excluded.labels_path,
           instances_path = excluded.instances_path, probabilities_path = excluded.probabilities_path, created_at = excluded.created_at`,
      )
      .run({
        runId,
        imageId: prediction.imageId ?? null,
        inputPath: prediction.inputPath,
        labelsPath: prediction.labelsPath ?? null,
        instancesPath: prediction.instancesPath ?? null,
        probabilitiesPath: prediction.probabilitiesPath ?? null,
        time: nowIso(),
      });
    const row = this.db
      .prepare('SELECT p.*, i.name AS image_name FROM predictions p LEFT JOIN images i ON i.id = p.image_id WHERE p.run_id = ? AND p.input_path = ?')
      .get(runId, prediction.inputPath) as PredictionRow;
    return toPrediction(row);
  }

  predictions(runId: number): PredictionRecord[] {
    this.requireRun(runId);
    return (
      this.db
        .prepare('SELECT p.*, i.name AS image_name FROM predictions p LEFT JOIN images i ON i.id = p.image_id WHERE p.run_id = ? ORDER BY i.name, p.input_path')
        .all(runId) as PredictionRow[]
    ).map(toPrediction);
  }

  /** Records one metric value for one image (non-finite values are stored as undefined). */
  addEvaluation(runId: number, imageId: number, metric: string, value: number | null, annotationVersionId: number | null = null): void {
    this.addEvaluations(runId, imageId, { [metric]: value }, annotationVersionId);
  }

  /** Records several metric values of one image in one transaction. */
  addEvaluations(runId: number, imageId: number, values: Record<string, number | null>, annotationVersionId: number | null = null): void {
    for (const metric of Object.keys(values)) {
      if (!METRIC_NAME.test(metric)) throw new UnetError('INVALID_ARGUMENT', `invalid metric name "${metric}"`);
    }
    this.requireRun(runId);
    if (!this.db.prepare('SELECT 1 FROM images WHERE id = ?').get(imageId)) throw new UnetError('NOT_FOUND', `no image with id ${imageId}`, { imageId });
    const insert = this.db.prepare(
      `INSERT INTO evaluations (run_id, image_id, metric, value, annotation_version_id, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (run_id, image_id, metric) DO UPDATE SET value = excluded.value,
         annotation_version_id = excluded.annotation_version_id, created_at = excluded.created_at`,
    );
    const time = nowIso();
    this.db.transaction(() => {
      for (const [metric, value] of Object.entries(values)) insert.run(runId, imageId, metric, finiteOrNull(value), annotationVersionId, time);
    }).immediate();
  }

  /**
   * Records the baseline's metric values for one image that the run was evaluated on, with how the
   * baseline was computed (sigma, polarity and the rule that chose it).
   */
  addBaselineEvaluations(
    runId: number,
    imageId: number,
    baseline: 'otsu',
    values: Record<string, number | null>,
    settings: Record<string, unknown>,
    annotationVersionId: number | null = null,
  ): void {
    for (const metric of Object.keys(values)) {
      if (!METRIC_NAME.test(metric)) throw new UnetError('INVALID_ARGUMENT', `invalid metric name "${metric}"`);
    }
    if (baseline !== 'otsu') throw new UnetError('INVALID_ARGUMENT', `unknown baseline "${String(baseline)}"`);
    this.requireRun(runId);
    if (!this.db.prepare('SELECT 1 FROM images WHERE id = ?').get(imageId)) throw new UnetError('NOT_FOUND', `no image with id ${imageId}`, { imageId });
    const insert = this.db.prepare(
      `INSERT INTO baseline_evaluations (run_id, image_id, baseline, metric, value, settings, annotation_version_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (run_id, image_id, baseline, metric) DO UPDATE SET value = excluded.value, settings = excluded.settings,
         annotation_version_id = excluded.annotation_version_id, created_at = excluded.created_at`,
    );
    const time = nowIso();
    const json = JSON.stringify(settings);
    this.db.transaction(() => {
      for (const [metric, value] of Object.entries(values)) insert.run(runId, imageId, baseline, metric, finiteOrNull(value), json, annotationVersionId, time);
    }).immediate();
  }

  /** Per-image metric values of a run (optionally one split of its membership) and their means. */
  evaluations(runId: number, options: { split?: Split; metrics?: string[] } = {}): EvaluationTable {
    this.requireRun(runId);
    const rows = this.db
      .prepare(
        `SELECT e.image_id, i.name AS image_name, m.split, e.metric, e.value
         FROM evaluations e JOIN images i ON i.id = e.image_id
         LEFT JOIN run_images m ON m.run_id = e.run_id AND m.image_id = e.image_id
         WHERE e.run_id = ? ORDER BY i.name, i.id, e.metric`,
      )
      .all(runId) as EvaluationValueRow[];
    const wanted = options.metrics ? new Set(options.metrics) : null;
    const byImage = new Map<number, EvaluationRow>();
    const metrics = new Set<string>();
    for (const row of rows) {
      if (options.split && row.split !== options.split) continue;
      if (wanted && !wanted.has(row.metric)) continue;
      metrics.add(row.metric);
      let entry = byImage.get(row.image_id);
      if (!entry) {
        entry = { imageId: row.image_id, imageName: row.image_name, split: row.split, values: {} };
        byImage.set(row.image_id, entry);
      }
      entry.values[row.metric] = row.value;
    }
    const metricList = [...metrics].sort();
    const table: EvaluationTable = { runId, metrics: metricList, rows: [...byImage.values()], mean: {}, count: {} };
    const means = meansOf(table.rows, metricList, (row) => row.values);
    table.mean = means.mean;
    table.count = means.count;
    const baseline = this.baselineOf(runId, byImage, wanted);
    if (baseline) table.baseline = baseline;
    return table;
  }

  /** Attaches the baseline's values to the rows of the images the run was scored on, and their means. */
  private baselineOf(runId: number, byImage: Map<number, EvaluationRow>, wanted: Set<string> | null): EvaluationTable['baseline'] {
    const rows = this.db
      .prepare("SELECT image_id, metric, value, settings FROM baseline_evaluations WHERE run_id = ? AND baseline = 'otsu' ORDER BY created_at")
      .all(runId) as { image_id: number; metric: string; value: number | null; settings: string }[];
    let settings: Record<string, unknown> | null = null;
    const metrics = new Set<string>();
    for (const row of rows) {
      const entry = byImage.get(row.image_id);
      if (!entry || (wanted && !wanted.has(row.metric))) continue;
      (entry.baseline ??= {})[row.metric] = row.value;
      metrics.add(row.metric);
      settings = JSON.parse(row.settings) as Record<string, unknown>;
    }
    if (!settings) return undefined;
    const scored = [...byImage.values()].filter((r) => r.baseline);
    return { method: 'otsu', settings, ...meansOf(scored, [...metrics].sort(), (row) => row.baseline ?? {}) };
  }

  /** Means per run and values per image side by side, for the metrics the runs have in common or those asked for. */
  compare(runIds: readonly number[], options: { split?: Split; metrics?: string[] } = {}): RunComparison {
    const tables = runIds.map((id) => ({ summary: this.requireRun(id), table: this.evaluations(id, options) }));
    const metrics = new Set<string>();
    for (const { table } of tables) for (const m of table.metrics) metrics.add(m);
    const images = new Map<number, RunComparison['images'][number]>();
    for (const { table } of tables) {
      for (const row of table.rows) {
        let entry = images.get(row.imageId);
        if (!entry) {
          entry = { imageId: row.imageId, imageName: row.imageName, values: {} };
          images.set(row.imageId, entry);
        }
        entry.values[String(table.runId)] = row.values;
      }
    }
    return {
      metrics: [...metrics].sort(),
      runs: tables.map(({ summary, table }) => ({ runId: summary.id, name: summary.name, status: summary.status, mean: table.mean, count: table.count })),
      images: [...images.values()].sort((a, b) => a.imageName.localeCompare(b.imageName) || a.imageId - b.imageId),
    };
  }

  private requireRun(runId: number): { id: number; name: string; status: RunComparison['runs'][number]['status'] } {
    const run = this.db.prepare('SELECT id, name, status FROM runs WHERE id = ?').get(runId) as { id: number; name: string; status: RunComparison['runs'][number]['status'] } | undefined;
    if (!run) throw new UnetError('NOT_FOUND', `no run with id ${runId}`, { runId });
    return run;
  }
}

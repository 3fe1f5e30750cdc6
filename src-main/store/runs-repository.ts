import type { ErrorInfo } from '../../src-shared/contract/errors';
import { UnetError } from '../../src-shared/contract/errors';
import type { CheckpointRecord, CurvePoint, RunDetail, RunImage, RunStatus, RunSummary, Split } from '../../src-shared/contract/records';
import { nowIso } from './clock';
import type { Db } from './database';
import { RunCheckpoints, type NewCheckpoint } from './run-checkpoints';
import { RunCurves, type NewCurvePoint } from './run-curves';
import { lineageOf } from './run-lineage';
import { processOwner, recoverInterruptedRuns } from './run-recovery';

export type { NewCheckpoint } from './run-checkpoints';
export type { NewCurvePoint } from './run-curves';
export { processOwner } from './run-recovery';

export interface NewRun {
  datasetId: number;
  name?: string;
  /** The full training configuration, stored as given. */
  config: Record<string, unknown>;
  seed: number;
  backend: string;
  device: string;
  appVersion: string;
  tfjsVersion: string;
  /** Other software versions (node, onnxruntime, electron...). */
  versions?: Record<string, string>;
  /** Membership frozen at the start: image, split and annotation version used. */
  images: { imageId: number; split: Split; annotationVersionId: number | null }[];
  resumedFrom?: number | null;
  status?: 'queued' | 'running';
}

export interface RunQuery {
  datasetId?: number;
  status?: RunStatus;
  offset?: number;
  limit?: number;
}

interface RunRow {
  id: number;
  dataset_id: number;
  dataset_name: string;
  name: string;
  notes: string;
  status: RunStatus;
  config: string;
  seed: number;
  backend: string;
  device: string;
  app_version: string;
  tfjs_version: string;
  versions: string;
  owner: string | null;
  resumed_from: number | null;
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  last_step: number | null;
  last_loss: number | null;
}

const SELECT_RUNS = `
  SELECT r.*, d.name AS dataset_name,
         (SELECT max(step) FROM run_curves c WHERE c.run_id = r.id) AS last_step,
         (SELECT loss FROM run_curves c WHERE c.run_id = r.id AND c.loss IS NOT NULL ORDER BY step DESC LIMIT 1) AS last_loss
  FROM runs r JOIN datasets d ON d.id = r.dataset_id`;

const FINISHED: ReadonlySet<RunStatus> = new Set(['succeeded', 'failed', 'cancelled', 'interrupted']);

function toSummary(row: RunRow): RunSummary {
  return {
    id: row.id,
    datasetId: row.dataset_id,
    datasetName: row.dataset_name,
    name: row.name,
    status: row.status,
    backend: row.backend,
    device: row.device,
    seed: row.seed,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    lastStep: row.last_step,
    lastLoss: row.last_loss,
    error: row.error ? (JSON.parse(row.error) as ErrorInfo) : null,
  };
}

/** Training runs: what they used and how they went; curves, checkpoints and crash recovery have their own files. */
export class RunsRepository {
  private readonly curveStore: RunCurves;
  private readonly checkpointStore: RunCheckpoints;

  constructor(private readonly db: Db) {
    this.curveStore = new RunCurves(db);
    this.checkpointStore = new RunCheckpoints(db);
  }

  create(run: NewRun): RunDetail {
    const time = nowIso();
    const status = run.status ?? 'queued';
    const id = this.db.transaction(() => {
      const dataset = this.db.prepare('SELECT id FROM datasets WHERE id = ?').get(run.datasetId);
      if (!dataset) throw new UnetError('NOT_FOUND', `no data set with id ${run.datasetId}`);
      const count = (this.db.prepare('SELECT count(*) AS n FROM runs WHERE dataset_id = ?').get(run.datasetId) as { n: number }).n;
      const newId = Number(
        this.db
          .prepare(
            `INSERT INTO runs (dataset_id, name, status, config, seed, backend, device, app_version, tfjs_version, versions,
                               owner, resumed_from, created_at, started_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            run.datasetId,
            run.name?.trim() || `run ${count + 1}`,
            status,
            JSON.stringify(run.config),
            run.seed,
            run.backend,
            run.device,
            run.appVersion,
            run.tfjsVersion,
            JSON.stringify(run.versions ?? {}),
            status === 'running' ? processOwner() : null,
            run.resumedFrom ?? null,
            time,
            status === 'running' ? time : null,
            time,
          ).lastInsertRowid,
      );
      const member = this.db.prepare('INSERT INTO run_images (run_id, image_id, split, annotation_version_id) VALUES (?, ?, ?, ?)');
      const imageOf = this.db.prepare('SELECT dataset_id FROM images WHERE id = ?');
      const versionOf = this.db.prepare('SELECT image_id FROM annotation_versions WHERE id = ?');
      for (const item of run.images) {
        const image = imageOf.get(item.imageId) as { dataset_id: number } | undefined;
        if (!image || image.dataset_id !== run.datasetId) throw new UnetError('INVALID_ARGUMENT', `image ${item.imageId} is not in data set ${run.datasetId}`);
        if (item.annotationVersionId !== null) {
          const version = versionOf.get(item.annotationVersionId) as { image_id: number } | undefined;
          if (!version || version.image_id !== item.imageId) {
            throw new UnetError('INVALID_ARGUMENT', `annotation version ${item.annotationVersionId} does not belong to image ${item.imageId}`);
          }
        }
        member.run(newId, item.imageId, item.split, item.annotationVersionId);
      }
      return newId;
    }).immediate();
    return this.get(id);
  }

  find(id: number): RunSummary | null {
    const row = this.db.prepare(`${SELECT_RUNS} WHERE r.id = ?`).get(id) as RunRow | undefined;
    return row ? toSummary(row) : null;
  }

  summary(id: number): RunSummary {
    const found = this.find(id);
    if (!found) throw new UnetError('NOT_FOUND', `no run with id ${id}`, { runId: id });
    return found;
  }

  get(id: number): RunDetail {
    const row = this.db.prepare(`${SELECT_RUNS} WHERE r.id = ?`).get(id) as RunRow | undefined;
    if (!row) throw new UnetError('NOT_FOUND', `no run with id ${id}`, { runId: id });
    const images = this.db
      .prepare(
        `SELECT m.image_id AS imageId, i.name AS imageName, m.split, m.annotation_version_id AS annotationVersionId, a.version AS annotationVersion
         FROM run_images m JOIN images i ON i.id = m.image_id LEFT JOIN annotation_versions a ON a.id = m.annotation_version_id
         WHERE m.run_id = ? ORDER BY m.split, i.name, i.id`,
      )
      .all(id) as RunImage[];
    const checkpointCount = this.checkpointStore.count(id);
    const config = JSON.parse(row.config) as Record<string, unknown>;
    return {
      ...toSummary(row),
      notes: row.notes,
      config,
      appVersion: row.app_version,
      tfjsVersion: row.tfjs_version,
      versions: JSON.parse(row.versions) as Record<string, string>,
      resumedFrom: row.resumed_from,
      lineage: lineageOf(config, (runId) => this.configOf(runId)),
      images,
      checkpointCount,
      lastCheckpoint: this.lastCheckpoint(id),
    };
  }

  /** A run's recorded config, or null when there is no such run. */
  private configOf(id: number): Record<string, unknown> | null {
    const row = this.db.prepare('SELECT config FROM runs WHERE id = ?').get(id) as { config: string } | undefined;
    return row ? (JSON.parse(row.config) as Record<string, unknown>) : null;
  }

  list(query: RunQuery = {}): RunSummary[] {
    const where: string[] = [];
    const params: Record<string, unknown> = {
      limit: Math.min(1000, Math.max(1, Math.floor(query.limit ?? 200))),
      offset: Math.max(0, Math.floor(query.offset ?? 0)),
    };
    if (query.datasetId !== undefined) {
      where.push('r.dataset_id = @datasetId');
      params.datasetId = query.datasetId;
    }
    if (query.status) {
      where.push('r.status = @status');
      params.status = query.status;
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    return (this.db.prepare(`${SELECT_RUNS} ${clause} ORDER BY r.id DESC LIMIT @limit OFFSET @offset`).all(params) as RunRow[]).map(toSummary);
  }

  /**
   * Moves a run to a new status. Running stamps the start and this process as owner; a finished
   * status stamps the end. A finished run cannot change status again.
   */
  setStatus(id: number, status: RunStatus, error: ErrorInfo | null = null): RunSummary {
    this.db.transaction(() => {
      const current = this.summary(id);
      if (FINISHED.has(current.status) && current.status !== status) {
        throw new UnetError('CONFLICT', `run ${id} already ${current.status}`, { runId: id, status: current.status });
      }
      const time = nowIso();
      this.db
        .prepare(
          `UPDATE runs SET status = @status, error = @error, updated_at = @time,
                  owner = CASE WHEN @status = 'running' THEN @owner ELSE owner END,
                  started_at = CASE WHEN @status = 'running' THEN coalesce(started_at, @time) ELSE started_at END,
                  finished_at = CASE WHEN @finished THEN coalesce(finished_at, @time) ELSE finished_at END
           WHERE id = @id`,
        )
        .run({ id, status, error: error ? JSON.stringify(error) : null, time, owner: processOwner(), finished: FINISHED.has(status) ? 1 : 0 });
    }).immediate();
    return this.summary(id);
  }

  update(id: number, changes: { name?: string; notes?: string }): RunDetail {
    this.summary(id);
    const name = changes.name?.trim();
    if (name !== undefined && (name.length === 0 || name.length > 200)) throw new UnetError('INVALID_ARGUMENT', 'a run name needs 1..200 characters');
    this.db
      .prepare('UPDATE runs SET name = coalesce(?, name), notes = coalesce(?, notes), updated_at = ? WHERE id = ?')
      .run(name ?? null, changes.notes ?? null, nowIso(), id);
    return this.get(id);
  }

  delete(id: number): void {
    this.summary(id);
    const active = this.db.prepare("SELECT id FROM runs WHERE id = ? AND status IN ('queued', 'running')").get(id);
    if (active) throw new UnetError('CONFLICT', `run ${id} is still active; cancel it first`, { runId: id });
    this.db.prepare('DELETE FROM runs WHERE id = ?').run(id);
  }

  /** Records a curve point; values reported for the same step (loss, then validation) merge. */
  appendCurvePoint(id: number, point: NewCurvePoint): void {
    this.curveStore.append(id, point);
  }

  /** The curve, optionally from a step on, thinned to at most maxPoints (the last point always kept). */
  curves(id: number, options: { fromStep?: number; maxPoints?: number } = {}): CurvePoint[] {
    this.summary(id);
    return this.curveStore.read(id, options);
  }

  addCheckpoint(id: number, checkpoint: NewCheckpoint): CheckpointRecord {
    this.summary(id);
    return this.checkpointStore.add(id, checkpoint);
  }

  checkpoints(id: number): CheckpointRecord[] {
    this.summary(id);
    return this.checkpointStore.list(id);
  }

  lastCheckpoint(id: number): CheckpointRecord | null {
    return this.checkpointStore.last(id);
  }

  /**
   * Called at open: runs left queued or running by a process that no longer exists become
   * interrupted, with their last checkpoint noted in the error details.
   */
  recoverInterrupted(): RunSummary[] {
    return recoverInterruptedRuns(this.db, this.checkpointStore).map((id) => this.summary(id));
  }
}

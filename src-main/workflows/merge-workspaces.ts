import path from 'node:path';
import { UnetError } from '../../src-shared/contract/errors';
import type { RunDetail, RunStatus, RunSummary } from '../../src-shared/contract/records';
import { Workspace } from '../store/workspace';

export interface MergeCounts {
  datasets: number;
  images: number;
  annotationVersions: number;
  runs: number;
  curvePoints: number;
  checkpoints: number;
  predictions: number;
  evaluations: number;
}

export interface MergeReport {
  target: string;
  shards: { path: string; added: MergeCounts }[];
  total: MergeCounts;
}

const zero = (): MergeCounts => ({ datasets: 0, images: 0, annotationVersions: 0, runs: 0, curvePoints: 0, checkpoints: 0, predictions: 0, evaluations: 0 });

/** Key that identifies a run across copies of a workspace (a merged run keeps its original creation time). */
function originOf(run: RunDetail): string {
  return `${run.versions.originCreatedAt ?? run.createdAt}|${run.seed}|${run.name}`;
}

/**
 * Folds the records of shard workspaces (e.g. one per cluster task) into `targetDir`: data sets by
 * name, images by path, annotation versions by content, runs by name + seed + original creation
 * time, then their curves, checkpoints, predictions and per-image metrics. Records already present
 * are not duplicated, so merging the same shard twice changes nothing. Files (images, checkpoints,
 * predictions) stay where the shards wrote them; the merged records point there.
 */
export function mergeWorkspaces(targetDir: string, shardDirs: string[]): MergeReport {
  const target = Workspace.open(targetDir);
  const report: MergeReport = { target: target.path, shards: [], total: zero() };
  try {
    for (const dir of shardDirs) {
      if (path.resolve(dir) === target.path) throw new UnetError('INVALID_ARGUMENT', `${dir} is the target workspace itself`, { usage: true });
      const shard = Workspace.open(dir, { create: false });
      try {
        const added = mergeOne(target, shard);
        report.shards.push({ path: shard.path, added });
        for (const key of Object.keys(added) as (keyof MergeCounts)[]) report.total[key] += added[key];
      } finally {
        shard.close();
      }
    }
  } finally {
    target.close();
  }
  return report;
}

function mergeOne(target: Workspace, shard: Workspace): MergeCounts {
  const added = zero();
  const imageMap = new Map<number, number>();
  const versionMap = new Map<number, number>();
  const datasetMap = new Map<number, number>();

  for (const summary of shard.datasets.list()) {
    const source = shard.datasets.get(summary.id);
    let found = target.datasets.list().find((d) => d.name.toLowerCase() === source.name.toLowerCase());
    if (!found) {
      found = target.datasets.create({ name: source.name, description: source.description, classes: source.classes, plane: source.plane });
      added.datasets++;
    } else {
      for (const c of source.classes) target.datasets.ensureClass(found.id, c);
    }
    const datasetId = found.id;
    datasetMap.set(source.id, datasetId);

    for (const image of shard.images.all(source.id)) {
      let mapped = target.images.findByPath(datasetId, image.path);
      if (!mapped) {
        mapped = target.images.insert({
          datasetId,
          path: image.path,
          name: image.name,
          size: image.size,
          mtimeMs: image.mtimeMs,
          contentHash: image.contentHash,
          width: image.width,
          height: image.height,
          frames: image.frames,
          channels: image.channels,
          dtype: image.dtype,
          pixelSizeUm: image.pixelSizeUm,
          split: image.split,
        });
        added.images++;
      }
      imageMap.set(image.id, mapped.id);
      // Oldest first, so the shard's latest version ends up latest here too.
      for (const info of shard.annotations.history(image.id).reverse()) {
        const version = shard.annotations.version(image.id, info.version);
        const saved = target.annotations.save(mapped.id, {
          classMap: version.classMap,
          instanceMap: version.instanceMap,
          source: info.source,
          author: info.author,
          message: info.message,
        });
        if (!saved.unchanged) added.annotationVersions++;
        versionMap.set(info.id, target.annotations.version(mapped.id, saved.version).id);
      }
    }
  }

  const runMap = new Map<number, number>();
  const shardRuns = shard.runs.list({ limit: 1000 }).reverse();
  for (const summary of shardRuns) {
    const run = shard.runs.get(summary.id);
    const datasetId = datasetMap.get(run.datasetId);
    if (datasetId === undefined) continue;
    const existing = target.runs
      .list({ datasetId, limit: 1000 })
      .map((r) => target.runs.get(r.id))
      .find((r) => originOf(r) === originOf(run));
    let runId: number;
    if (existing) {
      runId = existing.id;
    } else {
      const created = target.runs.create({
        datasetId,
        name: run.name,
        config: run.config,
        seed: run.seed,
        backend: run.backend,
        device: run.device,
        appVersion: run.appVersion,
        tfjsVersion: run.tfjsVersion,
        versions: { ...run.versions, originCreatedAt: run.versions.originCreatedAt ?? run.createdAt },
        images: run.images
          .filter((m) => imageMap.has(m.imageId))
          .map((m) => ({ imageId: imageMap.get(m.imageId) as number, split: m.split, annotationVersionId: m.annotationVersionId === null ? null : (versionMap.get(m.annotationVersionId) ?? null) })),
        resumedFrom: run.resumedFrom === null ? null : (runMap.get(run.resumedFrom) ?? null),
        status: 'queued',
      });
      runId = created.id;
      finishLike(target, runId, run);
      added.runs++;
    }
    runMap.set(run.id, runId);
    const knownSteps = new Set(target.runs.curves(runId).map((p) => p.step));
    for (const point of shard.runs.curves(run.id)) {
      target.runs.appendCurvePoint(runId, { step: point.step, loss: point.loss, metrics: point.metrics, elapsedMs: point.elapsedMs });
      if (!knownSteps.has(point.step)) added.curvePoints++;
    }
    const knownCheckpoints = new Set(target.runs.checkpoints(runId).map((c) => `${c.step}|${c.path}`));
    for (const c of shard.runs.checkpoints(run.id)) {
      if (knownCheckpoints.has(`${c.step}|${c.path}`)) continue;
      target.runs.addCheckpoint(runId, { step: c.step, path: c.path, metricName: c.metricName, metricValue: c.metricValue });
      added.checkpoints++;
    }
    const knownPredictions = new Set(target.results.predictions(runId).map((p) => p.inputPath));
    for (const p of shard.results.predictions(run.id)) {
      target.results.addPrediction(runId, {
        imageId: p.imageId === null ? null : (imageMap.get(p.imageId) ?? null),
        inputPath: p.inputPath,
        labelsPath: p.labelsPath,
        instancesPath: p.instancesPath,
        probabilitiesPath: p.probabilitiesPath,
      });
      if (!knownPredictions.has(p.inputPath)) added.predictions++;
    }
    const knownEvaluations = new Set(target.results.evaluations(runId).rows.map((r) => r.imageId));
    const shardTable = shard.results.evaluations(run.id);
    for (const row of shardTable.rows) {
      const imageId = imageMap.get(row.imageId);
      if (imageId === undefined) continue;
      target.results.addEvaluations(runId, imageId, row.values);
      // The Otsu baseline scored beside the run travels with its scores.
      if (row.baseline && shardTable.baseline) target.results.addBaselineEvaluations(runId, imageId, 'otsu', row.baseline, shardTable.baseline.settings);
      if (!knownEvaluations.has(imageId)) added.evaluations++;
    }
  }
  return added;
}

/** A merged run ends in the shard run's status; one still active there is recorded as interrupted. */
function finishLike(target: Workspace, runId: number, source: RunSummary): void {
  const active = source.status === 'queued' || source.status === 'running';
  const status: RunStatus = active ? 'interrupted' : source.status;
  target.runs.setStatus(runId, 'running');
  target.runs.setStatus(runId, status, active ? { code: 'INTERNAL', message: 'the run was still active in its shard when the shards were merged', details: { interrupted: true } } : source.error);
}

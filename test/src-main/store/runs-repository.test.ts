import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewRun } from '../../../src-main/store/runs-repository';
import { Workspace } from '../../../src-main/store/workspace';
import { fakeImage, tempWorkspace } from './temp-workspace';

describe('RunsRepository', () => {
  let t: ReturnType<typeof tempWorkspace>;
  let ws: Workspace;
  let datasetId: number;
  let imageId: number;
  let newRun: NewRun;
  beforeEach(() => {
    t = tempWorkspace();
    ws = t.ws;
    datasetId = ws.datasets.create({ name: 'd' }).id;
    imageId = ws.images.insert(fakeImage(datasetId, 'a.png')).id;
    ws.images.setSplit([imageId], 'train');
    ws.annotations.save(imageId, { classMap: new Uint8Array(48).fill(1), instanceMap: new Uint32Array(48) });
    const [item] = ws.trainingSet(datasetId, 'train');
    newRun = {
      datasetId,
      config: { tile: 316, depth: 4, lr: 1e-3, optimizer: { kind: 'sgd', momentum: 0.99 } },
      seed: 42,
      backend: 'wasm',
      device: 'CPU: 2 cores',
      appVersion: '0.1.0',
      tfjsVersion: '4.22.0',
      versions: { node: '20' },
      images: [{ imageId: item.imageId, split: 'train', annotationVersionId: item.annotationVersionId }],
    };
  });
  afterEach(() => t.dispose());

  it('records the config, versions and exact membership of a run', () => {
    const run = ws.runs.create(newRun);
    expect(run).toMatchObject({ name: 'run 1', status: 'queued', seed: 42, backend: 'wasm', config: newRun.config, versions: { node: '20' }, datasetName: 'd' });
    expect(run.images).toEqual([{ imageId, imageName: 'a.png', split: 'train', annotationVersionId: newRun.images[0].annotationVersionId, annotationVersion: 1 }]);
    // A later annotation does not change what the run used.
    ws.annotations.save(imageId, { classMap: new Uint8Array(48).fill(2), instanceMap: new Uint32Array(48) });
    expect(ws.runs.get(run.id).images[0].annotationVersion).toBe(1);
    expect(ws.runs.create({ ...newRun, name: 'second' }).name).toBe('second');
    expect(ws.runs.list({ datasetId }).map((r) => r.name)).toEqual(['second', 'run 1']);
  });

  it('refuses membership from another data set or foreign annotation versions', () => {
    const other = ws.datasets.create({ name: 'other' });
    const foreign = ws.images.insert(fakeImage(other.id, 'b.png'));
    expect(() => ws.runs.create({ ...newRun, images: [{ imageId: foreign.id, split: 'train', annotationVersionId: null }] })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => ws.runs.create({ ...newRun, images: [{ imageId, split: 'train', annotationVersionId: 999 }] })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(ws.runs.list()).toEqual([]);
  });

  it('moves through statuses and stamps times', () => {
    const run = ws.runs.create(newRun);
    const running = ws.runs.setStatus(run.id, 'running');
    expect(running.startedAt).not.toBeNull();
    expect(running.finishedAt).toBeNull();
    const failed = ws.runs.setStatus(run.id, 'failed', { code: 'OUT_OF_MEMORY', message: 'tile too large' });
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'OUT_OF_MEMORY' } });
    expect(failed.finishedAt).not.toBeNull();
    expect(() => ws.runs.setStatus(run.id, 'running')).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
  });

  it('merges curve values reported for the same step and thins long curves', () => {
    const run = ws.runs.create(newRun);
    for (let step = 0; step < 100; step++) ws.runs.appendCurvePoint(run.id, { step, loss: 1 / (step + 1), elapsedMs: step * 10 });
    ws.runs.appendCurvePoint(run.id, { step: 50, metrics: { valLoss: 0.3, iou: 0.7 } });
    ws.runs.appendCurvePoint(run.id, { step: 50, metrics: { seg: 0.5, bad: Number.NaN } });
    const all = ws.runs.curves(run.id);
    expect(all).toHaveLength(100);
    expect(all[50]).toMatchObject({ step: 50, loss: 1 / 51, metrics: { valLoss: 0.3, iou: 0.7, seg: 0.5 }, elapsedMs: 500 });
    const thin = ws.runs.curves(run.id, { maxPoints: 10 });
    expect(thin.length).toBeLessThanOrEqual(11);
    expect(thin[0].step).toBe(0);
    expect(thin[thin.length - 1].step).toBe(99);
    expect(ws.runs.curves(run.id, { fromStep: 95 }).map((p) => p.step)).toEqual([95, 96, 97, 98, 99]);
    expect(ws.runs.summary(run.id)).toMatchObject({ lastStep: 99, lastLoss: 1 / 100 });
    expect(() => ws.runs.appendCurvePoint(999, { step: 1, loss: 1 })).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('keeps checkpoints in step order', () => {
    const run = ws.runs.create(newRun);
    ws.runs.addCheckpoint(run.id, { step: 200, path: '/m/200', metricName: 'iou', metricValue: 0.8 });
    ws.runs.addCheckpoint(run.id, { step: 100, path: '/m/100', metricName: 'iou', metricValue: 0.7 });
    expect(ws.runs.checkpoints(run.id).map((c) => c.step)).toEqual([100, 200]);
    expect(ws.runs.get(run.id)).toMatchObject({ checkpointCount: 2, lastCheckpoint: { step: 200, metricValue: 0.8 } });
  });

  it('turns runs left running by a crash into interrupted at open, noting the last checkpoint', () => {
    const running = ws.runs.create({ ...newRun, status: 'running' });
    const queued = ws.runs.create(newRun);
    const done = ws.runs.create(newRun);
    ws.runs.setStatus(done.id, 'succeeded');
    ws.runs.addCheckpoint(running.id, { step: 300, path: path.join(ws.modelsDir, 'ckpt-300') });
    ws.runs.appendCurvePoint(running.id, { step: 310, loss: 0.2 });
    ws.close();

    const reopened = Workspace.open(t.dir);
    t.ws = reopened;
    ws = reopened;
    expect(reopened.recoveredRuns.map((r) => r.id).sort()).toEqual([running.id, queued.id].sort());
    const recovered = reopened.runs.get(running.id);
    expect(recovered.status).toBe('interrupted');
    expect(recovered.finishedAt).not.toBeNull();
    expect(recovered.error).toMatchObject({ details: { interrupted: true, previousStatus: 'running', checkpointStep: 300 } });
    expect(recovered.error?.message).toMatch(/step 300/);
    expect(reopened.runs.get(done.id).status).toBe('succeeded');
    expect(reopened.runs.get(queued.id).error).toMatchObject({ details: { interrupted: true, previousStatus: 'queued', checkpointStep: null } });
  });

  it('leaves a run alone while the process that owns it is alive', () => {
    const run = ws.runs.create({ ...newRun, status: 'running' });
    // The parent of this process is alive and on this host: it stands for another app instance.
    ws.db.prepare('UPDATE runs SET owner = ? WHERE id = ?').run(`${os.hostname()}:${process.ppid}`, run.id);
    ws.close();
    const reopened = Workspace.open(t.dir);
    t.ws = reopened;
    expect(reopened.recoveredRuns).toEqual([]);
    expect(reopened.runs.summary(run.id).status).toBe('running');
  });
});

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, type UnetApi } from '../../../src-shared/contract/index';
import { createApiClient } from '../../../src-shared/transport/api-client';
import { createAppContext, type AppContext } from '../../../src-main/app/app-context';
import type { SegmentationOutcome } from '../../../src-main/pipeline/segmentation-pipeline';
import { writeBlobFolders } from '../pipeline/blob-folders';

let dir: string;
let ctx: AppContext;
let api: UnetApi;
let datasetId: number;
let imageIds: number[];
let runId: number;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'unet-segmentation-service-'));
  await writeBlobFolders(path.join(dir, 'blobs'), { count: 3, width: 80, height: 72 });
  ctx = createAppContext({ mode: 'cli', workspacePath: path.join(dir, 'workspace') });
  api = createApiClient(contract, {
    call: (method, input) => ctx.dispatch(method, input),
    subscribe: (channel, listener) => ctx.bus.subscribe((c, p) => c === channel && listener(p)),
  });
  datasetId = (await api.datasets.create({ name: 'blobs' })).id;
  await ctx.jobs.wait((await api.images.import({ datasetId, paths: [path.join(dir, 'blobs')] })).id);
  imageIds = (await api.images.list({ datasetId })).items.map((i) => i.id);
  await api.images.setSplit({ ids: imageIds.slice(0, 2), split: 'train' });
  const started = await api.training.start({ datasetId, options: { preset: 'tiny', steps: 3 } });
  runId = started.runId;
  expect((await ctx.jobs.wait(started.job.id)).status).toBe('succeeded');
});

afterAll(async () => {
  await ctx?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('segmentation service', () => {
  it('segments images with a run\'s model, records predictions and scores them against their annotations', async () => {
    const { job } = await api.segmentation.start({ runId, imageIds, options: { tta: true, instances: true, evaluate: true } });
    const finished = await ctx.jobs.wait(job.id);
    expect(finished.status, JSON.stringify(finished.error)).toBe('succeeded');
    const outcome = finished.result as SegmentationOutcome;
    expect(outcome).toMatchObject({ runId, predicted: 3, evaluated: 3, failures: [] });

    const predictions = await api.results.predictions({ runId });
    expect(predictions.map((p) => p.imageId).sort()).toEqual([...imageIds].sort());
    for (const p of predictions) {
      expect(existsSync(p.labelsPath as string)).toBe(true);
      expect(existsSync(p.probabilitiesPath as string)).toBe(true);
      expect(existsSync(p.instancesPath as string)).toBe(true);
    }

    const table = await api.results.evaluations({ runId });
    expect(table.rows).toHaveLength(3);
    expect(table.metrics).toEqual(expect.arrayContaining(['iou', 'seg', 'vRand', 'vInfo', 'randError', 'pixelError', 'ap50']));
    for (const row of table.rows) for (const m of ['iou', 'pixelError']) expect(row.values[m]).toBeGreaterThanOrEqual(0);
    // The untrained images are scored too, with the split the run recorded for them (none for the third).
    expect(table.rows.map((r) => r.split)).toEqual(['train', 'train', null]);

    // The Otsu baseline was scored on the same images against the same annotations, and stored.
    expect(outcome.baseline?.settings).toEqual({ sigma: 1, polarity: 'bright', rule: 'training annotations' });
    expect(table.baseline?.settings).toEqual(outcome.baseline?.settings);
    expect(table.baseline?.count.iou).toBe(3);
    for (const row of table.rows) expect(row.baseline?.iou).toBeGreaterThan(0.8);
    expect(table.baseline?.mean.iou).toBeCloseTo(outcome.baseline?.mean.iou as number, 10);
    // No validation split: nothing was calibrated, so the objects are plain components.
    expect(outcome.instances?.calibrated).toBe(false);
    expect(outcome.instances?.description).toBe('connected components');
  });

  it('returns a stored prediction as maps for the overlay', async () => {
    const view = await api.segmentation.prediction({ runId, imageId: imageIds[0] });
    expect([view.width, view.height]).toEqual([80, 72]);
    expect(view.classMap).toBeInstanceOf(Uint8Array);
    expect(view.classMap.length).toBe(80 * 72);
    expect(view.classMap.every((c) => c === 1 || c === 2)).toBe(true);
    expect(view.probability.every((p) => p >= 0 && p <= 1.0001)).toBe(true);
    expect(view.instances?.length).toBe(80 * 72);
  });

  it('answers with typed errors for unknown runs, images and predictions', async () => {
    await expect(api.segmentation.start({ runId: 999, imageIds })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(api.segmentation.start({ runId, imageIds: [12345] })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(api.segmentation.start({ runId, imageIds: [] })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(api.segmentation.prediction({ runId, imageId: 12345 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

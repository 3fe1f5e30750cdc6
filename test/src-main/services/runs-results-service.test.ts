import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CsvExport, RoiSetExport } from '../../../src-shared/contract/results';
import { writeLabelImage } from '../../../src-main/io/write-image';
import { decodeRoiSet } from '../../helpers/imagej-roi-reader';
import type { CheckpointRecord, CurvePoint, DatasetDetail, EvaluationTable, ImagePage, InterruptedRun, PredictionRecord, RunComparison, RunDetail, RunSummary } from '../../../src-shared/contract/records';
import type { Workspace } from '../../../src-main/store/workspace';
import { createStoreApp, FIXTURES, type StoreApp } from './store-app';

/** What the training and segmentation jobs will do through the store API, then read back through the contract. */
describe('runs and results services', () => {
  let app: StoreApp;
  let store: Workspace;
  let datasetId: number;
  let runId: number;
  let imageIds: number[];
  beforeEach(async () => {
    app = createStoreApp();
    datasetId = (await app.call<DatasetDetail>('datasets.create', { name: 'tiny' })).id;
    await app.job('images.import', { datasetId, paths: [path.join(FIXTURES, 'tiny')] });
    imageIds = (await app.call<ImagePage>('images.list', { datasetId })).items.map((i) => i.id);
    await app.call('images.setSplit', { ids: imageIds.slice(0, 2), split: 'train' });
    await app.call('images.setSplit', { ids: imageIds.slice(2), split: 'test' });
    store = app.ctx.workspace.current;
    const train = store.trainingSet(datasetId, 'train');
    const test = store.trainingSet(datasetId, 'test');
    expect(train).toHaveLength(2);
    expect(test).toHaveLength(1);
    runId = store.runs.create({
      datasetId,
      config: { tileSize: 188, depth: 3, baseChannels: 8 },
      seed: 7,
      backend: 'cpu',
      device: 'CPU',
      appVersion: '0.1.0',
      tfjsVersion: '4.22.0',
      images: [...train, ...test].map((t) => ({ imageId: t.imageId, split: t.split, annotationVersionId: t.annotationVersionId })),
      status: 'running',
    }).id;
    for (let step = 0; step <= 20; step += 5) store.runs.appendCurvePoint(runId, { step, loss: 1 - step / 40 });
    store.runs.appendCurvePoint(runId, { step: 20, metrics: { valIou: 0.61 } });
    store.runs.addCheckpoint(runId, { step: 20, path: path.join(store.modelsDir, 'run-1-step-20'), metricName: 'valIou', metricValue: 0.61 });
    store.runs.setStatus(runId, 'succeeded');
    store.results.addPrediction(runId, { imageId: imageIds[2], inputPath: path.join(FIXTURES, 'tiny/images/cells_03.tif'), labelsPath: '/out/cells_03.tif' });
    store.results.addEvaluations(runId, imageIds[2], { iou: 0.75, seg: 0.5 }, test[0].annotationVersionId);
    store.results.addEvaluations(runId, imageIds[0], { iou: 0.95 });
  });
  afterEach(() => app.dispose());

  it('lists runs and returns one with its config, membership, curves and checkpoints', async () => {
    const list = await app.call<RunSummary[]>('runs.list');
    expect(list.map((r) => [r.id, r.status, r.lastStep])).toEqual([[runId, 'succeeded', 20]]);
    expect(await app.call('runs.list', { status: 'failed' })).toEqual([]);
    const run = await app.call<RunDetail>('runs.get', { id: runId });
    expect(run).toMatchObject({ seed: 7, config: { tileSize: 188 }, checkpointCount: 1, lastCheckpoint: { step: 20 } });
    expect(run.images.map((i) => [i.imageName, i.split, i.annotationVersion])).toEqual([
      ['cells_03.tif', 'test', 1],
      ['cells_01.png', 'train', 1],
      ['cells_02.png', 'train', 1],
    ]);
    const curves = await app.call<CurvePoint[]>('runs.curves', { id: runId });
    expect(curves.map((c) => c.step)).toEqual([0, 5, 10, 15, 20]);
    expect(curves[4]).toMatchObject({ loss: 0.5, metrics: { valIou: 0.61 } });
    expect((await app.call<CurvePoint[]>('runs.curves', { id: runId, maxPoints: 2 })).map((c) => c.step)).toEqual([0, 15, 20]);
    expect((await app.call<CheckpointRecord[]>('runs.checkpoints', { id: runId }))[0]).toMatchObject({ metricName: 'valIou', metricValue: 0.61 });
    expect((await app.call<RunDetail>('runs.update', { id: runId, name: 'baseline', notes: 'first try' })).name).toBe('baseline');
    expect((await app.fail('runs.get', { id: 999 })).code).toBe('NOT_FOUND');
  });

  it('reports per-image metrics, means, comparisons and CSV', async () => {
    const table = await app.call<EvaluationTable>('results.evaluations', { runId });
    expect(table.metrics).toEqual(['iou', 'seg']);
    expect(table.mean.iou).toBeCloseTo(0.85, 12);
    expect(table.count).toEqual({ iou: 2, seg: 1 });
    expect((await app.call<EvaluationTable>('results.evaluations', { runId, split: 'test' })).mean).toEqual({ iou: 0.75, seg: 0.5 });
    expect((await app.call<PredictionRecord[]>('results.predictions', { runId }))[0]).toMatchObject({ imageName: 'cells_03.tif', labelsPath: '/out/cells_03.tif' });

    const second = store.runs.create({ datasetId, name: 'second', config: {}, seed: 8, backend: 'cpu', device: 'CPU', appVersion: '0.1.0', tfjsVersion: '4.22.0', images: [] });
    store.results.addEvaluations(second.id, imageIds[2], { iou: 0.8 });
    const cmp = await app.call<RunComparison>('results.compare', { runIds: [runId, second.id], metrics: ['iou'] });
    expect(cmp.runs.map((r) => r.mean.iou)).toEqual([expect.closeTo(0.85, 12), 0.8]);
    expect(cmp.images.find((i) => i.imageId === imageIds[2])?.values).toEqual({ [runId]: { iou: 0.75 }, [second.id]: { iou: 0.8 } });

    const csv = await app.call<CsvExport>('results.exportCsv', { runIds: [runId] });
    expect(csv.rows).toBe(3);
    expect(path.dirname(csv.path)).toBe(store.exportsDir);
    expect(readFileSync(csv.path, 'utf8')).toBe(csv.csv);
    expect(csv.csv.split('\r\n')[0]).toBe('run_id,run_name,image_id,image_name,split,iou,seg');
    expect(csv.csv).toContain(`${runId},run 1,${imageIds[2]},cells_03.tif,test,0.75,0.5`);
  });

  it('exports the objects of a run\'s predictions as ImageJ ROI sets and QuPath GeoJSON', async () => {
    // An instance label image with two touching objects, and a class map (1 = background) with one.
    const instances = path.join(app.tmp, 'pred', 'cells_01_instances.tif');
    const classes = path.join(app.tmp, 'pred', 'cells_02_classes.tif');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(path.dirname(instances), { recursive: true });
    await writeLabelImage(instances, Uint16Array.from([0, 1, 1, 2, 0, 1, 1, 2, 0, 0, 0, 0]), 4, 3);
    await writeLabelImage(classes, Uint8Array.from([1, 1, 1, 1, 1, 2, 2, 1, 1, 2, 2, 1]), 4, 3);
    const run = store.runs.create({ datasetId, config: {}, seed: 1, backend: 'cpu', device: 'CPU', appVersion: '0', tfjsVersion: '4', images: [] }).id;
    expect((await app.fail('results.exportRois', { runId: run, format: 'zip' })).code).toBe('NOT_FOUND');
    store.results.addPrediction(run, { imageId: imageIds[0], inputPath: '/in/cells_01.png', labelsPath: null, instancesPath: instances });
    store.results.addPrediction(run, { imageId: imageIds[1], inputPath: '/in/cells_02.png', labelsPath: classes });
    store.results.addPrediction(run, { imageId: imageIds[2], inputPath: '/in/cells_03.tif', labelsPath: path.join(app.tmp, 'gone.tif') });

    const zip = await app.call<RoiSetExport>('results.exportRois', { runId: run, format: 'zip' });
    expect(path.dirname(zip.folder)).toBe(store.exportsDir);
    expect(zip.files.map((f) => [f.imageName, path.basename(f.path), f.objects])).toEqual([
      ['cells_01.png', 'cells_01.rois.zip', 2],
      ['cells_02.png', 'cells_02.rois.zip', 1],
    ]);
    expect(zip.objects).toBe(3);
    expect(zip.skipped).toEqual([{ imageName: 'cells_03.tif', reason: expect.stringMatching(/gone\.tif/) }]);
    const rois = decodeRoiSet(readFileSync(zip.files[0].path));
    expect(rois.map((r) => [r.name, r.left, r.top, r.right, r.bottom])).toEqual([
      ['label-0001', 1, 0, 3, 2],
      ['label-0002', 3, 0, 4, 2],
    ]);

    const geo = await app.call<RoiSetExport>('results.exportRois', { runId: run, format: 'geojson' });
    const collection = JSON.parse(readFileSync(geo.files[1].path, 'utf8'));
    expect(collection.features).toHaveLength(1);
    expect(collection.features[0].geometry.coordinates[0]).toEqual([[3, 1], [3, 3], [1, 3], [1, 1], [3, 1]]);
    const className = (await app.call<DatasetDetail>('datasets.get', { id: datasetId })).classes.find((c) => c.value === 2)?.name;
    expect(collection.features[0].properties.classification.name).toBe(className);
    expect((await app.fail('results.exportRois', { runId: run, format: 'svg' })).code).toBe('INVALID_ARGUMENT');
  });

  it('lists interrupted runs after a crash, and deletes runs', async () => {
    const crashed = store.runs.create({ datasetId, config: {}, seed: 1, backend: 'cpu', device: 'CPU', appVersion: '0', tfjsVersion: '4', images: [], status: 'running' });
    store.runs.addCheckpoint(crashed.id, { step: 40, path: '/gone/ckpt' });
    // Reopening the workspace is what an app start after a crash does.
    await app.call('workspace.open', { path: path.join(app.tmp, 'elsewhere') });
    await app.call('workspace.open', { path: path.join(app.tmp, 'workspace') });
    const interrupted = await app.call<InterruptedRun[]>('runs.interrupted');
    expect(interrupted.map((i) => [i.run.id, i.lastCheckpoint?.step, i.resumable])).toEqual([[crashed.id, 40, false]]);
    expect(await app.call('runs.delete', { id: crashed.id })).toEqual({ deleted: 1 });
    expect(await app.call('runs.interrupted')).toEqual([]);
  });
});

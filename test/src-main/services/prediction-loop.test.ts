import { cpSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, type UnetApi } from '../../../src-shared/contract/index';
import type { AnnotationsSaved } from '../../../src-shared/contract/annotations';
import { UnetError } from '../../../src-shared/contract/errors';
import { createApiClient } from '../../../src-shared/transport/api-client';
import { createAppContext, type AppContext } from '../../../src-main/app/app-context';
import { exportBioimageio } from '../../../src-main/pipeline/bioimageio/export-bioimageio';
import { listStartingModels } from '../../../src-main/pipeline/starting-models-list';
import { runModelDir } from '../../../src-main/pipeline/run-model';
import { writeBlobFolders } from '../pipeline/blob-folders';

let dir: string;
let ctx: AppContext;
let api: UnetApi;
let datasetId: number;
/** Annotated (imported with masks) and unannotated images, in name order. */
let annotated: number[];
let unannotated: number[];
let first: number;

async function train(name: string, init?: string): Promise<number> {
  const { job, runId } = await api.training.start({ datasetId, name, options: { preset: 'tiny', steps: 3, seed: 5, ...(init ? { init } : {}) } });
  const finished = await ctx.jobs.wait(job.id);
  expect(finished.status, JSON.stringify(finished.error)).toBe('succeeded');
  return runId;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'unet-prediction-loop-'));
  await writeBlobFolders(path.join(dir, 'cells'), { count: 3, width: 80, height: 72 });
  // Images nobody annotated yet, named apart from the annotated ones.
  const more = await writeBlobFolders(path.join(dir, 'more'), { count: 3, width: 80, height: 72, seed: 20 });
  mkdirSync(path.join(dir, 'todo'));
  for (const name of readdirSync(more.images)) renameSync(path.join(more.images, name), path.join(dir, 'todo', `todo-${name}`));
  ctx = createAppContext({ mode: 'cli', workspacePath: path.join(dir, 'workspace') });
  api = createApiClient(contract, {
    call: (method, input) => ctx.dispatch(method, input),
    subscribe: (channel, listener) => ctx.bus.subscribe((c, p) => c === channel && listener(p)),
  });
  datasetId = (await api.datasets.create({ name: 'cells' })).id;
  await ctx.jobs.wait((await api.images.import({ datasetId, paths: [path.join(dir, 'cells')] })).id);
  await ctx.jobs.wait((await api.images.import({ datasetId, paths: [path.join(dir, 'todo')], masks: false })).id);
  const images = (await api.images.list({ datasetId })).items;
  annotated = images.filter((i) => i.annotationVersion > 0).map((i) => i.id);
  unannotated = images.filter((i) => i.annotationVersion === 0).map((i) => i.id);
  expect([annotated.length, unannotated.length]).toEqual([3, 3]);
  await api.images.setSplit({ ids: annotated.slice(0, 2), split: 'train' });
  await api.images.setSplit({ ids: annotated.slice(2), split: 'validation' });
  first = await train('first');
});

afterAll(async () => {
  await ctx?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('annotating by correcting the model', () => {
  it('offers a succeeded run to start from, with the architecture a run from it keeps; and starter models', async () => {
    const models = await api.training.startingModels();
    const run = models.find((m) => m.init === `run:${first}`);
    expect(run).toMatchObject({ kind: 'run', label: `run #${first} (first)`, datasetId, depth: 2, classNames: ['cell'], step: 3 });
    // A starter model is a model folder under the starters' folder.
    const starters = path.join(dir, 'starters');
    cpSync(runModelDir(ctx.workspace.current, first), path.join(starters, 'blobs'), { recursive: true });
    const listed = await listStartingModels(ctx.workspace.current, starters);
    expect(listed.filter((m) => m.kind === 'starter')).toEqual([expect.objectContaining({ init: 'starter:blobs', label: 'starter blobs', depth: 2 })]);
  });

  it('imports a bioimage.io package into the workspace as a model to start from', async () => {
    const zip = path.join(dir, 'first model.zip');
    await exportBioimageio(runModelDir(ctx.workspace.current, first), zip, { name: 'first' });
    const imported = await api.training.importModel({ path: zip });
    expect(imported.ok).toBe(true);
    expect(imported.model).toMatchObject({ kind: 'imported', label: 'imported first-model', depth: 2, classNames: ['cell'] });
    expect(imported.model.init).toBe(path.join(ctx.workspace.current.modelsDir, 'imported', 'first-model'));
    // Again: a folder of its own, the first one kept.
    expect((await api.training.importModel({ path: zip })).model.label).toBe('imported first-model-2');
    expect((await api.training.startingModels()).filter((m) => m.kind === 'imported').map((m) => m.label)).toEqual(['imported first-model', 'imported first-model-2']);
    await expect(api.training.importModel({ path: path.join(dir, 'missing.zip') })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('fine-tunes from a run and records the lineage, generation after generation', async () => {
    const refused = await ctx.dispatch('training.start', { datasetId, options: { preset: 'tiny', steps: 2, init: `run:${first}`, depth: 3 } });
    expect(refused.ok ? null : refused.error.code).toBe('INVALID_ARGUMENT');
    const second = await train('second', `run:${first}`);
    const detail = await api.runs.get({ id: second });
    expect(detail.lineage).toEqual([{ source: { kind: 'run', runId: first }, label: `run #${first} (first)`, step: 3, validationIou: expect.any(Number) }]);
    expect(detail.config.init).toMatchObject({ label: `run #${first} (first)` });
    const third = await train('third', String(second));
    expect((await api.runs.get({ id: third })).lineage.map((s) => s.label)).toEqual([`run #${second} (second)`, `run #${first} (first)`]);
    expect((await api.runs.get({ id: first })).lineage).toEqual([]);
  });

  it('predicts an image on demand once, and then reads what it stored', async () => {
    const imageId = unannotated[0];
    expect((await api.results.predictions({ runId: first })).some((p) => p.imageId === imageId)).toBe(false);
    await expect(api.segmentation.prediction({ runId: first, imageId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const [a, b] = await Promise.all([api.segmentation.predict({ runId: first, imageId }), api.segmentation.predict({ runId: first, imageId })]);
    expect([a.width, a.height]).toEqual([80, 72]);
    expect(a.classMap.every((c) => c === 1 || c === 2)).toBe(true);
    expect(a.instances?.length).toBe(80 * 72);
    expect([...b.classMap]).toEqual([...a.classMap]);
    const records = (await api.results.predictions({ runId: first })).filter((p) => p.imageId === imageId);
    expect(records).toHaveLength(1);
    const again = await api.segmentation.predict({ runId: first, imageId });
    expect([...again.classMap]).toEqual([...a.classMap]);
    expect((await api.results.predictions({ runId: first })).find((p) => p.imageId === imageId)?.createdAt).toBe(records[0].createdAt);
  });

  it('accepts a prediction as a new annotation version that records the run, then takes corrections', async () => {
    const imageId = unannotated[1];
    const saved: AnnotationsSaved[] = [];
    const off = api.annotations.onSaved((e) => saved.push(e));
    const accepted = await api.annotations.acceptPrediction({ imageId, runId: first, baseVersion: 0 });
    off();
    expect(accepted).toMatchObject({ imageId, version: 1, unchanged: false, runId: first, width: 80, height: 72 });
    const prediction = await api.segmentation.prediction({ runId: first, imageId });
    expect([...accepted.classMap]).toEqual([...prediction.classMap]);
    const objects = accepted.instanceMap.filter((v, i) => v > 0 && accepted.classMap[i] === 2).length;
    expect(objects).toBe(accepted.classMap.filter((c) => c === 2).length);
    expect(saved).toEqual([{ imageId, datasetId, version: 1, source: 'prediction' }]);
    const [version] = await api.annotations.history({ imageId });
    expect(version).toMatchObject({ version: 1, source: 'prediction', predictionRunId: first, message: `accepted the prediction of run #${first} (first)` });
    expect(await api.images.get({ id: imageId })).toMatchObject({ annotationVersion: 1, annotationSource: 'prediction', predictionRunId: first });
    expect(await api.annotations.get({ imageId })).toMatchObject({ version: 1, source: 'prediction', predictionRunId: first });
    // Someone saw version 0: accepting on top of it now is a conflict, as a save would be.
    await expect(api.annotations.acceptPrediction({ imageId, runId: first, baseVersion: 0 })).rejects.toSatisfy((e: unknown) => e instanceof UnetError && e.code === 'CONFLICT');
    // Corrected by hand: erase the top rows.
    const classMap = accepted.classMap.slice();
    const instanceMap = accepted.instanceMap.slice();
    classMap.fill(0, 0, 80 * 10);
    instanceMap.fill(0, 0, 80 * 10);
    await api.annotations.save({ imageId, baseVersion: 1, classMap, instanceMap });
    expect(await api.images.get({ id: imageId })).toMatchObject({ annotationVersion: 2, annotationSource: 'paint', predictionRunId: first });
  });

  it('predicts, in the background, the images still to annotate after a run', async () => {
    const runs = (await api.runs.list({ datasetId, status: 'succeeded' })).map((r) => r.id);
    const latest = Math.max(...runs);
    const { job, images } = await api.segmentation.refreshUnannotated({ runId: latest });
    // unannotated[1] was accepted; the other two are still to do.
    expect(images).toBe(2);
    expect(job).not.toBeNull();
    expect((await ctx.jobs.wait(job!.id)).status).toBe('succeeded');
    expect((await api.results.predictions({ runId: latest })).map((p) => p.imageId).sort()).toEqual([unannotated[0], unannotated[2]].sort());
    expect(await api.segmentation.refreshUnannotated({ runId: latest })).toEqual({ job: null, images: 0 });
  });

  it('steps to the next unannotated image of the data set', async () => {
    expect((await api.images.neighbour({ id: annotated[0], direction: 'next' })).imageId).toBe(annotated[1]);
    expect((await api.images.neighbour({ id: annotated[0], direction: 'next', unannotated: true })).imageId).toBe(unannotated[0]);
    expect((await api.images.neighbour({ id: unannotated[0], direction: 'next', unannotated: true })).imageId).toBe(unannotated[2]);
  });
});

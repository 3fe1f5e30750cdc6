import { describe, expect, it, vi } from 'vitest';
import type { UnetApi } from '../../../src-shared/contract/index';
import type { JobInfo, JobOf } from '../../../src-shared/contract/jobs';
import type { CurvePoint } from '../../../src-shared/contract/records';
import type { PresetInfo, StartingModelInfo, TrainingSplitPlan, TrainOptions, TrainProgressInfo } from '../../../src-shared/contract/training';
import { TrainSession } from '../../../src-renderer/src/lib/train/train-session.svelte';

const tiny: PresetInfo = { name: 'tiny', description: 'tiny', depth: 2, baseChannels: 4, tile: 92, outputTile: 52, steps: 30, learningRate: 1e-3, optimizer: 'adam', momentum: 0.9, batchNorm: true, borderClass: true, parameters: 1000 };

function job(status: JobInfo['status'], data?: TrainProgressInfo): JobOf<'training'> {
  return { id: 'job-1', kind: 'training', title: 'Training', status, progress: status === 'succeeded' ? 100 : 10, message: '', createdAt: '', data };
}

/** A stand-in for window.unet with just what the Train view calls, recording starts and firing events on demand. */
const fromRun: StartingModelInfo = { init: 'run:3', kind: 'run', label: 'run #3 (first)', datasetId: 4, depth: 3, baseChannels: 6, tile: 132, classNames: ['cell'], step: 40, validationIou: 0.7 };

function fakeApi(options: { blocker?: string; jobs?: JobInfo[]; startingModels?: StartingModelInfo[]; unannotated?: number } = {}) {
  const jobListeners: ((j: JobInfo) => void)[] = [];
  const progressListeners: ((p: TrainProgressInfo) => void)[] = [];
  const started: TrainOptions[] = [];
  const refreshed: number[] = [];
  const planned: { datasetId: number; seed?: number }[] = [];
  const planSplit = async (input: { datasetId: number; seed?: number }): Promise<TrainingSplitPlan> => {
    planned.push(input);
    const seed = input.seed ?? 1;
    return {
      datasetId: input.datasetId,
      seed,
      mode: 'automatic',
      validationFraction: 0.2,
      train: [{ imageId: 1, name: 'a.png' }, { imageId: 2, name: 'b.png' }],
      validation: [{ imageId: 2 + seed, name: `v${seed}.png` }],
      counts: { train: { images: 0, annotated: 0 }, validation: { images: 0, annotated: 0 }, test: { images: 0, annotated: 0 }, none: { images: 3, annotated: 3 } },
      blocker: options.blocker ?? null,
    };
  };
  let current = job('running');
  const storedCurve: CurvePoint[] = [1, 2, 3].map((step) => ({ step, loss: 1 / step, metrics: step === 3 ? { iou: 0.5 } : {}, elapsedMs: 0, recordedAt: '' }));
  const api = {
    datasets: { list: async () => [{ id: 4, name: 'cells', description: '', imageCount: 3, annotatedCount: 3, splitCounts: { train: 2, validation: 1, test: 0, none: 0 }, createdAt: '', updatedAt: '' }] },
    system: {
      info: async () => ({ compute: { training: 'wasm', device: 'CPU', inference: 'ORT', notes: [] } }),
      gpu: async () => ({ training: { active: 'wasm', device: 'CPU', attempts: [] }, inference: { provider: 'cpu' }, findings: [], gpus: [] }),
    },
    runs: { interrupted: async () => [], curves: async () => storedCurve },
    jobs: {
      list: async () => options.jobs ?? [],
      get: async () => current,
      cancel: async () => (current = job('cancelled')),
      onUpdate: (cb: (j: JobInfo) => void) => (jobListeners.push(cb), () => undefined),
    },
    training: {
      presets: async () => [tiny],
      startingModels: async () => options.startingModels ?? [],
      importModel: async ({ path }: { path: string }) => {
        const model: StartingModelInfo = { ...fromRun, init: `/ws/models/imported/${path}`, kind: 'imported', label: `imported ${path}` };
        (options.startingModels ??= []).push(model);
        return { model, maxAbsDifference: 2e-7, ok: true };
      },
      planSplit,
      start: async (input: { datasetId: number; options: TrainOptions }) => (started.push(input.options), { job: current, runId: 9 }),
      resume: async () => ({ job: current, runId: 9 }),
      onProgress: (cb: (p: TrainProgressInfo) => void) => (progressListeners.push(cb), () => undefined),
    },
    segmentation: {
      refreshUnannotated: async ({ runId }: { runId: number }) => {
        refreshed.push(runId);
        const images = options.unannotated ?? 0;
        return { job: images > 0 ? { id: 'job-refresh', kind: 'segmentation', title: 'Segment', status: 'queued', progress: 0, message: '', createdAt: '' } : null, images };
      },
    },
  } as unknown as UnetApi;
  return {
    api,
    started,
    planned,
    refreshed,
    emitJob: (j: JobInfo) => ((current = j), jobListeners.forEach((cb) => cb(j))),
    emitProgress: (p: TrainProgressInfo) => progressListeners.forEach((cb) => cb(p)),
  };
}

const settle = () => new Promise((r) => setTimeout(r, 0));
const progress = (step: number, validation?: { loss: number; iou: number }): TrainProgressInfo => ({ runId: 9, step, totalSteps: 30, loss: 0.5, validation, tilesPerSecond: 2, etaSeconds: 10, elapsedSeconds: step });

describe('TrainSession', () => {
  it('loads the data set, the split a run would use and the preset form', async () => {
    const fake = fakeApi();
    const session = new TrainSession(fake.api);
    await session.load({ preset: 'tiny', loss: { w0: 10, sigma: 5 } });
    expect(session.datasetId).toBe(4);
    expect(fake.planned).toEqual([{ datasetId: 4, seed: 1 }]);
    expect(session.plan).toMatchObject({ mode: 'automatic', seed: 1, validation: [{ name: 'v1.png' }] });
    expect(session.splitSummary).toMatchObject({ canTrain: true, level: 'ok' });
    expect(session.form).toMatchObject({ preset: 'tiny', tile: 92, depth: 2 });
    expect(session.canStart).toBe(true);
    expect(session.error).toBeUndefined();
  });

  it('keeps what the form says about the data when the preset changes, and sends it', async () => {
    const fake = fakeApi();
    const session = new TrainSession(fake.api);
    await session.load({ preset: 'tiny', loss: { w0: 10, sigma: 5 } });
    session.form!.perImage = true;
    session.form!.objectsTile = true;
    session.form!.classWeights = 'data-set';
    session.form!.depth = 3;
    session.choosePreset('tiny', { w0: 10, sigma: 5 });
    // The recipe is the preset's again; the data's choices stay.
    expect(session.form).toMatchObject({ depth: 2, perImage: true, objectsTile: true, classWeights: 'data-set' });
    await session.start('auto');
    expect(fake.started[0]).toMatchObject({ normalization: 'per-image', calibrationMetric: 'vRand', classWeights: 'data-set' });
  });

  it('refuses to start when the services would refuse the data set', async () => {
    const session = new TrainSession(fakeApi({ blocker: 'data set "cells" has no annotated images: paint or import ground truth first' }).api);
    await session.load({ preset: 'tiny', loss: { w0: 10, sigma: 5 } });
    expect(session.splitSummary).toMatchObject({ canTrain: false, level: 'error' });
    expect(session.canStart).toBe(false);
  });

  it('asks for the split again only when the seed changes, and starts with that seed', async () => {
    const fake = fakeApi();
    const session = new TrainSession(fake.api);
    await session.load({ preset: 'tiny', loss: { w0: 10, sigma: 5 } });
    await session.refreshPlan();
    expect(fake.planned).toHaveLength(1);
    session.form!.seed = 7;
    await session.refreshPlan();
    expect(fake.planned.at(-1)).toEqual({ datasetId: 4, seed: 7 });
    expect(session.plan?.validation[0].name).toBe('v7.png');
    session.form!.seed = -3;
    await session.refreshPlan();
    expect(fake.planned).toHaveLength(2);
    session.form!.seed = 7;
    await session.start('auto');
    expect(fake.started[0].seed).toBe(7);
  });

  it('refuses to start with an illegal tile', async () => {
    const session = new TrainSession(fakeApi().api);
    await session.load({ preset: 'tiny', loss: { w0: 10, sigma: 5 } });
    session.form!.tile = 93;
    expect(session.canStart).toBe(false);
  });

  it('starts, follows progress events and takes the stored curve at the end', async () => {
    const fake = fakeApi();
    const session = new TrainSession(fake.api);
    session.attach();
    await session.load({ preset: 'tiny', loss: { w0: 7, sigma: 5 } });
    expect(await session.start('wasm')).toBe(9);
    expect(fake.started[0]).toMatchObject({ preset: 'tiny', backend: 'wasm', w0: 7, steps: 30 });
    expect(session.running).toBe(true);
    expect(session.canStart).toBe(false);

    fake.emitProgress(progress(1));
    fake.emitProgress(progress(2, { loss: 0.6, iou: 0.4 }));
    fake.emitProgress({ ...progress(3), runId: 99 });
    expect(session.points.map((p) => p.step)).toEqual([1, 2]);
    expect(session.progress?.step).toBe(2);

    fake.emitJob(job('succeeded', { ...progress(3) }));
    await settle();
    await settle();
    expect(session.running).toBe(false);
    expect(session.points.map((p) => p.step)).toEqual([1, 2, 3]);
    expect(session.points[2].metrics.iou).toBe(0.5);
  });

  it('reads progress carried in job updates', async () => {
    const fake = fakeApi();
    const session = new TrainSession(fake.api);
    session.attach();
    await session.load({ preset: 'tiny', loss: { w0: 10, sigma: 5 } });
    await session.start('auto');
    fake.emitJob(job('running', { ...progress(5) }));
    expect(session.progress?.step).toBe(5);
    await session.cancel();
    expect(session.job?.status).toBe('cancelled');
  });
});

describe('TrainSession and fine-tuning', () => {
  it("starts from a previous run's model with its architecture, and back from random weights with the preset's", async () => {
    const fake = fakeApi({ startingModels: [fromRun] });
    const session = new TrainSession(fake.api);
    await session.load({ preset: 'tiny', loss: { w0: 10, sigma: 5 } });
    await settle();
    expect(session.startingModels).toEqual([fromRun]);
    expect(session.form?.batchNorm).toBe(true);
    session.chooseStart('run:3');
    // A saved model has its normalisation folded in: fine-tuning trains it without, at the fine-tuning rate.
    expect(session.form).toMatchObject({ depth: 3, baseChannels: 6, tile: 132, batchNorm: false, learningRate: 3e-4 });
    // A preset chosen meanwhile keeps the model's architecture.
    session.choosePreset('tiny', { w0: 10, sigma: 5 });
    expect(session.form).toMatchObject({ depth: 3, baseChannels: 6, tile: 132 });
    await session.start('auto');
    expect(fake.started[0]).toMatchObject({ init: 'run:3', depth: 3, baseChannels: 6, tile: 132, batchNorm: false, learningRate: 3e-4 });
    // The model's own border class decides; the form's is not sent.
    expect('borderClass' in fake.started[0]).toBe(false);
    session.chooseStart('');
    expect(session.form).toMatchObject({ depth: 2, baseChannels: 4, tile: 92, batchNorm: true, borderClass: true, learningRate: 1e-3 });
    expect(session.startingModel).toBeUndefined();
  });

  it('imports a bioimage.io package and starts from it', async () => {
    const session = new TrainSession(fakeApi().api);
    await session.load({ preset: 'tiny', loss: { w0: 10, sigma: 5 } });
    expect(await session.importModel('cells')).toBe('Imported as imported cells (its test output reproduced to 2.0e-7).');
    expect(session.init).toBe('/ws/models/imported/cells');
    expect(session.startingModel?.kind).toBe('imported');
    expect(session.form).toMatchObject({ depth: 3, baseChannels: 6 });
  });

  it('has the new run predict the images still to annotate once it succeeded', async () => {
    const fake = fakeApi({ unannotated: 5 });
    const session = new TrainSession(fake.api);
    session.attach();
    await session.load({ preset: 'tiny', loss: { w0: 10, sigma: 5 } });
    await session.start('auto');
    fake.emitJob(job('succeeded', progress(3)));
    await vi.waitFor(() => expect(session.refresh).toMatchObject({ jobId: 'job-refresh', runId: 9, images: 5, status: 'queued' }));
    expect(fake.refreshed).toEqual([9]);
    fake.emitJob({ id: 'job-refresh', kind: 'segmentation', title: 'Segment', status: 'succeeded', progress: 100, message: '', createdAt: '' });
    expect(session.refresh?.status).toBe('succeeded');
  });

  it('predicts nothing after a failed run', async () => {
    const fake = fakeApi({ unannotated: 5 });
    const session = new TrainSession(fake.api);
    session.attach();
    await session.load({ preset: 'tiny', loss: { w0: 10, sigma: 5 } });
    await session.start('auto');
    fake.emitJob({ ...job('failed'), error: { code: 'INTERNAL', message: 'boom' } });
    await settle();
    await settle();
    expect(fake.refreshed).toEqual([]);
    expect(session.refresh).toBeUndefined();
  });
});

describe('TrainSession after a reload', () => {
  it('follows the training job that is running, not a job of another kind', async () => {
    const importing: JobInfo = { id: 'job-0', kind: 'import', title: 'Import', status: 'running', progress: 50, message: '', createdAt: '', data: { datasetId: 4, done: 1, total: 2 } };
    const training = { ...job('running', progress(6)), id: 'job-2' };
    const fake = fakeApi({ jobs: [importing, training] });
    const session = new TrainSession(fake.api);
    await session.load({ preset: 'tiny', loss: { w0: 10, sigma: 5 } });
    expect(session.job?.id).toBe('job-2');
    expect(session.runId).toBe(9);
    expect(session.progress?.step).toBe(6);
  });
});

describe('TrainSession.resume', () => {
  it('continues a run with its stored curve', async () => {
    const fake = fakeApi();
    const session = new TrainSession(fake.api);
    session.attach();
    await session.load({ preset: 'tiny', loss: { w0: 10, sigma: 5 } });
    await session.resume(9);
    expect(session.runId).toBe(9);
    expect(session.running).toBe(true);
    expect(session.points.map((p) => p.step)).toEqual([1, 2, 3]);
    fake.emitProgress(progress(4));
    expect(session.points.map((p) => p.step)).toEqual([1, 2, 3, 4]);
  });
});

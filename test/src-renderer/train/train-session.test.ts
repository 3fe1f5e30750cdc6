import { describe, expect, it } from 'vitest';
import type { UnetApi } from '../../../src-shared/contract/index';
import type { JobInfo } from '../../../src-shared/contract/jobs';
import type { CurvePoint } from '../../../src-shared/contract/records';
import type { PresetInfo, TrainOptions, TrainProgressInfo } from '../../../src-shared/contract/training';
import { TrainSession } from '../../../src-renderer/src/lib/train/train-session.svelte';

const tiny: PresetInfo = { name: 'tiny', description: 'tiny', depth: 2, baseChannels: 4, tile: 92, outputTile: 52, steps: 30, learningRate: 1e-3, optimizer: 'adam', momentum: 0.9, parameters: 1000 };

function job(status: JobInfo['status'], data?: Record<string, unknown>): JobInfo {
  return { id: 'job-1', kind: 'training', title: 'Training', status, progress: status === 'succeeded' ? 100 : 10, message: '', createdAt: '', data };
}

/** A stand-in for window.unet with just what the Train view calls, recording starts and firing events on demand. */
function fakeApi(options: { trainAnnotated?: number } = {}) {
  const jobListeners: ((j: JobInfo) => void)[] = [];
  const progressListeners: ((p: TrainProgressInfo) => void)[] = [];
  const started: TrainOptions[] = [];
  let current = job('running');
  const storedCurve: CurvePoint[] = [1, 2, 3].map((step) => ({ step, loss: 1 / step, metrics: step === 3 ? { iou: 0.5 } : {}, elapsedMs: 0, recordedAt: '' }));
  const api = {
    datasets: { list: async () => [{ id: 4, name: 'cells', description: '', imageCount: 3, annotatedCount: 3, splitCounts: { train: 2, validation: 1, test: 0, none: 0 }, createdAt: '', updatedAt: '' }] },
    system: {
      info: async () => ({ compute: { training: 'wasm', device: 'CPU', inference: 'ORT', notes: [] } }),
      gpu: async () => ({ training: { active: 'wasm', device: 'CPU', attempts: [] }, inference: { provider: 'cpu' }, findings: [], gpus: [] }),
    },
    images: {
      list: async (q: { split?: string; annotated?: boolean }) => ({
        total: q.split === 'train' ? (q.annotated ? (options.trainAnnotated ?? 2) : 2) : 1,
        offset: 0,
        limit: 1,
        items: [],
      }),
    },
    runs: { interrupted: async () => [], curves: async () => storedCurve },
    jobs: {
      list: async () => [],
      get: async () => current,
      cancel: async () => (current = job('cancelled')),
      onUpdate: (cb: (j: JobInfo) => void) => (jobListeners.push(cb), () => undefined),
    },
    training: {
      presets: async () => [tiny],
      start: async (input: { datasetId: number; options: TrainOptions }) => (started.push(input.options), { job: current, runId: 9 }),
      resume: async () => ({ job: current, runId: 9 }),
      onProgress: (cb: (p: TrainProgressInfo) => void) => (progressListeners.push(cb), () => undefined),
    },
  } as unknown as UnetApi;
  return {
    api,
    started,
    emitJob: (j: JobInfo) => ((current = j), jobListeners.forEach((cb) => cb(j))),
    emitProgress: (p: TrainProgressInfo) => progressListeners.forEach((cb) => cb(p)),
  };
}

const settle = () => new Promise((r) => setTimeout(r, 0));
const progress = (step: number, validation?: { loss: number; iou: number }): TrainProgressInfo => ({ runId: 9, step, totalSteps: 30, loss: 0.5, validation, tilesPerSecond: 2, etaSeconds: 10, elapsedSeconds: step });

describe('TrainSession', () => {
  it('loads the data set, the split summary and the preset form', async () => {
    const fake = fakeApi();
    const session = new TrainSession(fake.api);
    await session.load({ preset: 'tiny', loss: { w0: 10, sigma: 5 } });
    expect(session.datasetId).toBe(4);
    expect(session.splits).toMatchObject({ train: 2, trainAnnotated: 2, validation: 1, validationAnnotated: 1 });
    expect(session.form).toMatchObject({ preset: 'tiny', tile: 92, depth: 2 });
    expect(session.canStart).toBe(true);
    expect(session.error).toBeUndefined();
  });

  it('refuses to start without annotated training images', async () => {
    const session = new TrainSession(fakeApi({ trainAnnotated: 0 }).api);
    await session.load({ preset: 'tiny', loss: { w0: 10, sigma: 5 } });
    expect(session.splitSummary?.canTrain).toBe(false);
    expect(session.canStart).toBe(false);
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

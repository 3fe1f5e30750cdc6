import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelFolder } from '../../../../src-main/engine/model-files';
import { readModelWeights } from '../../../../src-main/engine/onnx/model-weights';
import { train, type TrainingSample, type TrainRequest } from '../../../../src-main/engine/trainer';
import { prepareSample } from '../../../../src-main/engine/training-data';
import { evaluate, tfjsPredictor } from '../../../../src-main/engine/validation';
import { createRng } from '../../../../src-shared/imaging/rng';
import { blobSample } from '../trainer-data';

// Generated cells, plus a little noise: flat (clipped) regions give max-pool windows with equal maxima,
// where tfjs and ONNX Runtime may route the gradient to different, equally valid inputs.
const noise = createRng(1);
const withNoise = (s: TrainingSample): TrainingSample => ({ ...s, image: s.image.map((v) => v + 1e-3 * noise.normal()) });
const TRAIN = [1, 2, 3].map((s) => withNoise(blobSample(s, 112)));
const VALIDATION = [100].map((s) => withNoise(blobSample(s, 112)));

async function maxRelativeDifference(a: string, b: string): Promise<{ worst: number; compared: number }> {
  const wa = await readModelWeights(a);
  const wb = await readModelWeights(b);
  let worst = 0;
  let compared = 0;
  for (const [name, x] of wa) {
    const key = [...wb.keys()].find((k) => k.replace(/_\d+\//, '/') === name.replace(/_\d+\//, '/')) as string;
    const y = wb.get(key);
    if (!y) throw new Error(`no ${name} in ${b}`);
    let diff = 0;
    let scale = 0;
    for (let i = 0; i < x.data.length; i++) {
      diff = Math.max(diff, Math.abs(x.data[i] - y.data[i]));
      scale = Math.max(scale, Math.abs(x.data[i]));
    }
    worst = Math.max(worst, diff / Math.max(scale, 1e-12));
    compared++;
  }
  return { worst, compared };
}

describe('training on ONNX Runtime', { timeout: 180_000 }, () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'unet-ort-train-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const request = (name: string, config: TrainRequest['config'], extra: Partial<TrainRequest> = {}): TrainRequest => ({
    config: { preset: 'tiny', backend: 'ort-cpu', seed: 5, threads: 1, ...config },
    train: TRAIN,
    validation: VALIDATION,
    outDir: path.join(root, name),
    ...extra,
  });

  // Adam divides each gradient by its own running magnitude, so where a bias's gradient nearly cancels,
  // float-level differences between the engines' sums become visible in the step: after 20 steps such a
  // bias differed by 1e-3 of its largest value while every loss agreed to 1e-5. A wrong update (a beta, a
  // missing bias correction) scales the early steps by a factor, far beyond 5e-3 of a parameter's range.
  const parameterTolerance = { sgd: 1e-4, adam: 5e-3 } as const;
  for (const optimizer of ['sgd', 'adam'] as const) {
    it(`20 ${optimizer} steps give the tfjs trainer's losses to 1e-4 and parameters to ${parameterTolerance[optimizer].toExponential(0)}`, async () => {
      // Dropout off: the two engines draw their masks differently. A narrow network keeps the tfjs cpu side short.
      const config = { steps: 20, validateEvery: 1000, dropout: 0, baseChannels: 4, optimizer, learningRate: optimizer === 'adam' ? 1e-3 : 1e-2, warmupSteps: 5 };
      const ort = await train(request(`ort-${optimizer}`, config, { validation: [] }));
      const tfjs = await train(request(`tfjs-${optimizer}`, { ...config, backend: 'cpu' }, { validation: [] }));
      expect(ort.status).toBe('succeeded');
      expect(tfjs.status).toBe('succeeded');
      expect(ort.backend?.active).toBe('onnxruntime-cpu');
      expect(tfjs.backend?.active).toBe('cpu');
      const losses = ort.metrics.curve.map((c, i) => Math.abs(c.loss - tfjs.metrics.curve[i].loss) / tfjs.metrics.curve[i].loss);
      expect(Math.max(...losses)).toBeLessThan(1e-4);
      // The weights moved, and both engines moved them alike.
      expect(ort.metrics.curve[19].loss).not.toBeCloseTo(ort.metrics.curve[0].loss, 3);
      const { worst, compared } = await maxRelativeDifference(ort.latestCheckpoint as string, tfjs.latestCheckpoint as string);
      expect(compared).toBe(2 * 13);
      expect(worst).toBeLessThan(parameterTolerance[optimizer]);
    });
  }

  it('cancels and resumes with the same losses and validation as an uninterrupted run', async () => {
    const config = { steps: 12, validateEvery: 4 };
    let last = 0;
    const first = await train(request('resume', config), { onProgress: (p) => (last = p.step), shouldStop: () => last >= 5 });
    expect(first.status).toBe('cancelled');
    expect(first.steps).toBe(5);
    const second = await train(request('resume', config, { resumeFrom: path.join(root, 'resume') }));
    expect(second.status).toBe('succeeded');
    expect(second.metrics.curve.map((c) => c.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const straight = await train(request('straight', config));
    expect(second.metrics.curve).toEqual(straight.metrics.curve);
    expect(second.metrics.validation).toEqual(straight.metrics.validation);
  });

  it('with batch normalisation, cancels and resumes with the same losses and validation as an uninterrupted run', async () => {
    const config = { steps: 12, validateEvery: 4, batchNorm: true, optimizer: 'adam' as const };
    let last = 0;
    const first = await train(request('resume-bn', config), { onProgress: (p) => (last = p.step), shouldStop: () => last >= 5 });
    expect(first.status).toBe('cancelled');
    const second = await train(request('resume-bn', config, { resumeFrom: path.join(root, 'resume-bn') }));
    expect(second.status).toBe('succeeded');
    const straight = await train(request('straight-bn', config));
    expect(second.metrics.curve).toEqual(straight.metrics.curve);
    expect(second.metrics.validation).toEqual(straight.metrics.validation);
    // A checkpoint without the normalisation's state does not resume a run that trains with it.
    const plain = await train(request('plain-for-bn', { steps: 3, validateEvery: 100 }));
    expect(plain.status).toBe('succeeded');
    const mismatch = await train(request('plain-for-bn', { ...config, steps: 6 }, { resumeFrom: path.join(root, 'plain-for-bn') }));
    expect(mismatch.status).toBe('failed');
    expect(mismatch.error?.message).toMatch(/without batch normalisation/);
  });

  for (const batchNorm of [false, true]) {
    it(`with a weight average${batchNorm ? ' and batch normalisation' : ''}: the same steps, a model that is the average, and resumes as an uninterrupted run`, async () => {
      const config = { steps: 12, validateEvery: 4, batchNorm, optimizer: 'adam' as const, learningRate: 3e-3 };
      const name = `average-${batchNorm}`;
      const averaged = await train(request(`${name}-straight`, { ...config, weightAverage: 0.9 }));
      const last = await train(request(`${name}-last`, { ...config, weightAverage: 0 }));
      expect(averaged.status).toBe('succeeded');
      // Averaging changes what is validated and saved, not the training itself.
      expect(averaged.metrics.curve).toEqual(last.metrics.curve);
      expect(averaged.metrics.validation.map((v) => v.loss)).not.toEqual(last.metrics.validation.map((v) => v.loss));
      const { worst } = await maxRelativeDifference(path.join(root, `${name}-straight`, 'latest'), path.join(root, `${name}-last`, 'latest'));
      expect(worst).toBeGreaterThan(1e-3);

      let step = 0;
      const first = await train(request(name, { ...config, weightAverage: 0.9 }), { onProgress: (p) => (step = p.step), shouldStop: () => step >= 5 });
      expect(first.status).toBe('cancelled');
      const second = await train(request(name, { ...config, weightAverage: 0.9 }, { resumeFrom: path.join(root, name) }));
      expect(second.status).toBe('succeeded');
      expect(second.metrics.curve).toEqual(averaged.metrics.curve);
      expect(second.metrics.validation).toEqual(averaged.metrics.validation);
      expect((await maxRelativeDifference(path.join(root, name, 'latest'), path.join(root, `${name}-straight`, 'latest'))).worst).toBeLessThan(1e-5);

      // A checkpoint with a weight average does not resume a run without one.
      const mismatch = await train(request(name, { ...config, weightAverage: 0, steps: 16 }, { resumeFrom: path.join(root, name) }));
      expect(mismatch.status).toBe('failed');
      expect(mismatch.error?.message).toMatch(/written with a weight average; this run trains without one/);
    });
  }

  it('with batch normalisation, saves the paper\'s network with the statistics folded in: the model predicts what validation measured', async () => {
    const result = await train(request('folded', { steps: 30, validateEvery: 30, batchNorm: true, optimizer: 'adam' }));
    expect(result.status).toBe('succeeded');
    const measured = result.metrics.validation[0];
    const saved = await loadModelFolder(result.latestCheckpoint as string);
    // The saved network has the plain layers only: 2 tensors per layer of the paper's network.
    expect(saved.model.getWeights()).toHaveLength(2 * 13);
    const prepared = VALIDATION.map((v) => prepareSample(v, { w0: 10, sigma: 5, separationGap: 2 }));
    const score = await evaluate(tfjsPredictor(saved.model), prepared, saved.metadata.tile.input, saved.metadata.architecture.depth, saved.metadata.architecture.numClasses);
    saved.model.dispose();
    expect(score.iou).toBeCloseTo(measured.iou, 4);
    expect(score.loss).toBeCloseTo(measured.loss, 4);
  });

  it('keeps the validated checkpoint with the lowest loss, or with keepBest iou the highest IoU', async () => {
    for (const keepBest of ['loss', 'iou'] as const) {
      const result = await train(request(`keep-${keepBest}`, { steps: 16, validateEvery: 2, keepBest, optimizer: 'adam', learningRate: 3e-3 }));
      expect(result.status).toBe('succeeded');
      const entries = result.metrics.validation;
      expect(entries).toHaveLength(8);
      const expected = keepBest === 'loss' ? entries.reduce((a, b) => (b.loss < a.loss ? b : a)) : entries.reduce((a, b) => (b.iou > a.iou ? b : a));
      expect(result.metrics.best).toEqual(expected);
      const kept = await loadModelFolder(result.bestCheckpoint as string);
      expect(kept.metadata.training.step).toBe(expected.step);
      kept.model.dispose();
    }
  });

  it('resumes a tfjs checkpoint on ONNX Runtime (one model format for both engines)', async () => {
    const config = { steps: 6, validateEvery: 100, dropout: 0, baseChannels: 4 };
    let last = 0;
    const first = await train(request('cross', { ...config, backend: 'cpu' }, { validation: [] }), { onProgress: (p) => (last = p.step), shouldStop: () => last >= 3 });
    expect(first.status).toBe('cancelled');
    const resumed = await train(request('cross', config, { resumeFrom: path.join(root, 'cross'), validation: [] }));
    const straight = await train(request('cross-straight', { ...config, backend: 'cpu' }, { validation: [] }));
    expect(resumed.backend?.active).toBe('onnxruntime-cpu');
    const diffs = resumed.metrics.curve.map((c, i) => Math.abs(c.loss - straight.metrics.curve[i].loss) / straight.metrics.curve[i].loss);
    expect(Math.max(...diffs)).toBeLessThan(1e-4);
  });

  it('refuses a provider that cannot run here with a typed error, never falling back', async () => {
    const result = await train(request('no-dml', { steps: 2, backend: process.platform === 'win32' ? 'ort-coreml' : 'ort-dml' }));
    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('BACKEND_UNAVAILABLE');
    expect(result.error?.message).toMatch(/runs on (Windows|macOS) only/);
    expect(result.steps).toBe(0);
  });
});

// The learning check of the wasm trainer (trainer-learning.test.ts), on ONNX Runtime: same data, preset and steps.
describe('training on ONNX Runtime (tiny preset) learns', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'unet-ort-learn-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('segments held-out touching cells (foreground IoU >= 0.9)', async () => {
    const result = await train({
      // What the network learns is checked here; which validated checkpoint is kept, above.
      config: { preset: 'tiny', backend: 'ort-cpu', steps: 400, validateEvery: 100, seed: 3, keepBest: 'iou' },
      train: [1, 2, 3, 4].map((s) => blobSample(s)),
      validation: [100, 101].map((s) => blobSample(s)),
      outDir: path.join(root, 'learn'),
    });
    expect(result.status).toBe('succeeded');
    expect(result.backend?.active).toBe('onnxruntime-cpu');
    expect(result.metrics.validation.map((v) => v.step)).toEqual([100, 200, 300, 400]);
    expect(result.metrics.best?.iou).toBeGreaterThanOrEqual(0.9);
    // The checkpoint written from ONNX Runtime's parameters predicts what validation measured.
    const best = await loadModelFolder(result.bestCheckpoint as string);
    expect(best.metadata.training.backend).toBe('onnxruntime-cpu');
    expect(best.metadata.training.validation?.iou).toBe(result.metrics.best?.iou);
    best.model.dispose();
  }, 150_000);
});

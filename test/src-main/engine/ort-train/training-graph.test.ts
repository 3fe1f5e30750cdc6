import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeOnnxModel } from '../../../../src-main/engine/onnx/onnx-writer';
import { toOnnxLayout, toTfjsLayout } from '../../../../src-main/engine/ort-train/parameter-layout';
import { buildTrainingGraph } from '../../../../src-main/engine/ort-train/training-graph';
import { createRng } from '../../../../src-shared/imaging/rng';
import { sampleBatch, type GradientCase } from './gradient-case';

const ORACLE = path.join(import.meta.dirname, 'tfjs-gradient-oracle.ts');

interface Oracle {
  loss: number;
  names: string[];
  params: Float32Array[];
  grads: Float32Array[];
}

/** tfjs cpu's parameters and gradients for a case, from a child process. */
async function oracle(c: GradientCase, dir: string): Promise<Oracle> {
  const file = path.join(dir, `oracle-${c.arch.depth}-${c.tile}-${c.batch}${c.batchNorm ? '-bn' : ''}.json`);
  await promisify(execFile)(process.execPath, ['--import', 'tsx', ORACLE, JSON.stringify(c), file], { maxBuffer: 1 << 20 });
  const raw = JSON.parse(await readFile(file, 'utf8')) as { loss: number; names: string[]; sizes: number[]; data: string };
  const bytes = Buffer.from(raw.data, 'base64');
  const floats = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const take = (start: number) => {
    let offset = start;
    return raw.sizes.map((n) => floats.slice(offset, (offset += n)));
  };
  const total = raw.sizes.reduce((a, b) => a + b, 0);
  return { loss: raw.loss, names: raw.names, params: take(0), grads: take(total) };
}

/** [N, S, S, K] -> [N, K, S, S]. */
function toNchw(src: Float32Array, n: number, size: number, k: number): Float32Array {
  const dst = new Float32Array(src.length);
  for (let b = 0; b < n; b++) for (let i = 0; i < size * size; i++) for (let c = 0; c < k; c++) dst[(b * k + c) * size * size + i] = src[(b * size * size + i) * k + c];
  return dst;
}

describe('the U-Net training step as an ONNX graph', { timeout: 300_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'unet-grad-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  // The fast network's 16 output pixels sit 18 layers deep: a ReLU or max-pool input within float error of
  // its tie, which the two engines may settle differently, moves a first-layer bias gradient by about 1e-4
  // of its largest value (1.5e-4 on one tile, 3e-6 on a tile 1 % brighter; other CPUs round otherwise). A
  // wrong gradient is off by far more.
  const cases: Array<[string, GradientCase, number]> = [
    ['tiny architecture, one tile', { arch: { depth: 2, baseChannels: 8, inChannels: 1, numClasses: 3, dropout: 0 }, tile: 92, batch: 1, seed: 7 }, 1e-4],
    ['tiny architecture, a batch of 3', { arch: { depth: 2, baseChannels: 8, inChannels: 1, numClasses: 3, dropout: 0 }, tile: 76, batch: 3, seed: 8 }, 1e-4],
    ['three levels, 4 classes, a batch of 2', { arch: { depth: 3, baseChannels: 8, inChannels: 1, numClasses: 4, dropout: 0 }, tile: 108, batch: 2, seed: 9 }, 1e-4],
    ['fast architecture (depth 4, 16 channels)', { arch: { depth: 4, baseChannels: 16, inChannels: 1, numClasses: 3, dropout: 0 }, tile: 188, batch: 1, seed: 7 }, 1e-3],
  ];
  for (const [name, c, gradientTolerance] of cases) {
    it(`gives the tfjs cpu backend's loss to 1e-4 and gradients to ${gradientTolerance.toExponential(0)}: ${name}`, async () => {
      const reference = await oracle(c, dir);
      const { input, target, weights, out } = sampleBatch(c);
      const K = c.arch.numClasses;
      const graph = buildTrainingGraph({ arch: c.arch, tile: c.tile, batch: c.batch, optimizer: 'sgd', momentum: 0.99, outputGradients: true });
      const { io } = graph;
      const session = await ort.InferenceSession.create(encodeOnnxModel(graph.model), { intraOpNumThreads: 1 });
      const feeds: Record<string, ort.Tensor> = {
        input: new ort.Tensor('float32', input, io.inputShape),
        target: new ort.Tensor('float32', toNchw(target, c.batch, out, K), io.targetShape),
        weights: new ort.Tensor('float32', weights, io.weightsShape),
        learning_rate: new ort.Tensor('float32', new Float32Array([0.01]), []),
      };
      expect(reference.names).toHaveLength(io.parameters.length);
      io.parameters.forEach((p, i) => {
        expect(reference.names[i]).toBe(`${p.layer.name}/${p.role === 'weight' ? 'kernel' : 'bias'}`);
        feeds[io.paramInput(p.name)] = new ort.Tensor('float32', toOnnxLayout(p, reference.params[i]), p.dims);
        feeds[io.slotInput(p.name, 0)] = new ort.Tensor('float32', new Float32Array(p.size), p.dims);
      });
      const result = await session.run(feeds);
      await session.release();

      const loss = (result.loss.data as Float32Array)[0];
      expect(Math.abs(loss - reference.loss)).toBeLessThan(1e-4 * Math.abs(reference.loss));
      expect(io.parameters).toHaveLength(2 * (5 * c.arch.depth + 3));
      io.parameters.forEach((p, i) => {
        const expected = reference.grads[i];
        const actual = toTfjsLayout(p, result[`grad:${p.name}`].data as Float32Array);
        let diff = 0;
        let scale = 0;
        for (let j = 0; j < expected.length; j++) {
          diff = Math.max(diff, Math.abs(expected[j] - actual[j]));
          scale = Math.max(scale, Math.abs(expected[j]));
        }
        // Every layer receives a real gradient, and it matches.
        expect(scale, p.name).toBeGreaterThan(0);
        expect(diff / scale, p.name).toBeLessThan(gradientTolerance);
      });
    });
  }

  /** Largest difference relative to the largest expected magnitude (which must not be 0). */
  function relativeError(expected: Float32Array, actual: Float32Array, name: string): number {
    let diff = 0;
    let scale = 0;
    for (let j = 0; j < expected.length; j++) {
      diff = Math.max(diff, Math.abs(expected[j] - actual[j]));
      scale = Math.max(scale, Math.abs(expected[j]));
    }
    expect(scale, name).toBeGreaterThan(0);
    return diff / scale;
  }

  const batchNormCases: Array<[string, GradientCase]> = [
    ['tiny architecture, one tile', { arch: { depth: 2, baseChannels: 8, inChannels: 1, numClasses: 3, dropout: 0 }, tile: 92, batch: 1, seed: 7, batchNorm: true }],
    ['three levels, a batch of 2', { arch: { depth: 3, baseChannels: 8, inChannels: 1, numClasses: 3, dropout: 0 }, tile: 108, batch: 2, seed: 9, batchNorm: true }],
  ];
  for (const [name, c] of batchNormCases) {
    it(`with batch normalisation, gives tfjs's loss, gradients and batch statistics to 1e-4: ${name}`, async () => {
      const reference = await oracle(c, dir);
      const { input, target, weights, out } = sampleBatch(c);
      const graph = buildTrainingGraph({ arch: c.arch, tile: c.tile, batch: c.batch, optimizer: 'sgd', momentum: 0.99, outputGradients: true, batchNorm: true });
      const { io } = graph;
      const trained = [...io.parameters, ...io.normParameters];
      expect(io.normParameters).toHaveLength(2 * (4 * c.arch.depth + 2));
      expect(reference.names).toHaveLength(trained.length);
      const session = await ort.InferenceSession.create(encodeOnnxModel(graph.model), { intraOpNumThreads: 1 });
      const feeds: Record<string, ort.Tensor> = {
        input: new ort.Tensor('float32', input, io.inputShape),
        target: new ort.Tensor('float32', toNchw(target, c.batch, out, c.arch.numClasses), io.targetShape),
        weights: new ort.Tensor('float32', weights, io.weightsShape),
        learning_rate: new ort.Tensor('float32', new Float32Array([0.01]), []),
      };
      io.parameters.forEach((p, i) => {
        expect(reference.names[i]).toBe(`${p.layer.name}/${p.role === 'weight' ? 'kernel' : 'bias'}`);
        feeds[io.paramInput(p.name)] = new ort.Tensor('float32', toOnnxLayout(p, reference.params[i]), p.dims);
      });
      io.normParameters.forEach((p, i) => {
        expect(reference.names[io.parameters.length + i]).toBe(p.name);
        feeds[io.paramInput(p.name)] = new ort.Tensor('float32', reference.params[io.parameters.length + i], p.dims);
      });
      for (const p of trained) feeds[io.slotInput(p.name, 0)] = new ort.Tensor('float32', new Float32Array(p.size), p.dims);
      for (const s of io.normStatistics) feeds[io.statInput(s.name)] = new ort.Tensor('float32', new Float32Array(s.size).fill(s.role === 'variance' ? 1 : 0), s.dims);
      const result = await session.run(feeds);
      await session.release();

      const loss = (result.loss.data as Float32Array)[0];
      expect(Math.abs(loss - reference.loss)).toBeLessThan(1e-4 * Math.abs(reference.loss));
      // A bias whose every use is followed by a normalisation (3x3 convolutions, and up-convolutions,
      // whose output feeds one) has gradient 0 up to rounding: the batch mean takes the bias out.
      const largest = Math.max(...reference.grads.map((g) => g.reduce((m, v) => Math.max(m, Math.abs(v)), 0)));
      let vanishing = 0;
      io.parameters.forEach((p, i) => {
        const expected = reference.grads[i];
        const actual = toTfjsLayout(p, result[`grad:${p.name}`].data as Float32Array);
        const maxAbs = (a: Float32Array) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
        if (p.role === 'bias' && p.layer.name !== 'output' && maxAbs(expected) < 1e-5 * largest) {
          vanishing++;
          expect(maxAbs(actual), p.name).toBeLessThan(1e-5 * largest);
        } else {
          expect(relativeError(expected, actual, p.name), p.name).toBeLessThan(1e-4);
        }
      });
      expect(vanishing).toBe(5 * c.arch.depth + 2);
      io.normParameters.forEach((p, i) => {
        expect(relativeError(reference.grads[io.parameters.length + i], result[`grad:${p.name}`].data as Float32Array, p.name), p.name).toBeLessThan(1e-4);
      });
      // Running statistics moved a tenth of the way from (0, 1) towards the batch's: the first layer's
      // mean is that of its convolution's output, which the input and the parameters give.
      const mean = result[io.statOutput('enc1_conv1.bn_mean')].data as Float32Array;
      const variance = result[io.statOutput('enc1_conv1.bn_variance')].data as Float32Array;
      expect(Array.from(mean).some((m) => Math.abs(m) > 1e-4)).toBe(true);
      expect(Array.from(variance).every((v) => v > 0.9 - 1e-6)).toBe(true);
    });
  }

  it('applies the dropout mask it is given', async () => {
    const c: GradientCase = { arch: { depth: 2, baseChannels: 4, inChannels: 1, numClasses: 3, dropout: 0.5 }, tile: 92, batch: 1, seed: 3 };
    const graph = buildTrainingGraph({ arch: c.arch, tile: c.tile, batch: 1, optimizer: 'sgd', momentum: 0.9 });
    const { io } = graph;
    expect(io.dropoutShape).toEqual([1, 16, 16, 16]);
    const session = await ort.InferenceSession.create(encodeOnnxModel(graph.model));
    const { input, target, weights, out } = sampleBatch(c);
    const run = async (maskValue: number) => {
      const feeds: Record<string, ort.Tensor> = {
        input: new ort.Tensor('float32', input, io.inputShape),
        target: new ort.Tensor('float32', toNchw(target, 1, out, 3), io.targetShape),
        weights: new ort.Tensor('float32', weights, io.weightsShape),
        learning_rate: new ort.Tensor('float32', new Float32Array([0.01]), []),
        dropout_mask: new ort.Tensor('float32', new Float32Array(16 * 16 * 16).fill(maskValue), io.dropoutShape as number[]),
      };
      const rng = createRng(2);
      for (const p of io.parameters) {
        feeds[io.paramInput(p.name)] = new ort.Tensor('float32', Float32Array.from({ length: p.size }, () => (p.role === 'bias' ? 0.01 : rng.normal() * 0.3)), p.dims);
        feeds[io.slotInput(p.name, 0)] = new ort.Tensor('float32', new Float32Array(p.size), p.dims);
      }
      const r = await session.run(feeds);
      return { loss: (r.loss.data as Float32Array)[0], bottomKernel: r[io.paramOutput('bottom_conv2.weight')].data as Float32Array, before: feeds[io.paramInput('bottom_conv2.weight')].data as Float32Array };
    };
    const kept = await run(2);
    const dropped = await run(0);
    expect(kept.loss).not.toBeCloseTo(dropped.loss, 4);
    // Dropping every bottom activation cuts the gradient to the layers below it.
    expect(Array.from(dropped.bottomKernel)).toEqual(Array.from(dropped.before));
    expect(Array.from(kept.bottomKernel)).not.toEqual(Array.from(kept.before));
    await session.release();
  });
});

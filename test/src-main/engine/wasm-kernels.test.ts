import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src-main/engine/backend';
import { setBackpropFilterChunkFloats } from '../../../src-main/engine/wasm-kernels/conv2d-backprop-filter';
import { weightedCrossEntropy } from '../../../src-main/engine/loss';
import { buildUNet } from '../../../src-main/engine/unet-model';
import { createRng } from '../../../src-shared/imaging/rng';

// Each supplied wasm kernel against the cpu backend's reference implementation, on random data.

function randomArray(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.normal();
  return a;
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

async function onBackend(name: 'cpu' | 'wasm', run: () => tf.Tensor): Promise<Float32Array> {
  await tf.setBackend(name);
  const t = run();
  const data = (await t.data()) as Float32Array;
  t.dispose();
  return data;
}

function relativeError(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / Math.max(scale, 1e-12);
}

type Pad = 'valid' | 'same';

interface FilterCase {
  name: string;
  x: [number, number, number, number];
  filter: [number, number, number, number];
  stride: number;
  pad: Pad;
}

const FILTER_CASES: FilterCase[] = [
  { name: '3x3 stride 1 valid', x: [1, 12, 11, 3], filter: [3, 3, 3, 5], stride: 1, pad: 'valid' },
  { name: '3x3 stride 1 valid, one input channel', x: [1, 14, 13, 1], filter: [3, 3, 1, 4], stride: 1, pad: 'valid' },
  { name: '3x3 stride 1 same', x: [1, 9, 8, 2], filter: [3, 3, 2, 3], stride: 1, pad: 'same' },
  { name: '3x3 stride 1 valid, batch 2', x: [2, 10, 9, 3], filter: [3, 3, 3, 2], stride: 1, pad: 'valid' },
  { name: '2x2 stride 2 valid', x: [1, 8, 10, 3], filter: [2, 2, 3, 4], stride: 2, pad: 'valid' },
  { name: '2x2 stride 2 valid, odd size', x: [1, 9, 11, 3], filter: [2, 2, 3, 4], stride: 2, pad: 'valid' },
  { name: '3x3 stride 2 same (general path)', x: [1, 9, 10, 2], filter: [3, 3, 2, 3], stride: 2, pad: 'same' },
];

function convOutShape(c: FilterCase): number[] {
  const info = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.stride, 1, c.pad);
  return info.outShape;
}

describe('wasm training kernels', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  for (const c of FILTER_CASES) {
    it(`Conv2DBackpropFilter matches cpu: ${c.name}`, async () => {
      const xData = randomArray(size(c.x), 1);
      const dyShape = convOutShape(c);
      const dyData = randomArray(size(dyShape), 2);
      const run = () =>
        tf.tidy(() =>
          tf.engine().runKernel(
            'Conv2DBackpropFilter',
            { x: tf.tensor(xData, c.x), dy: tf.tensor(dyData, dyShape) },
            { strides: [c.stride, c.stride], pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter },
          ) as tf.Tensor,
        );
      const reference = await onBackend('cpu', run);
      const actual = await onBackend('wasm', run);
      expect(relativeError(actual, reference)).toBeLessThan(1e-5);
    });
  }

  for (const c of FILTER_CASES) {
    it(`Conv2DBackpropInput matches cpu: ${c.name}`, async () => {
      const fData = randomArray(size(c.filter), 3);
      const dyShape = convOutShape(c);
      const dyData = randomArray(size(dyShape), 4);
      const run = () =>
        tf.tidy(() =>
          tf.engine().runKernel(
            'Conv2DBackpropInput',
            { dy: tf.tensor(dyData, dyShape), filter: tf.tensor(fData, c.filter) },
            { strides: [c.stride, c.stride], pad: c.pad, dataFormat: 'NHWC', inputShape: c.x },
          ) as tf.Tensor,
        );
      const reference = await onBackend('cpu', run);
      const actual = await onBackend('wasm', run);
      expect(relativeError(actual, reference)).toBeLessThan(1e-5);
    });
  }

  it('Conv2DBackpropFilter matches cpu when the pixels are cut into many chunks', async () => {
    setBackpropFilterChunkFloats(8 * 40);
    try {
      for (const c of FILTER_CASES.filter((f) => f.stride === 1)) {
        const xData = randomArray(size(c.x), 13);
        const dyShape = convOutShape(c);
        const dyData = randomArray(size(dyShape), 14);
        const run = () =>
          tf.tidy(() =>
            tf.engine().runKernel(
              'Conv2DBackpropFilter',
              { x: tf.tensor(xData, c.x), dy: tf.tensor(dyData, dyShape) },
              { strides: [1, 1], pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter },
            ) as tf.Tensor,
          );
        expect(relativeError(await onBackend('wasm', run), await onBackend('cpu', run))).toBeLessThan(1e-5);
      }
    } finally {
      setBackpropFilterChunkFloats(1 << 19);
    }
  });

  it('Slice matches cpu: crops, channel ranges, ranks 2 to 4', async () => {
    const x4 = randomArray(2 * 9 * 8 * 6, 7);
    const cases: Array<[number[], number[], number[], Float32Array]> = [
      [[2, 9, 8, 6], [0, 2, 1, 0], [2, 5, 6, 6], x4],
      [[2, 9, 8, 6], [1, 0, 0, 2], [1, 9, 8, 3], x4],
      [[2, 9, 8, 6], [0, 3, 2, 1], [2, 1, 4, 5], x4],
      [[12, 36], [3, 5], [4, 20], x4.subarray(0, 432)],
    ];
    for (const [shape, begin, size, data] of cases) {
      const run = () => tf.tidy(() => tf.slice(tf.tensor(data, shape), begin, size));
      expect(Array.from(await onBackend('wasm', run))).toEqual(Array.from(await onBackend('cpu', run)));
    }
  });

  it('SplitV matches cpu along the channel and the row axis', async () => {
    const data = randomArray(1 * 7 * 6 * 10, 8);
    for (const [sizes, axis] of [[[4, 6], 3], [[2, 5], 1]] as Array<[number[], number]>) {
      for (let part = 0; part < sizes.length; part++) {
        const run = () => tf.tidy(() => tf.split(tf.tensor(data, [1, 7, 6, 10]), sizes, axis)[part]);
        expect(Array.from(await onBackend('wasm', run))).toEqual(Array.from(await onBackend('cpu', run)));
      }
    }
  });

  it('Sum over all but the last axis matches cpu (keepDims or not); other reductions still work', async () => {
    const data = randomArray(2 * 5 * 7 * 6, 15);
    for (const keepDims of [false, true]) {
      const run = () => tf.tidy(() => tf.sum(tf.tensor(data, [2, 5, 7, 6]), [0, 1, 2], keepDims));
      const actual = await onBackend('wasm', run);
      expect(relativeError(actual, await onBackend('cpu', run))).toBeLessThan(1e-6);
    }
    const other = () => tf.tidy(() => tf.sum(tf.tensor(data, [2, 5, 7, 6]), [1, 3]));
    expect(relativeError(await onBackend('wasm', other), await onBackend('cpu', other))).toBeLessThan(1e-6);
  });

  it('MaxPoolGrad (2x2, stride 2; and 3x3 stride 3) matches cpu, also with an odd size and ReLU zeros', async () => {
    const raw = randomArray(2 * 9 * 10 * 3, 9).map((v) => Math.max(0, v));
    const dyData = randomArray(2 * 4 * 5 * 3, 10);
    const run = () =>
      tf.tidy(() => {
        const x = tf.tensor4d(raw, [2, 9, 10, 3]);
        return tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(v as tf.Tensor4D, 2, 2, 'valid'), tf.tensor(dyData, [2, 4, 5, 3]))))(x);
      });
    const reference = await onBackend('cpu', run);
    const actual = await onBackend('wasm', run);
    expect(relativeError(actual, reference)).toBeLessThan(1e-6);
    const run3 = () =>
      tf.tidy(() => {
        const x = tf.tensor4d(raw, [2, 9, 10, 3]);
        return tf.grad((v: tf.Tensor) => tf.sum(tf.square(tf.maxPool(v as tf.Tensor4D, 3, 3, 'valid'))))(x);
      });
    expect(relativeError(await onBackend('wasm', run3), await onBackend('cpu', run3))).toBeLessThan(1e-6);
  });

  it('gives the same gradients as cpu for a whole U-Net', async () => {
    const arch = { depth: 2, baseChannels: 3, inChannels: 2, numClasses: 3, dropout: 0 };
    const xData = randomArray(1 * 60 * 60 * 2, 11);
    const labels = randomArray(20 * 20, 12).map((v) => (v > 0.3 ? 2 : v > -0.5 ? 1 : 0));
    const oneHot = new Float32Array(20 * 20 * 3);
    labels.forEach((c, i) => c > 0 && (oneHot[i * 3 + c] = 1));
    const weights = labels.map((c) => (c === 0 ? 0 : c === 2 ? 3 : 1));
    const gradients = async (backend: 'cpu' | 'wasm') => {
      await tf.setBackend(backend);
      const model = buildUNet(arch, { seed: 4, inputSize: 60 });
      const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const { value, grads } = tf.variableGrads(
        () =>
          weightedCrossEntropy(
            model.apply(tf.tensor4d(xData, [1, 60, 60, 2]), { training: true }) as tf.Tensor4D,
            tf.tensor4d(oneHot, [1, 20, 20, 3]),
            tf.tensor4d(weights, [1, 20, 20, 1]),
          ),
        vars,
      );
      const out = { loss: value.dataSync()[0], grads: vars.map((v) => grads[v.name].dataSync() as Float32Array) };
      tf.dispose([value, ...Object.values(grads)]);
      model.dispose();
      return out;
    };
    const reference = await gradients('cpu');
    const actual = await gradients('wasm');
    expect(Math.abs(actual.loss - reference.loss) / reference.loss).toBeLessThan(1e-5);
    expect(actual.grads).toHaveLength(26);
    actual.grads.forEach((g, i) => expect(relativeError(g, reference.grads[i])).toBeLessThan(1e-4));
  });

  it('clones share memory safely: a clone outlives its source', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor([1, 2, 3]);
    const y = tf.clone(x);
    x.dispose();
    expect(Array.from(await y.data())).toEqual([1, 2, 3]);
    y.dispose();
  });

  it('the supplied kernels leave no tensors or heap views behind', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor(randomArray(1 * 12 * 12 * 3, 5), [1, 12, 12, 3]);
    const w = tf.tensor(randomArray(3 * 3 * 3 * 4, 6), [3, 3, 3, 4]);
    const step = () => tf.tidy(() => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, "valid"))))([x, w]));
    tf.dispose(step());
    const before = tf.memory().numTensors;
    const beforeBytes = tf.memory().numBytes;
    for (let i = 0; i < 3; i++) tf.dispose(step());
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.memory().numBytes).toBe(beforeBytes);
    tf.dispose([x, w]);
  });
});

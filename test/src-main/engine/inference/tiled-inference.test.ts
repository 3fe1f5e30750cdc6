import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnetError } from '../../../../src-shared/contract/errors';
import { dihedral, dihedralInverse } from '../../../../src-shared/imaging/dihedral';
import { extractMirroredTile, mirrorPad } from '../../../../src-shared/imaging/mirror';
import { haloFor, legalInputSizes, outputSizeFor } from '../../../../src-shared/imaging/tile-geometry';
import { createOrtSession } from '../../../../src-main/engine/inference/ort-session';
import type { OrtRunner } from '../../../../src-main/engine/inference/ort-runner';
import { segmentImage, type OutputTile } from '../../../../src-main/engine/inference/tiled-inference';
import type { UNetArchitecture } from '../../../../src-main/engine/unet-architecture';
import { createOrtRunner } from '../../../../src-main/engine/inference/ort-runner';
import type { StoredWeight } from '../../../../src-main/engine/onnx/model-weights';
import { encodeOnnxModel } from '../../../../src-main/engine/onnx/onnx-writer';
import { randomUnetWeights } from '../../../../src-main/engine/onnx/random-weights';
import { buildUnetOnnxModel } from '../../../../src-main/engine/onnx/unet-onnx-graph';
import { blobImage, maxAbsDiff, tinyOrtRunner, tinyUnetOnnx } from './tiny-unet';

/** Averages every kernel's spatial plane over its 8 dihedral transforms (kernels are [kH, kW, a, b]). */
function symmetrise(weights: Map<string, StoredWeight>): Map<string, StoredWeight> {
  const out = new Map<string, StoredWeight>();
  for (const [name, w] of weights) {
    if (w.shape.length !== 4) {
      out.set(name, w);
      continue;
    }
    const [kh, kw, a, b] = w.shape;
    const cells = Int32Array.from({ length: kh * kw }, (_, i) => i);
    const orbits = Array.from({ length: 8 }, (_, k) => dihedral(cells, kw, kh, 1, k));
    const data = new Float32Array(w.data.length);
    const inner = a * b;
    for (let p = 0; p < kh * kw; p++) {
      for (let j = 0; j < inner; j++) {
        let sum = 0;
        for (const orbit of orbits) sum += w.data[orbit[p] * inner + j];
        data[p * inner + j] = sum / 8;
      }
    }
    out.set(name, { shape: w.shape, data });
  }
  return out;
}

const arch: UNetArchitecture = { depth: 2, baseChannels: 4, inChannels: 1, numClasses: 3, dropout: 0.5 };
const halo = haloFor(arch.depth);
const [tile] = legalInputSizes(arch.depth, 90, 200); // 92 -> 52
const outTile = outputSizeFor(tile, arch.depth);

/** Whole-image forward pass: the image mirror-padded by the halo, in one network call (H and W may differ). */
async function wholeImageForward(image: Float32Array, width: number, height: number): Promise<Float32Array> {
  const { session } = await createOrtSession(tinyUnetOnnx(arch), { provider: 'cpu', threads: 2 });
  try {
    const padded = mirrorPad(image, width, height, halo);
    const result = await session.run({ input: new ort.Tensor('float32', padded, [1, 1, height + 2 * halo, width + 2 * halo]) });
    const probs = result.probabilities as ort.Tensor;
    expect(probs.dims).toEqual([1, 3, height, width]);
    return probs.data as Float32Array;
  } finally {
    await session.release();
  }
}

describe('tiled inference', () => {
  let runner: OrtRunner;
  beforeAll(async () => {
    runner = await tinyOrtRunner(arch);
  });
  afterAll(async () => {
    await runner.dispose();
  });

  it('gives the same result tiled and whole for an image that is one output tile', async () => {
    const image = blobImage(outTile, outTile, 1, 3);
    const tiled = await segmentImage(runner, { width: outTile, height: outTile, channels: 1, data: image }, { tile, outputs: { probabilities: true, classMap: true } });
    expect(tiled.tiles).toBe(1);
    const whole = await runner.runTile(mirrorPad(image, outTile, outTile, halo), tile);
    expect(maxAbsDiff(tiled.probabilities!, whole)).toBeLessThan(1e-4);
    // The class map is the argmax of those probabilities over classes 1.. (0 = unlabeled is never predicted).
    const plane = outTile * outTile;
    for (let p = 0; p < plane; p++) {
      const v = [1, 2].map((k) => whole[k * plane + p]);
      expect(tiled.classMap![p]).toBeGreaterThanOrEqual(1);
      expect(whole[tiled.classMap![p] * plane + p]).toBe(Math.max(...v));
    }
  });

  it('stitches a multi-tile image seamlessly: equal to a whole-image pass on the mirror-padded input', async () => {
    // Both sides are output sizes of legal inputs, so the whole image runs in one pass; neither is a multiple of the tile.
    const [a, b] = legalInputSizes(arch.depth, 118, 140).filter((_, i, all) => i === 0 || i === all.length - 1);
    const width = outputSizeFor(b, arch.depth);
    const height = outputSizeFor(a, arch.depth);
    expect(width % outTile).not.toBe(0);
    const image = blobImage(width, height, 1, 5);
    const tiled = await segmentImage(runner, { width, height, channels: 1, data: image }, { tile, outputs: { probabilities: true } });
    expect(tiled.tiles).toBe(Math.ceil(width / outTile) * Math.ceil(height / outTile));
    const whole = await wholeImageForward(image, width, height);
    expect(maxAbsDiff(tiled.probabilities!, whole)).toBeLessThan(1e-4);
  });

  it('streams through a sink and a region reader, visiting every output pixel exactly once', async () => {
    const width = 131;
    const height = 77;
    const image = blobImage(width, height, 1, 7);
    const visits = new Uint8Array(width * height);
    const reads: Array<[number, number, number, number]> = [];
    const read = async (x: number, y: number, w: number, h: number) => {
      reads.push([x, y, w, h]);
      const out = new Float32Array(w * h);
      for (let r = 0; r < h; r++) out.set(image.subarray((y + r) * width + x, (y + r) * width + x + w), r * w);
      return out;
    };
    const seen: OutputTile[] = [];
    const streamed = new Float32Array(3 * width * height);
    const result = await segmentImage(
      runner,
      { width, height, channels: 1, read },
      {
        tile,
        outputs: { classMap: true },
        sink: (t) => {
          seen.push({ ...t, probabilities: t.probabilities.slice() });
          for (let y = 0; y < t.height; y++) {
            for (let x = 0; x < t.width; x++) {
              visits[(t.y + y) * width + t.x + x]++;
              for (let k = 0; k < 3; k++) streamed[k * width * height + (t.y + y) * width + t.x + x] = t.probabilities[(k * t.height + y) * t.width + x];
            }
          }
        },
      },
    );
    expect(visits.every((v) => v === 1)).toBe(true);
    expect(seen.map((t) => t.index)).toEqual(seen.map((_, i) => i));
    expect(seen.length).toBe(result.tiles);
    for (const [x, y, w, h] of reads) {
      expect(x >= 0 && y >= 0 && x + w <= width && y + h <= height).toBe(true);
    }
    // The same image held in memory gives the same probabilities.
    const inMemory = await segmentImage(runner, { width, height, channels: 1, data: image }, { tile, outputs: { probabilities: true } });
    expect(maxAbsDiff(inMemory.probabilities!, streamed)).toBeLessThan(1e-6);
  });

  it('averages the 8 dihedral transforms with TTA, as a manual average does', async () => {
    const image = blobImage(outTile, outTile, 1, 11);
    const padded = mirrorPad(image, outTile, outTile, halo);
    const withTta = await segmentImage(runner, { width: outTile, height: outTile, channels: 1, data: image }, { tile, tta: true, outputs: { probabilities: true } });
    const plane = outTile * outTile;
    const manual = new Float32Array(3 * plane);
    for (let k = 0; k < 8; k++) {
      const probs = await runner.runTile(dihedral(padded, tile, tile, 1, k), tile);
      for (let c = 0; c < 3; c++) {
        const back = dihedralInverse(probs.slice(c * plane, (c + 1) * plane), outTile, outTile, 1, k);
        for (let i = 0; i < plane; i++) manual[c * plane + i] += back[i] / 8;
      }
    }
    expect(maxAbsDiff(withTta.probabilities!, manual)).toBeLessThan(1e-5);
    // A random network is not flip-invariant, so averaging really changes the output.
    const plain = await runner.runTile(padded, tile);
    expect(maxAbsDiff(plain, manual)).toBeGreaterThan(1e-3);
  });

  it('leaves a network that commutes with rotations and flips unchanged under TTA', async () => {
    // Kernels averaged over the 8 symmetries of the square make the U-Net itself D4-equivariant, f(T x) = T f(x),
    // so the TTA mean of the back-transformed predictions must equal the plain prediction for any input.
    const weights = symmetrise(randomUnetWeights(arch, 21));
    const symmetric = await createOrtRunner(encodeOnnxModel(buildUnetOnnxModel(arch, weights)), arch, { provider: 'cpu' });
    try {
      const width = 70;
      const height = 61;
      const source = { width, height, channels: 1, data: blobImage(width, height, 1, 23) };
      const a = await segmentImage(symmetric, source, { tile, tta: true, outputs: { probabilities: true } });
      const b = await segmentImage(symmetric, source, { tile, outputs: { probabilities: true } });
      expect(maxAbsDiff(a.probabilities!, b.probabilities!)).toBeLessThan(1e-5);
    } finally {
      await symmetric.dispose();
    }
  });

  it('handles multi-channel (HWC) input', async () => {
    const arch2 = { ...arch, inChannels: 2 };
    const runner2 = await tinyOrtRunner(arch2, 4);
    try {
      const image = blobImage(outTile, outTile, 2, 13);
      const tiled = await segmentImage(runner2, { width: outTile, height: outTile, channels: 2, data: image }, { tile, outputs: { probabilities: true } });
      const hwc = extractMirroredTile(image, outTile, outTile, 2, -halo, -halo, tile, tile);
      const nchw = new Float32Array(hwc.length);
      for (let p = 0; p < tile * tile; p++) for (let c = 0; c < 2; c++) nchw[c * tile * tile + p] = hwc[p * 2 + c];
      const { session } = await createOrtSession(tinyUnetOnnx(arch2, 4), { provider: 'cpu' });
      const out = await session.run({ input: new ort.Tensor('float32', nchw, [1, 2, tile, tile]) });
      await session.release();
      expect(maxAbsDiff(tiled.probabilities!, (out.probabilities as ort.Tensor).data as Float32Array)).toBeLessThan(1e-5);
    } finally {
      await runner2.dispose();
    }
  });

  it('labels instances of the predicted foreground', async () => {
    const width = 90;
    const height = 70;
    const image = blobImage(width, height, 1, 19);
    const result = await segmentImage(runner, { width, height, channels: 1, data: image }, { tile, outputs: { classMap: true, foreground: true, instances: { erosion: 1 } } });
    const { classMap, foreground, instances, instanceCount } = result;
    expect(instances).toBeInstanceOf(Int32Array);
    let maxLabel = 0;
    for (let p = 0; p < width * height; p++) {
      // Foreground = classes >= 2; its probability is 1 - p(unlabeled) - p(background).
      expect(instances![p] > 0).toBe(classMap![p] >= 2);
      maxLabel = Math.max(maxLabel, instances![p]);
    }
    expect(maxLabel).toBe(instanceCount);
    expect(instanceCount).toBeGreaterThan(0);
    expect(classMap!.some((c) => c < 2)).toBe(true);
    expect(foreground!.every((v) => v >= 0 && v <= 1 + 1e-6)).toBe(true);
  });

  it('reports progress from 0 to 100 and stops when cancelled', async () => {
    const width = 160;
    const height = 120;
    const image = blobImage(width, height, 1, 17);
    const progress: number[] = [];
    await segmentImage(runner, { width, height, channels: 1, data: image }, { tile }, (p) => progress.push(p));
    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(100);
    expect(progress.every((p, i) => i === 0 || p >= progress[i - 1])).toBe(true);

    const controller = new AbortController();
    let tiles = 0;
    const run = segmentImage(runner, { width, height, channels: 1, data: image }, { tile }, (_, d) => {
      tiles = d.tile;
      if (d.tile === 2) controller.abort();
    }, controller.signal);
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(tiles).toBe(2);
  });

  it('rejects bad input with typed errors', async () => {
    const image = new Float32Array(50 * 50);
    await expect(segmentImage(runner, { width: 50, height: 50, channels: 1, data: image }, { tile: tile + 1 })).rejects.toBeInstanceOf(UnetError);
    await expect(segmentImage(runner, { width: 50, height: 50, channels: 2, data: image }, { tile })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(segmentImage(runner, { width: 50, height: 49, channels: 1, data: image }, { tile })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const badReader = { width: 50, height: 50, channels: 1, read: async () => new Float32Array(3) };
    await expect(segmentImage(runner, badReader, { tile })).rejects.toMatchObject({ code: 'IO_ERROR' });
  });
});

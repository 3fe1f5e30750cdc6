import { describe, expect, it } from 'vitest';
import { haloFor, legalInputSizes, outputSizeFor } from '../../../src-shared/imaging/tile-geometry';
import type { OpenedRunner } from '../../../src-main/engine/inference/open-runner';
import type { TileRunner } from '../../../src-main/engine/inference/tile-runner';
import type { UNetMetadata } from '../../../src-main/engine/model-files';
import { lostOnEnlarging, segmentModelInput, upscaleForObjectsIn } from '../../../src-main/pipeline/segment-file';
import { pointwiseRunner } from '../engine/inference/pointwise-runner';

const DEPTH = 2;
const HALO = haloFor(DEPTH);
const [TILE] = legalInputSizes(DEPTH, 60, 200);

function opened(runner: TileRunner, upscale: UNetMetadata['upscale']): OpenedRunner {
  const metadata = {
    architecture: { depth: DEPTH, baseChannels: 4, inChannels: 1, numClasses: 3, dropout: 0 },
    tile: { input: TILE, output: outputSizeFor(TILE, DEPTH), halo: HALO },
    classNames: ['unlabeled', 'background', 'cell'],
    normalization: null,
    ...(upscale !== undefined ? { upscale } : {}),
  } as unknown as UNetMetadata;
  return { runner, metadata, engine: 'onnx', notes: [] } as unknown as OpenedRunner;
}

/** Bright squares of one side on a dark 96 x 48 image, 3 px apart. */
function squaresImage(side: number): Float32Array {
  const width = 96;
  const image = new Float32Array(width * 48);
  for (let y0 = 2; y0 + side <= 46; y0 += side + 3) {
    for (let x0 = 2; x0 + side <= 94; x0 += side + 3) {
      for (let y = y0; y < y0 + side; y++) for (let x = x0; x < x0 + side; x++) image[y * width + x] = 1;
    }
  }
  return image;
}

describe('segmenting with a model that enlarges images by their objects\' size', () => {
  it('enlarges an image of small objects as their size asks, and gives the results at its own size', async () => {
    const runner = pointwiseRunner(DEPTH);
    const image = squaresImage(6);
    const result = await segmentModelInput(opened(runner, 'auto'), 96, 48, image, { instances: {} });
    // Squares of 36 px: 6.8 px across, enlarged round(30 / 6.8) = 4 times.
    expect(result.upscale).toBe(4);
    expect([result.width, result.height, result.classMap.length]).toEqual([96, 48, 96 * 48]);
    for (let p = 0; p < image.length; p++) expect(result.classMap[p]).toBe(image[p] === 1 ? 2 : 1);
    // One pass as it is, one enlarged 4 times.
    expect(runner.pixels).toBeGreaterThanOrEqual(96 * 48 * 17);
  });

  it('segments an image of large objects once, as it is', async () => {
    const runner = pointwiseRunner(DEPTH);
    const result = await segmentModelInput(opened(runner, 'auto'), 96, 48, squaresImage(40), { instances: {} });
    expect(result.upscale).toBeUndefined();
    expect(result.instanceCount).toBe(2);
    expect(runner.pixels).toBeLessThan(96 * 48 * 4);
  });

  it('enlarges every image by a fixed factor when the model has one', async () => {
    const result = await segmentModelInput(opened(pointwiseRunner(DEPTH), 2), 96, 48, squaresImage(40));
    expect(result.upscale).toBe(2);
    expect(result.classMap.length).toBe(96 * 48);
  });

  it('keeps the image as it is when the enlarged pass loses most of the objects the first pass found', async () => {
    // How many output pixels a pass at the image's own size makes.
    const counting = pointwiseRunner(DEPTH);
    await segmentModelInput(opened(counting, 1), 96, 48, squaresImage(6));
    const firstPass = counting.pixels;
    // A model that finds the squares at their own size and nothing once they are enlarged.
    const pointwise = pointwiseRunner(DEPTH);
    const forgetful: TileRunner = {
      ...pointwise,
      async runTile(input, size) {
        const probs = await pointwise.runTile(input, size);
        if (pointwise.pixels <= firstPass) return probs;
        const plane = probs.length / 3;
        probs.fill(0);
        probs.fill(1, plane, 2 * plane);
        return probs;
      },
    };
    const image = squaresImage(6);
    const result = await segmentModelInput(opened(forgetful, 'auto'), 96, 48, image, { instances: {} });
    expect(result.upscale).toBeUndefined();
    expect(result.upscaleDistrusted).toBe(4);
    for (let p = 0; p < image.length; p++) expect(result.classMap[p]).toBe(image[p] === 1 ? 2 : 1);
    expect(result.instanceCount).toBeGreaterThan(0);
    // The enlarged pass ran, and was set aside.
    expect(pointwise.pixels).toBeGreaterThanOrEqual(96 * 48 * 17);
  });

  it('trusts an enlarged pass that keeps at least half of the objects\' area', () => {
    const first = new Uint8Array([2, 2, 2, 2, 1, 1, 1, 1]);
    expect(lostOnEnlarging(first, new Uint8Array([2, 2, 1, 1, 1, 1, 1, 1]))).toBe(false);
    expect(lostOnEnlarging(first, new Uint8Array([2, 1, 1, 1, 1, 1, 1, 1]))).toBe(true);
    expect(lostOnEnlarging(first, new Uint8Array([3, 2, 2, 2, 2, 2, 2, 2]))).toBe(false);
    // Nothing found at the image's own size: nothing to lose.
    expect(lostOnEnlarging(new Uint8Array(8).fill(1), new Uint8Array(8).fill(1))).toBe(false);
  });

  it('judges the objects by where the foreground is at least even odds', () => {
    const width = 60;
    const foreground = new Float32Array(width * 12);
    // A 10 x 10 square at 0.6 (11.3 px across: 3 times) and a 40 x 9 band at 0.4, which does not count.
    for (let y = 0; y < 10; y++) for (let x = 0; x < 10; x++) foreground[y * width + x] = 0.6;
    for (let y = 0; y < 9; y++) for (let x = 15; x < 55; x++) foreground[y * width + x] = 0.4;
    expect(upscaleForObjectsIn(foreground, width, 12)).toBe(3);
    for (let y = 0; y < 9; y++) for (let x = 15; x < 55; x++) foreground[y * width + x] = 0.5;
    // By pixels, the band (360 of 460 pixels, 21 px across) is the typical object: not enlarged.
    expect(upscaleForObjectsIn(foreground, width, 12)).toBe(1);
    expect(upscaleForObjectsIn(new Float32Array(width * 12), width, 12)).toBe(1);
  });
});

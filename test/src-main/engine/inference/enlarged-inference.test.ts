import { describe, expect, it } from 'vitest';
import { UnetError } from '../../../../src-shared/contract/errors';
import { legalInputSizes } from '../../../../src-shared/imaging/tile-geometry';
import { fitsEnlarged, segmentEnlarged } from '../../../../src-main/engine/inference/enlarged-inference';
import { segmentImage } from '../../../../src-main/engine/inference/tiled-inference';
import { pointwiseRunner } from './pointwise-runner';

const DEPTH = 2;
const [TILE] = legalInputSizes(DEPTH, 60, 200);

const pointwise = pointwiseRunner(DEPTH);

/** Two 0/1 rectangles on a 0 background, the second a single pixel wide. */
function rectangles(width: number, height: number): Float32Array {
  const image = new Float32Array(width * height);
  for (let y = 3; y < 9; y++) for (let x = 2; x < 7; x++) image[y * width + x] = 1;
  for (let y = 3; y < 9; y++) image[y * width + 10] = 1;
  return image;
}

describe('segmenting with a model that enlarges its images', () => {
  const width = 15;
  const height = 12;
  const data = rectangles(width, height);
  const image = { width, height, channels: 1, data };

  it('gives every output at the image size, the outlines where they are in the image (no shift)', async () => {
    const result = await segmentEnlarged(pointwise, image, 2, { tile: TILE, outputs: { classMap: true, foreground: true, probabilities: true, instances: true } });
    expect([result.width, result.height]).toEqual([width, height]);
    expect(result.classMap!.length).toBe(width * height);
    expect(result.probabilities!.length).toBe(3 * width * height);
    for (let p = 0; p < width * height; p++) expect(result.classMap![p]).toBe(data[p] === 1 ? 2 : 1);
    // Probabilities stay probabilities after the block average.
    for (let p = 0; p < width * height; p++) expect(result.probabilities![width * height + p] + result.probabilities![2 * width * height + p]).toBeCloseTo(1, 5);
    expect(result.instanceCount).toBe(2);
    // The network saw the enlarged image: more tiles' worth of pixels than the image has.
    const plain = await segmentImage(pointwise, image, { tile: TILE, outputs: { classMap: true } });
    expect(result.tiles).toBeGreaterThanOrEqual(plain.tiles);
  });

  it('is plain tiled segmentation at factor 1', async () => {
    const options = { tile: TILE, outputs: { classMap: true, foreground: true } };
    const a = await segmentEnlarged(pointwise, image, 1, options);
    const b = await segmentImage(pointwise, image, options);
    expect(Array.from(a.classMap!)).toEqual(Array.from(b.classMap!));
    expect(Array.from(a.foreground!)).toEqual(Array.from(b.foreground!));
  });

  it('refuses a factor it cannot apply and a tile sink, with typed errors', async () => {
    await expect(segmentEnlarged(pointwise, image, 2.5, { tile: TILE })).rejects.toThrow(UnetError);
    await expect(segmentEnlarged(pointwise, image, 2, { tile: TILE, sink: () => undefined })).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });

  it('says which enlargements fit the probabilities it holds whole (4 GiB), and refuses the others as TOO_LARGE', async () => {
    expect(fitsEnlarged(8192, 8192, 4, 2)).toBe(true);
    expect(fitsEnlarged(8200, 8192, 4, 2)).toBe(false);
    expect(fitsEnlarged(100_000, 100_000, 4, 1)).toBe(true);
    const wide = { width: 40_000, height: 8, channels: 1, data: new Float32Array(40_000 * 8) };
    expect(fitsEnlarged(40_000, 8, 3, 4)).toBe(true);
    expect(fitsEnlarged(40_000, 80_000, 3, 4)).toBe(false);
    await expect(segmentEnlarged(pointwise, { ...wide, height: 80_000, data: new Float32Array(1) }, 4, { tile: TILE })).rejects.toMatchObject({ code: 'TOO_LARGE' });
  });

  it('reports progress up to 100 and stops when cancelled', async () => {
    const seen: number[] = [];
    await segmentEnlarged(pointwise, image, 2, { tile: TILE }, (percent) => seen.push(percent));
    expect(seen[seen.length - 1]).toBe(100);
    expect(Math.max(...seen.slice(0, -1))).toBeLessThanOrEqual(95);
    const controller = new AbortController();
    controller.abort();
    await expect(segmentEnlarged(pointwise, image, 2, { tile: TILE }, undefined, controller.signal)).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});

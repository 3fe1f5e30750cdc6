import { describe, expect, it } from 'vitest';
import { UnetError } from '../../../../src-shared/contract/errors';
import { haloFor, legalInputSizes, outputSizeFor } from '../../../../src-shared/imaging/tile-geometry';
import type { TileRunner } from '../../../../src-main/engine/inference/tile-runner';
import { segmentImage } from '../../../../src-main/engine/inference/tiled-inference';

const DEPTH = 2;
const HALO = haloFor(DEPTH);
const [TILE] = legalInputSizes(DEPTH, 60, 200);
const OUT = outputSizeFor(TILE, DEPTH);
/** Classes: 0 unlabelled, 1 background, 2 cell, 3 border. */
const K = 4;
const BORDER = 3;

/** A "network" that reads the class off its input pixel (0 background, 1 cell, 2 border) and says it with p 0.7. */
const oracle: TileRunner = {
  description: 'oracle',
  depth: DEPTH,
  inChannels: 1,
  numClasses: K,
  async runTile(input, size) {
    const out = outputSizeFor(size, DEPTH);
    const probs = new Float32Array(K * out * out);
    for (let y = 0; y < out; y++) {
      for (let x = 0; x < out; x++) {
        const cls = 1 + Math.round(input[(y + HALO) * size + x + HALO]);
        for (let k = 1; k < K; k++) probs[k * out * out + y * out + x] = k === cls ? 0.7 : 0.15;
      }
    }
    return probs;
  },
  async dispose() {},
};

/** Two squares of cell touching along a border column, on background. */
function touchingCells(width: number, height: number): Float32Array {
  const image = new Float32Array(width * height);
  for (let y = 4; y < 16; y++) {
    for (let x = 4; x < 29; x++) image[y * width + x] = x === 16 ? 2 : 1;
  }
  return image;
}

describe('segmenting with a model that has a border class', () => {
  const width = 40;
  const height = 20;
  const data = touchingCells(width, height);

  it('counts borders as object in the class map, but not in the foreground (interior) probability', async () => {
    expect(OUT).toBeGreaterThan(0);
    const result = await segmentImage(oracle, { width, height, channels: 1, data }, { tile: TILE, outputs: { classMap: true, foreground: true }, borderClass: BORDER });
    const at = (x: number, y: number) => y * width + x;
    expect(result.classMap![at(16, 8)]).toBe(2);
    expect(result.classMap![at(10, 8)]).toBe(2);
    expect(result.classMap![at(1, 1)]).toBe(1);
    expect(result.classMap!.includes(BORDER)).toBe(false);
    expect(result.foreground![at(10, 8)]).toBeCloseTo(0.7, 5);
    expect(result.foreground![at(16, 8)]).toBeCloseTo(0.15, 5);
  });

  it('splits touching cells at the border when seeds come from the interiors, and not without', async () => {
    const run = (instances: object) => segmentImage(oracle, { width, height, channels: 1, data }, { tile: TILE, outputs: { instances }, borderClass: BORDER });
    const seeded = await run({ threshold: 0.5 });
    expect(seeded.instanceCount).toBe(2);
    const labels = seeded.instances!;
    expect(labels[8 * width + 10]).not.toBe(labels[8 * width + 22]);
    // The border column belongs to one of the two cells: nothing of the object is lost.
    expect(labels[8 * width + 16]).toBeGreaterThan(0);
    const plain = await run({});
    expect(plain.instanceCount).toBe(1);
  });

  it('without the border class, the border is a class of its own and joins the foreground sum', async () => {
    const result = await segmentImage(oracle, { width, height, channels: 1, data }, { tile: TILE, outputs: { classMap: true, foreground: true } });
    expect(result.classMap![8 * width + 16]).toBe(BORDER);
    expect(result.foreground![8 * width + 16]).toBeCloseTo(0.85, 5);
  });

  it('refuses a border class the model does not have, or one that leaves no foreground class', async () => {
    const image = { width, height, channels: 1, data };
    await expect(segmentImage(oracle, image, { tile: TILE, borderClass: 4 })).rejects.toThrow(UnetError);
    await expect(segmentImage(oracle, image, { tile: TILE, borderClass: 2 })).rejects.toThrow(/border class 2/);
  });
});

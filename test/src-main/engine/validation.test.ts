import { describe, expect, it } from 'vitest';
import { outputSizeFor } from '../../../src-shared/imaging/tile-geometry';
import { prepareSample, type TrainingSample } from '../../../src-main/engine/training-data';
import { evaluate, type TilePredictor } from '../../../src-main/engine/validation';

const TILE = 92;
const DEPTH = 2;
const OUT = outputSizeFor(TILE, DEPTH);
const HALO = (TILE - OUT) / 2;

/** A square image: the left half is a bright object (class 2), the right half background. */
function halves(id: string, size: number): TrainingSample {
  const image = new Float32Array(size * size);
  const classMap = new Uint8Array(size * size);
  const instanceMap = new Uint16Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const left = x < size / 2;
      image[y * size + x] = left ? 1 : 0;
      classMap[y * size + x] = left ? 2 : 1;
      instanceMap[y * size + x] = left ? 1 : 0;
    }
  }
  return { id, image, width: size, height: size, channels: 1, classMap, instanceMap };
}

/** Calls a pixel foreground when it is bright, or, when `inverted`, when it is dark. */
function thresholdPredictor(inverted: (tileInput: Float32Array) => boolean): TilePredictor {
  return async (tile) => {
    const flip = inverted(tile);
    const out = new Float32Array(OUT * OUT * 3);
    for (let y = 0; y < OUT; y++) {
      for (let x = 0; x < OUT; x++) {
        const bright = tile[(y + HALO) * TILE + (x + HALO)] > 0.5;
        const fg = flip ? !bright : bright;
        out.set([-20, fg ? -10 : -0.0001, fg ? -0.0001 : -10], (y * OUT + x) * 3);
      }
    }
    return out;
  };
}

describe('validation score', () => {
  const prep = { w0: 10, sigma: 5, separationGap: 0 };
  const small = prepareSample(halves('small', 40), prep);
  const large = prepareSample(halves('large', 200), prep);
  // The large image's tiles carry a marker: its predictions come out inverted.
  for (let i = 0; i < large.image.length; i++) large.image[i] += 0.001;
  const marked = (tile: Float32Array) => tile.some((v) => v > 0 && Math.abs(v - Math.round(v)) > 1e-6);

  it('scores a perfect prediction 1 and an inverted one 0', async () => {
    expect((await evaluate(thresholdPredictor(() => false), [small], TILE, DEPTH, 3)).iou).toBeCloseTo(1);
    expect((await evaluate(thresholdPredictor(() => true), [small], TILE, DEPTH, 3)).iou).toBeCloseTo(0);
  });

  it('averages images: a large failed image does not drown a small good one', async () => {
    const score = await evaluate(thresholdPredictor(marked), [small, large], TILE, DEPTH, 3);
    // Pooled over pixels this would be about 0.02 (the large image has 25 times the pixels).
    expect(score.iou).toBeCloseTo(0.5, 2);
  });
});

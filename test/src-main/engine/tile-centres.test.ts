import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src-shared/imaging/rng';
import { pickLabelledPixel, pickTileCentre, type CentreSource } from '../../../src-main/engine/tile-centres';

/** 100 x 100, all labelled background (weight 1) except a 10 x 10 square of weight 20 in a corner. */
function heavyCorner(): CentreSource {
  const width = 100;
  const height = 100;
  const classMap = new Uint8Array(width * height).fill(1);
  const weights = new Float32Array(width * height).fill(1);
  for (let y = 0; y < 10; y++) for (let x = 0; x < 10; x++) weights[y * width + x] = 20;
  return { width, height, classMap, weights, labelled: width * height, maxWeight: 20 };
}

function shareInCorner(sample: CentreSource, sampling: 'labelled' | 'weighted', draws = 4000): number {
  const rng = createRng(7);
  let inside = 0;
  for (let i = 0; i < draws; i++) {
    const [x, y] = pickTileCentre(sample, rng, sampling);
    if (x < 10 && y < 10) inside++;
  }
  return inside / draws;
}

describe('tile centres', () => {
  it('labelled: uniform over the labelled pixels, and the same draws as before weighting existed', () => {
    const sample = heavyCorner();
    expect(shareInCorner(sample, 'labelled')).toBeCloseTo(0.01, 1);
    const a = createRng(3);
    const b = createRng(3);
    for (let i = 0; i < 20; i++) expect(pickTileCentre(sample, a, 'labelled')).toEqual(pickLabelledPixel(sample, b));
  });

  it('labelled: never centres on an unlabelled pixel', () => {
    const sample = heavyCorner();
    sample.classMap.fill(0);
    sample.classMap[5050] = 2;
    sample.labelled = 1;
    const rng = createRng(1);
    for (let i = 0; i < 50; i++) expect(pickTileCentre(sample, rng, 'labelled')).toEqual([50, 50]);
  });

  it('weighted: half the tiles follow the loss weight, so heavy pixels are drawn far more often', () => {
    // Weight share of the corner: 100 * 20 / (100 * 20 + 9900) = 0.168; half of the draws follow it.
    const share = shareInCorner(heavyCorner(), 'weighted');
    expect(share).toBeGreaterThan(0.06);
    expect(share).toBeLessThan(0.13);
  });

  it('weighted: falls back to labelled pixels when nothing has weight', () => {
    const sample = heavyCorner();
    sample.weights.fill(0);
    sample.maxWeight = 0;
    const rng = createRng(2);
    const [x, y] = pickTileCentre(sample, rng, 'weighted');
    expect(sample.classMap[y * sample.width + x]).toBe(1);
  });
});

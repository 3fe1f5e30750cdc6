import { describe, expect, it } from 'vitest';
import { applyIntensity, drawIntensityParams, intensityAugment } from '../../../src-shared/imaging/intensity-augmentation';
import { createRng } from '../../../src-shared/imaging/rng';
import { UnetError } from '../../../src-shared/contract/errors';

describe('intensity augmentation', () => {
  const data = new Float32Array([0, 0.25, 0.5, 1]);

  it('applies gamma, contrast about the mean, and brightness as documented', () => {
    const rng = createRng(1);
    const g = applyIntensity(data, { gamma: 2, contrast: 1, brightness: 0, noiseStd: 0 }, rng);
    expect(Array.from(g)).toEqual([0, 0.0625, 0.25, 1]);
    const c = applyIntensity(data, { gamma: 1, contrast: 2, brightness: 0.1, noiseStd: 0 }, rng);
    const mean = 1.75 / 4;
    expect(c[3]).toBeCloseTo(mean + 2 * (1 - mean) + 0.1, 6);
    const neg = applyIntensity(new Float32Array([-0.25]), { gamma: 2, contrast: 1, brightness: 0, noiseStd: 0 }, rng);
    expect(neg[0]).toBeCloseTo(-0.0625, 7);
  });

  it('is the identity with all ranges 0 and deterministic per seed', () => {
    const off = { gamma: 0, contrast: 0, brightness: 0, noise: 0 };
    expect(intensityAugment(data, createRng(1), off)).toEqual(data);
    const a = intensityAugment(data, createRng(9));
    const b = intensityAugment(data, createRng(9));
    expect(a).toEqual(b);
    expect(a).not.toEqual(data);
  });

  it('fills missing options with the defaults', () => {
    const only = intensityAugment(data, createRng(4), { noise: 0, gamma: 0, contrast: 0 });
    const full = intensityAugment(data, createRng(4), { noise: 0, gamma: 0, contrast: 0, brightness: 0.1 });
    expect(only).toEqual(full);
  });

  it('adds noise to the given share of samples, the other draws unchanged', () => {
    const never = drawIntensityParams(createRng(5), { noise: 0.2, noiseProbability: 0 });
    const always = drawIntensityParams(createRng(5), { noise: 0.2, noiseProbability: 1 });
    expect(never.noiseStd).toBe(0);
    expect(always.noiseStd).toBeGreaterThan(0);
    expect({ ...never, noiseStd: 0 }).toEqual({ ...always, noiseStd: 0 });
    const rng = createRng(6);
    let noisy = 0;
    for (let i = 0; i < 2000; i++) if (drawIntensityParams(rng, { noise: 0.2, noiseProbability: 0.5 }).noiseStd > 0) noisy++;
    expect(noisy / 2000).toBeGreaterThan(0.45);
    expect(noisy / 2000).toBeLessThan(0.55);
  });

  it('works in place and rejects negative ranges', () => {
    const copy = data.slice();
    expect(intensityAugment(copy, createRng(3), undefined, copy)).toBe(copy);
    expect(() => intensityAugment(data, createRng(3), { gamma: -1, contrast: 0, brightness: 0, noise: 0 })).toThrow(UnetError);
  });
});

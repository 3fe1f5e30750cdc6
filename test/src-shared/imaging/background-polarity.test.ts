import { describe, expect, it } from 'vitest';
import { UnetError } from '../../../src-shared/contract/errors';
import { backgroundLevel, invertIfBrightBackground, mixesBackgrounds } from '../../../src-shared/imaging/background-polarity';

describe('background polarity', () => {
  it('reads the background level as the median, ignoring non-finite values', () => {
    expect(backgroundLevel([0.1, 0.9, 0.2, 0.15, 0.8])).toBeCloseTo(0.2, 9);
    expect(backgroundLevel([0.1, 0.3])).toBeCloseTo(0.2, 9);
    expect(backgroundLevel([Number.NaN, 0.7, 0.7, 0.1])).toBeCloseTo(0.7, 9);
    expect(() => backgroundLevel([])).toThrow(UnetError);
    expect(() => backgroundLevel([Number.NaN])).toThrow(UnetError);
  });

  it('a data set mixes backgrounds only with a clearly dark and a clearly bright image', () => {
    // DSB 2018: fluorescence at 0.00-0.13, H&E and bright-field at 0.62-0.95.
    expect(mixesBackgrounds([0.01, 0.13, 0.62, 0.95])).toBe(true);
    // ISBI 2012 (0.49-0.54) and DIC-HeLa (0.38-0.42): one kind, never inverted.
    expect(mixesBackgrounds([0.49, 0.51, 0.54])).toBe(false);
    expect(mixesBackgrounds([0.38, 0.42])).toBe(false);
    expect(mixesBackgrounds([0.01, 0.05])).toBe(false);
    expect(mixesBackgrounds([])).toBe(false);
  });

  it('inverts a bright-background image in place and leaves a dark one', () => {
    const bright = Float32Array.from([0.9, 0.8, 0.2, 0.95, 0.85]);
    expect(invertIfBrightBackground(bright)).toBe(true);
    expect(Array.from(bright).map((v) => +v.toFixed(4))).toEqual([0.1, 0.2, 0.8, 0.05, 0.15]);
    const dark = Float32Array.from([0.1, 0.2, 0.9]);
    expect(invertIfBrightBackground(dark)).toBe(false);
    expect(Array.from(dark)).toEqual(Array.from(Float32Array.from([0.1, 0.2, 0.9])));
  });
});

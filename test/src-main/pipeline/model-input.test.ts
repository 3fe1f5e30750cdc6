import { describe, expect, it } from 'vitest';
import type { UNetMetadata } from '../../../src-main/engine/model-files';
import type { DecodedImage } from '../../../src-main/io/image-types';
import { modelInput } from '../../../src-main/pipeline/segment-file';

/** 100 pixels: a bright background (200) with ten dark object pixels (20). */
function brightBackground(): DecodedImage {
  const data = new Uint8Array(100).fill(200);
  for (let p = 0; p < 10; p++) data[p * 10] = 20;
  return { width: 10, height: 10, channels: 1, frames: 1, dtype: 'uint8', data, colorSpace: 'gray', alpha: false };
}

function metadata(overrides: Partial<UNetMetadata>): UNetMetadata {
  return { architecture: { inChannels: 1 }, normalization: null, ...overrides } as UNetMetadata;
}

describe('modelInput', () => {
  it('inverts a bright-background image when the model was trained with mixed backgrounds inverted', () => {
    const plain = modelInput(brightBackground(), metadata({}));
    expect(plain[1]).toBeGreaterThan(0.9);
    const inverted = modelInput(brightBackground(), metadata({ invertBrightBackground: true }));
    expect(inverted[1]).toBeLessThan(0.1);
    expect(inverted[0]).toBeGreaterThan(0.9);
    for (let p = 0; p < 100; p++) expect(inverted[p]).toBeCloseTo(1 - plain[p], 6);
  });

  it('never inverts with a recorded (data-set) normalisation', () => {
    const fixed = { kind: 'percentile' as const, lowPct: 1, highPct: 99.8, low: 20, high: 200 };
    const input = modelInput(brightBackground(), metadata({ normalization: fixed, invertBrightBackground: true }));
    expect(input[1]).toBeCloseTo(1, 6);
  });
});

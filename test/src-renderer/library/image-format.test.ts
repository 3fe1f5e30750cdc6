import { describe, expect, it } from 'vitest';
import { describeImage } from '../../../src-renderer/src/lib/library/image-format';

describe('describeImage', () => {
  const stack = { width: 512, height: 256, dtype: 'uint16', channels: 1, frames: 12 };
  it('names a plain stack by frames and a hyperstack by its axes', () => {
    expect(describeImage(stack)).toBe('512×256 · 16-bit · 12 fr');
    expect(describeImage(stack, { sizeC: 2, sizeZ: 3, sizeT: 2, order: 'XYZCT', source: 'ome' })).toBe('512×256 · 16-bit · 2 C × 3 Z × 2 T (OME)');
    expect(describeImage({ ...stack, channels: 3, frames: 1, dtype: 'uint8' })).toBe('512×256 · 8-bit · 3 ch');
  });
});

import { describe, expect, it } from 'vitest';
import { blendClasses, blendProbability, classColourTable, displayRange, drawOutlines, imageToRgba, viridis } from '../../../src-renderer/src/lib/results/overlay-render';

describe('displayRange and imageToRgba', () => {
  it('stretches 16-bit grey values to 0..255', () => {
    const data = new Uint16Array([1000, 2000, 3000, 1000]);
    expect(displayRange(data)).toEqual([1000, 3000]);
    const rgba = imageToRgba({ width: 2, height: 2, channels: 1, data });
    expect(Array.from(rgba.slice(0, 8))).toEqual([0, 0, 0, 255, 128, 128, 128, 255]);
    expect(rgba[8]).toBe(255);
  });

  it('shows a flat image without dividing by zero', () => {
    const rgba = imageToRgba({ width: 2, height: 1, channels: 1, data: new Uint8Array([7, 7]) });
    expect(Array.from(rgba)).toEqual([0, 0, 0, 255, 0, 0, 0, 255]);
  });

  it('keeps colour images in colour and reads the first of two channels', () => {
    const rgb = imageToRgba({ width: 2, height: 1, channels: 3, data: new Uint8Array([0, 10, 20, 100, 30, 40]) });
    expect(Array.from(rgb)).toEqual([0, 0, 0, 255, 255, 255, 255, 255]);
    const two = imageToRgba({ width: 2, height: 1, channels: 2, data: new Uint8Array([0, 99, 50, 0]) });
    expect(Array.from(two)).toEqual([0, 0, 0, 255, 255, 255, 255, 255]);
  });
});

describe('class overlay', () => {
  const grey = new Uint8ClampedArray([100, 100, 100, 255, 100, 100, 100, 255, 100, 100, 100, 255]);
  const lut = classColourTable([{ value: 2, name: 'cell', color: '#ff0000' }]);

  it('blends object classes only, with the given opacity', () => {
    const out = blendClasses(grey, new Uint8Array([0, 1, 2]), lut, 0.5);
    expect(Array.from(out.slice(0, 8))).toEqual([100, 100, 100, 255, 100, 100, 100, 255]);
    expect(Array.from(out.slice(8))).toEqual([178, 50, 50, 255]);
    expect(grey[8]).toBe(100);
  });

  it('gives classes without a palette entry a colour anyway', () => {
    const out = blendClasses(grey, new Uint8Array([3, 3, 3]), lut, 1);
    expect(Array.from(out.slice(0, 3))).not.toEqual([100, 100, 100]);
  });

  it('colours probabilities with viridis', () => {
    expect(viridis(0)).toEqual([68, 1, 84]);
    expect(viridis(1)).toEqual([253, 231, 37]);
    expect(viridis(NaN)).toEqual([68, 1, 84]);
    const out = blendProbability(grey, new Float32Array([0, 0.5, 1]), 1);
    expect(Array.from(out.slice(8, 11))).toEqual([253, 231, 37]);
  });
});

describe('drawOutlines', () => {
  it('marks the border pixels of a labelled square inside it', () => {
    // 4x4 image, label 1 on the 2x2 centre: all four centre pixels touch the background.
    const labels = new Uint8Array([0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0]);
    const out = drawOutlines(new Uint8ClampedArray(64), labels, 4, 4, [255, 0, 0]);
    const marked = [...Array(16).keys()].filter((i) => out[i * 4] === 255);
    expect(marked).toEqual([5, 6, 9, 10]);
  });

  it('separates touching objects', () => {
    const labels = new Uint8Array([1, 2]);
    const out = drawOutlines(new Uint8ClampedArray(8), labels, 2, 1, [9, 9, 9]);
    expect(out[0]).toBe(9);
    expect(out[4]).toBe(0);
  });
});

describe('drawOutlines with alpha', () => {
  it('blends each outline pixel once', () => {
    const base = new Uint8ClampedArray([100, 100, 100, 255, 100, 100, 100, 255]);
    const out = drawOutlines(base, new Uint8Array([1, 0]), 2, 1, [200, 200, 200], 0.5);
    expect(Array.from(out.slice(0, 4))).toEqual([150, 150, 150, 255]);
    expect(out[4]).toBe(100);
  });
});

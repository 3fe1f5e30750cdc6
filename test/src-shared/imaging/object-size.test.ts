import { describe, expect, it } from 'vitest';
import { medianObjectDiameter, objectsOf, upscaleForDiameter } from '../../../src-shared/imaging/object-size';

/** A width x height label image with filled squares of the given sides, one per id, spaced apart on a row. */
function squares(sides: number[], width = 200, height = 60): Int32Array {
  const labels = new Int32Array(width * height);
  let x0 = 1;
  sides.forEach((side, i) => {
    for (let y = 1; y < 1 + side; y++) for (let x = x0; x < x0 + side; x++) labels[y * width + x] = i + 1;
    x0 += side + 2;
  });
  return labels;
}

describe('medianObjectDiameter', () => {
  it('is the equivalent diameter of the median object area', () => {
    // Areas 16, 100, 400: median 100 -> 2 sqrt(100 / pi).
    expect(medianObjectDiameter(squares([4, 10, 20]))).toBeCloseTo(2 * Math.sqrt(100 / Math.PI), 6);
    // An even count averages the middle two areas (100 and 400).
    expect(medianObjectDiameter(squares([4, 10, 20, 30]))).toBeCloseTo(2 * Math.sqrt(250 / Math.PI), 6);
  });

  it('by pixels, is the size of the object the middle pixel belongs to: fragments barely move it', () => {
    // Pixels 16 + 16 + 16 + 400: the middle pixel lies in the 20 x 20 square; by count the median is 16.
    expect(medianObjectDiameter(squares([4, 4, 4, 20]), { byPixels: true })).toBeCloseTo(2 * Math.sqrt(400 / Math.PI), 6);
    expect(medianObjectDiameter(squares([4, 4, 4, 20]))).toBeCloseTo(2 * Math.sqrt(16 / Math.PI), 6);
    expect(medianObjectDiameter(new Int32Array(10), { byPixels: true })).toBeNull();
  });

  it('leaves out specks and answers null without objects', () => {
    expect(medianObjectDiameter(squares([1, 1, 1, 10]))).toBeCloseTo(2 * Math.sqrt(100 / Math.PI), 6);
    expect(medianObjectDiameter(new Int32Array(100))).toBeNull();
  });
});

describe('objectsOf', () => {
  it('takes instance ids when there are any, else the components of the object classes', () => {
    const width = 6;
    const classMap = Uint8Array.from([1, 2, 2, 1, 2, 2, 1, 2, 2, 1, 2, 2]);
    const ids = Uint16Array.from([0, 5, 5, 0, 5, 5, 0, 5, 5, 0, 5, 5]);
    expect(objectsOf(classMap, ids, width, 2)).toBe(ids);
    const components = objectsOf(classMap, new Uint16Array(12), width, 2);
    expect(new Set(Array.from(components).filter((v) => v !== 0)).size).toBe(2);
    expect(objectsOf(classMap, undefined, width, 2)).toEqual(components);
  });
});

describe('upscaleForDiameter', () => {
  it('enlarges small objects towards 30 px across, by a whole factor from 1 to 4', () => {
    expect(upscaleForDiameter(null)).toBe(1);
    expect(upscaleForDiameter(40)).toBe(1);
    expect(upscaleForDiameter(21)).toBe(1);
    expect(upscaleForDiameter(18)).toBe(2);
    expect(upscaleForDiameter(10)).toBe(3);
    expect(upscaleForDiameter(3)).toBe(4);
  });
});

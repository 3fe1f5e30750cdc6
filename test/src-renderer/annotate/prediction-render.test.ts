import { describe, expect, it } from 'vitest';
import { renderPrediction } from '../../../src-renderer/src/lib/annotate/prediction-render';

// 5x4: background (1), a 3x2 object of class 2 split into two objects (7 and 8).
const classMap = Uint8Array.from([
  1, 1, 1, 1, 1,
  1, 2, 2, 2, 1,
  1, 2, 2, 2, 1,
  1, 1, 1, 1, 1,
]);
const instances = Uint32Array.from([
  0, 0, 0, 0, 0,
  0, 7, 7, 8, 0,
  0, 7, 7, 8, 0,
  0, 0, 0, 0, 0,
]);
const colors = new Uint8Array(256 * 4);
colors.set([255, 0, 0, 255], 2 * 4);
const alpha = (rgba: Uint8ClampedArray) => [...rgba].filter((_, k) => k % 4 === 3).map((a) => (a ? 1 : 0));

describe('renderPrediction', () => {
  it('paints predicted object classes in their colour and leaves background clear', () => {
    const rgba = renderPrediction({ width: 5, height: 4, classMap }, colors, 'classes');
    expect(alpha(rgba)).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    expect([...rgba.slice(6 * 4, 6 * 4 + 4)]).toEqual([255, 0, 0, 255]);
  });

  it('outlines each predicted object, so that touching objects stay apart', () => {
    const big = new Uint8Array(7 * 5).fill(1);
    const ids = new Uint32Array(7 * 5);
    for (let y = 1; y <= 3; y++) for (let x = 1; x <= 5; x++) {
      big[y * 7 + x] = 2;
      ids[y * 7 + x] = x <= 2 ? 1 : 2;
    }
    const rgba = renderPrediction({ width: 7, height: 5, classMap: big, instances: ids }, colors, 'outlines');
    const a = alpha(rgba);
    // Interior pixel of object 2 (x 4, y 2) is not a border; its neighbour at the seam with object 1 (x 3) is.
    expect(a[2 * 7 + 4]).toBe(0);
    expect(a[2 * 7 + 3]).toBe(1);
    expect(a[2 * 7 + 2]).toBe(1);
    expect(a[0]).toBe(0);
    // Without objects, the class regions are outlined.
    const plain = alpha(renderPrediction({ width: 5, height: 4, classMap }, colors, 'outlines'));
    expect(plain.filter((v) => v === 1)).toHaveLength(6);
    expect(alpha(renderPrediction({ width: 5, height: 4, classMap, instances }, colors, 'outlines')).filter((v) => v === 1)).toHaveLength(6);
  });
});

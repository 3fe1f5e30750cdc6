import { describe, expect, it } from 'vitest';
import { annotationFromPrediction } from '../../../src-main/pipeline/annotation-from-prediction';

// 5x3: background (1), two cells of class 2, one pixel of class 3.
const classMap = Uint8Array.from([
  1, 2, 2, 1, 2,
  1, 2, 2, 1, 2,
  1, 1, 1, 1, 3,
]);

describe('annotationFromPrediction', () => {
  it('labels every pixel with its predicted class and object', () => {
    const instances = Uint32Array.from([0, 4, 4, 0, 9, 0, 4, 4, 0, 9, 0, 0, 0, 0, 9]);
    const maps = annotationFromPrediction({ width: 5, height: 3, classMap, instances }, new Set([1, 2, 3]));
    expect([...maps.classMap]).toEqual([...classMap]);
    expect([...maps.instanceMap]).toEqual([0, 4, 4, 0, 9, 0, 4, 4, 0, 9, 0, 0, 0, 0, 9]);
  });

  it('leaves classes the palette lacks unlabelled, without an object', () => {
    const instances = Uint32Array.from([0, 4, 4, 0, 9, 0, 4, 4, 0, 9, 0, 0, 0, 0, 9]);
    const maps = annotationFromPrediction({ width: 5, height: 3, classMap, instances }, new Set([1, 2]));
    expect(maps.classMap[14]).toBe(0);
    expect(maps.instanceMap[14]).toBe(0);
    expect(maps.instanceMap[9]).toBe(9);
  });

  it('makes each connected region of one class an object when the prediction has no objects', () => {
    const maps = annotationFromPrediction({ width: 5, height: 3, classMap }, new Set([1, 2, 3]));
    const ids = [...maps.instanceMap];
    expect(ids[1]).toBeGreaterThan(0);
    expect(ids[2]).toBe(ids[1]);
    expect(ids[4]).toBeGreaterThan(0);
    expect(ids[4]).not.toBe(ids[1]);
    // Touching, but another class: another object.
    expect(ids[14]).not.toBe(ids[9]);
    expect(ids[0]).toBe(0);
  });

  it('gives object pixels that the prediction left without an object new ids', () => {
    const instances = Uint32Array.from([0, 4, 4, 0, 0, 0, 4, 4, 0, 0, 0, 0, 0, 0, 0]);
    const maps = annotationFromPrediction({ width: 5, height: 3, classMap, instances }, new Set([1, 2, 3]));
    expect(maps.instanceMap[4]).toBeGreaterThan(4);
    expect(maps.instanceMap[9]).toBe(maps.instanceMap[4]);
    expect(maps.instanceMap[14]).toBeGreaterThan(4);
    expect(maps.instanceMap[14]).not.toBe(maps.instanceMap[4]);
  });
});

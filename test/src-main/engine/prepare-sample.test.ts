import { describe, expect, it } from 'vitest';
import { prepareSample } from '../../../src-main/engine/training-data';
import { blobSample } from './trainer-data';

describe('prepareSample with a border class', () => {
  const sample = blobSample(7, 96);
  const options = { w0: 10, sigma: 5, separationGap: 2 };
  const twoClass = prepareSample(sample, options);
  const withBorder = prepareSample(sample, { ...options, borderClass: 3 });

  it('relabels object pixels only, and keeps the paper\'s weight map and the painted classes', () => {
    let borders = 0;
    for (let i = 0; i < sample.classMap.length; i++) {
      if (withBorder.classMap[i] === 3) {
        borders++;
        // Gap pixels were background in the two-class target; every other border pixel was object.
        expect(sample.classMap[i]).toBe(2);
      } else {
        expect(withBorder.classMap[i]).toBe(twoClass.classMap[i]);
      }
    }
    expect(borders).toBeGreaterThan(0);
    expect(withBorder.weights).toEqual(twoClass.weights);
    expect(withBorder.paintedClassMap).toEqual(sample.classMap);
    expect(withBorder.labelled).toBe(twoClass.labelled);
  });

  it('leaves every object an interior to grow from', () => {
    const objects = new Set<number>();
    const withInterior = new Set<number>();
    for (let i = 0; i < sample.instanceMap.length; i++) {
      const id = sample.instanceMap[i];
      if (id === 0) continue;
      objects.add(id);
      if (withBorder.classMap[i] === 2) withInterior.add(id);
    }
    expect(withInterior).toEqual(objects);
  });
});

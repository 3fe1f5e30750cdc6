import { describe, expect, it } from 'vitest';
import { checkEnlargedSize, enlargeSample, prepareSample, runClassWeights, trainingUpscale, type TrainingSample } from '../../../src-main/engine/training-data';
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

describe('class weights shared by every image', () => {
  /** A size x size sample whose left `columns` columns are one object (class 2), the rest background. */
  function stripeSample(size: number, columns: number): TrainingSample {
    const classMap = new Uint8Array(size * size).fill(1);
    const instanceMap = new Uint16Array(size * size);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < columns; x++) {
        classMap[y * size + x] = 2;
        instanceMap[y * size + x] = 1;
      }
    }
    return { id: `stripe-${columns}`, image: new Float32Array(size * size), width: size, height: size, channels: 1, classMap, instanceMap };
  }
  const sparse = stripeSample(40, 4); // 10 % object
  const crowded = stripeSample(40, 20); // 50 % object
  const options = { w0: 10, sigma: 5, separationGap: 0 };
  /** The weight of a background pixel far from the object, and of an object pixel (one object: no border term). */
  const weightsOf = (s: TrainingSample, classWeights?: number[]) => {
    const prepared = prepareSample(s, { ...options, ...(classWeights ? { classWeights } : {}) });
    return { object: prepared.weights[0], background: prepared.weights[39] };
  };

  it('per image, balances each image by its own frequencies: a sparse image weighs its objects more than a crowded one', () => {
    expect(runClassWeights('per-image', [sparse, crowded])).toBeUndefined();
    expect(weightsOf(sparse)).toEqual({ object: 5, background: expect.closeTo(1 / 1.8, 6) });
    expect(weightsOf(crowded)).toEqual({ object: 1, background: 1 });
  });

  it('over the data set, balances the frequencies of all the training annotations, alike in every image', () => {
    // 160 + 800 object pixels and 1440 + 800 background pixels: w = N / (2 N_c).
    const weights = runClassWeights('data-set', [sparse, crowded]) as number[];
    expect(weights[0]).toBe(0);
    expect(weights[1]).toBeCloseTo(3200 / (2 * 2240), 10);
    expect(weights[2]).toBeCloseTo(3200 / (2 * 960), 10);
    for (const s of [sparse, crowded]) {
      const w = weightsOf(s, weights);
      expect(w.object).toBeCloseTo(weights[2], 6);
      expect(w.background).toBeCloseTo(weights[1], 6);
    }
  });

  it('with none, weighs every class 1 and unlabelled pixels 0', () => {
    const weights = runClassWeights('none', [sparse]) as number[];
    expect(weights[0]).toBe(0);
    expect(weights.slice(1).every((w) => w === 1)).toBe(true);
    expect(weightsOf(sparse, weights)).toEqual({ object: 1, background: 1 });
  });
});

describe('enlarging a training sample', () => {
  /** A 40 x 20 sample with two side x side objects (ids 1 and 2). */
  function squaresSample(side: number): TrainingSample {
    const width = 40;
    const height = 20;
    const classMap = new Uint8Array(width * height).fill(1);
    const instanceMap = new Uint16Array(width * height);
    for (const [id, x0] of [[1, 1], [2, 20]] as const) {
      for (let y = 1; y < 1 + side; y++) {
        for (let x = x0; x < x0 + side; x++) {
          classMap[y * width + x] = 2;
          instanceMap[y * width + x] = id;
        }
      }
    }
    const image = Float32Array.from(classMap, (c) => (c === 2 ? 1 : 0));
    return { id: 's', image, width, height, channels: 1, classMap, instanceMap };
  }

  it('enlarges by the config\'s factor, or for auto by the annotated objects\' size', () => {
    expect(trainingUpscale(squaresSample(5), 3)).toBe(3);
    // 5 x 5 objects are 5.6 px across: as many times as allowed; 17 x 17 are 19 px: twice.
    expect(trainingUpscale(squaresSample(5), 'auto')).toBe(4);
    expect(trainingUpscale(squaresSample(17), 'auto')).toBe(2);
  });

  it('enlarges the image, classes and objects together', () => {
    const s = squaresSample(5);
    const big = enlargeSample(s, 2);
    expect([big.width, big.height, big.image.length, big.classMap.length, big.instanceMap.length]).toEqual([80, 40, 3200, 3200, 3200]);
    expect(big.instanceMap).toBeInstanceOf(Uint16Array);
    expect(big.instanceMap[3 * 80 + 3]).toBe(1);
    expect(big.classMap[3 * 80 + 3]).toBe(2);
    expect(enlargeSample(s, 1)).toBe(s);
  });
});

describe('checkEnlargedSize', () => {
  const sample = (side: number): TrainingSample => ({ id: 'x', image: new Float32Array(side * side), width: side, height: side, channels: 1, classMap: new Uint8Array(side * side), instanceMap: new Uint16Array(side * side) });

  it('refuses enlargements that would take more than half the memory, with the sizes', () => {
    const images = [sample(1024), sample(1024)];
    // 2 x 1 Mpx x 16 x 20 bytes = 640 MiB: fine with 2 GiB, too much with 1 GiB.
    expect(() => checkEnlargedSize(images, [4, 4], 2 * 1024 ** 3)).not.toThrow();
    expect(() => checkEnlargedSize(images, [4, 4], 1024 ** 3)).toThrow(expect.objectContaining({ code: 'TOO_LARGE', message: expect.stringMatching(/up to 4 times.*0\.6 GiB of the machine's 1\.0 GiB/) }));
    // Images as they are are not refused here, however large.
    expect(() => checkEnlargedSize(images, [1, 1], 1024 ** 2)).not.toThrow();
  });
});

import { describe, expect, it } from 'vitest';
import { euclideanDistanceTransform } from '../../../src-shared/imaging/distance-transform';
import { defaultInstanceOptions, instancesFromForeground, sameLabelling } from '../../../src-main/engine/inference/instance-postprocess';
import {
  calibrateInstances,
  calibrationImageOf,
  describeInstanceOptions,
  gridForBorderClass,
  gridForMetric,
  gridForObjectAreas,
  gridForRun,
  heldOutGainOf,
  labellingCandidates,
  objectAreas,
  scoreLabels,
  truthObjectsOf,
  DEFAULT_CALIBRATION_GRID,
  SEED_MERGE_LEVEL,
  type CalibrationImage,
} from '../../../src-main/pipeline/instance-calibration';
import { generateBlobImage } from '../../helpers/synthetic-blobs';

/**
 * What a model that learnt the foreground but not the gaps would predict for blob images: the union
 * of the cells as its mask (touching cells merge), and a probability that is high in each cell's
 * core and drops to 0.55 at its border.
 */
function predicted(seed: number, touching: boolean): CalibrationImage {
  const blob = generateBlobImage(seed, { width: 96, height: 96, count: 8, radius: 9, touching });
  const { width, height, instanceMap } = blob;
  const n = width * height;
  const mask = new Uint8Array(n);
  const interior = new Uint8Array(n);
  for (let p = 0; p < n; p++) {
    const l = instanceMap[p];
    if (l === 0) continue;
    mask[p] = 1;
    const x = p % width;
    const y = (p - x) / width;
    const same = (q: number) => instanceMap[q] === l;
    interior[p] = x > 0 && y > 0 && x < width - 1 && y < height - 1 && same(p - 1) && same(p + 1) && same(p - width) && same(p + width) ? 1 : 0;
  }
  const depth = euclideanDistanceTransform(interior, width, height);
  const foreground = new Float32Array(n);
  for (let p = 0; p < n; p++) if (mask[p]) foreground[p] = 0.55 + 0.45 * Math.min(1, depth[p] / 4);
  return { width, height, mask, foreground, truthClassMap: blob.classMap, truthInstances: instanceMap };
}

/** Four discs far apart, predicted exactly: plain components are already perfect. */
function apartDiscs(): CalibrationImage {
  const width = 80;
  const height = 80;
  const mask = new Uint8Array(width * height);
  const instances = new Uint16Array(width * height);
  const foreground = new Float32Array(width * height);
  for (const [i, [cx, cy]] of [[20, 20], [60, 20], [20, 60], [60, 60]].entries()) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const d = Math.hypot(x - cx, y - cy);
        if (d > 8) continue;
        mask[y * width + x] = 1;
        instances[y * width + x] = i + 1;
        foreground[y * width + x] = 0.55 + 0.45 * (1 - d / 8);
      }
    }
  }
  const truthClassMap = mask.map((m) => (m ? 2 : 1));
  return { width, height, mask, foreground, truthClassMap, truthInstances: instances };
}

function meanSeg(images: CalibrationImage[], options: Parameters<typeof instancesFromForeground>[4]): number {
  let sum = 0;
  for (const image of images) sum += scoreLabels(truthObjectsOf(image), instancesFromForeground(image.mask, image.foreground, image.width, image.height, options).labels).seg;
  return sum / images.length;
}

describe('instance calibration', () => {
  const validation = [predicted(1, true), predicted(2, true)];
  const heldOut = [predicted(3, true), predicted(4, true)];

  it('finds the known best setting on touching blobs: seeds from the confident cores', async () => {
    const grid = { thresholds: [undefined, 0.9], erosions: [0], growths: ['nearest' as const], minSizes: [0] };
    const result = await calibrateInstances(validation, { grid });
    expect(result.options.threshold).toBe(0.9);
    expect(result.score).toBeGreaterThan(result.defaultScore + 0.1);
    expect(result.candidates).toBe(2);
    // Seeds win on every quarter, so they win on quarters they were not chosen on too.
    expect(result.heldOutGain).toBeGreaterThan(0.05);
  });

  it('with the full grid picks a setting that scores at least as well as the defaults, on held-out blobs too', async () => {
    const result = await calibrateInstances(validation);
    expect(result.images).toBe(2);
    expect(result.score).toBeGreaterThanOrEqual(result.defaultScore);
    expect(result.score).toBeGreaterThan(0.8);
    // Plain components merge touching cells; the calibrated setting separates them on images it never saw.
    expect(meanSeg(heldOut, result.options)).toBeGreaterThanOrEqual(meanSeg(heldOut, {}));
    expect(meanSeg(heldOut, result.options)).toBeGreaterThan(meanSeg(heldOut, {}) + 0.1);
  });

  it('can choose for V_rand instead of SEG, and reports the V_rand of what it chose', async () => {
    const grid = { thresholds: [undefined, 0.7, 0.9], erosions: [0, 2], growths: ['nearest' as const], minSizes: [0] };
    const result = await calibrateInstances(validation, { grid, metric: 'vRand' });
    expect(result.metric).toBe('vRand');
    const meanVRand = (options: Parameters<typeof instancesFromForeground>[4]) =>
      validation.reduce((sum, image) => sum + scoreLabels(truthObjectsOf(image), instancesFromForeground(image.mask, image.foreground, image.width, image.height, options).labels).vRand, 0) / validation.length;
    expect(result.score).toBeCloseTo(meanVRand(result.options), 10);
    expect(result.defaultScore).toBeCloseTo(meanVRand({}), 10);
    // Merged touching cells are what V_rand punishes most: seeds that separate them win.
    expect(result.score).toBeGreaterThan(result.defaultScore + 0.05);
    await expect(calibrateInstances(validation, { grid, metric: 'dice' as 'seg' })).rejects.toThrow(/calibration metric must be one of seg, ap50, vRand/);
  });

  it('reports its progress, and lets the event loop run while it searches', async () => {
    const images = validation;
    const progress: [number, number][] = [];
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    try {
      const result = await calibrateInstances(images, { onProgress: (done, total) => progress.push([done, total]) });
      // One report per setting and image, counting up to images x settings.
      expect(progress).toHaveLength(result.candidates / DEFAULT_CALIBRATION_GRID.minSizes.length * images.length);
      expect(progress.at(-1)).toEqual([progress.length, progress.length]);
      expect(progress.every(([done], k) => done === k + 1)).toBe(true);
    } finally {
      clearInterval(timer);
    }
    // The search took well over 50 ms, so a 1 ms timer fired during it.
    expect(ticks).toBeGreaterThan(0);
  });

  it('keeps plain components when nothing beats them (cells apart)', async () => {
    const apart = [apartDiscs()];
    const plain = meanSeg(apart, {});
    const result = await calibrateInstances(apart, { grid: { thresholds: [undefined, 0.6], erosions: [0, 1], growths: ['nearest'], minSizes: [0] } });
    expect(result.defaultScore).toBeCloseTo(plain, 10);
    expect(result.score).toBeGreaterThanOrEqual(plain);
    // Separate cells are already perfect as components: nothing can beat them, so the default stays.
    expect(plain).toBe(1);
    expect(result.options).toEqual({});
  });

  it('the choice is validated on held-out quarters: a setting that wins on one quarter only is not kept', () => {
    // Settings: plain components (0) and another (1); one row per quarter.
    const flattering = [
      [0.5, 0.9],
      [0.5, 0.4],
      [0.5, 0.4],
      [0.5, 0.4],
    ];
    // Setting 1 has the higher mean (0.525), but chosen without each quarter it loses on that quarter.
    expect(heldOutGainOf(flattering, 0)).toBeCloseTo(-0.075, 10);
    expect(heldOutGainOf([[0.5, 0.6], [0.4, 0.5], [0.7, 0.8]], 0)).toBeCloseTo(0.1, 10);
    expect(heldOutGainOf([[0.5, 0.9]], 0)).toBe(0);
  });

  it('leaves out minimum sizes that would drop objects as small as the smaller annotated ones', () => {
    const areas = [...Array.from({ length: 10 }, () => 40), ...Array.from({ length: 90 }, () => 400)];
    expect(gridForObjectAreas(DEFAULT_CALIBRATION_GRID, areas).minSizes).toEqual([0, 10]);
    expect(gridForObjectAreas(DEFAULT_CALIBRATION_GRID, Array.from({ length: 20 }, () => 5000)).minSizes).toEqual([0, 10, 30, 100]);
    expect(gridForObjectAreas(DEFAULT_CALIBRATION_GRID, [])).toBe(DEFAULT_CALIBRATION_GRID);
    // A border model's interiors are tried from even odds; the rest of the grid is kept.
    const bordered = gridForBorderClass(DEFAULT_CALIBRATION_GRID);
    expect(bordered.thresholds).toEqual([undefined, 0.3, 0.5, 0.6, 0.8, 0.9, 0.95, 0.98]);
    expect(bordered.erosions).toEqual(DEFAULT_CALIBRATION_GRID.erosions);
    const truthInstances = new Int32Array(100);
    truthInstances.fill(1, 0, 10);
    truthInstances.fill(7, 50, 80);
    expect(objectAreas([{ width: 10, height: 10, truthClassMap: new Uint8Array(100), truthInstances }]).sort((a, b) => a - b)).toEqual([10, 30]);
  });

  it('lists plain components first and no duplicate of it', () => {
    const list = labellingCandidates(DEFAULT_CALIBRATION_GRID);
    expect(list[0]).toEqual({});
    expect(list.filter((c) => c.threshold === undefined && (c.erosion ?? 0) === 0)).toHaveLength(1);
    expect(new Set(list.map((c) => JSON.stringify(c))).size).toBe(list.length);
  });

  it('puts a model\'s own default first, once, and falls back to it when nothing beats it on held-out quarters', async () => {
    const first = defaultInstanceOptions(true);
    expect(first).toEqual({ threshold: 0.5 });
    expect(defaultInstanceOptions(false)).toEqual({});
    const list = labellingCandidates(gridForBorderClass(DEFAULT_CALIBRATION_GRID), first);
    expect(list[0]).toEqual(first);
    expect(list.filter((c) => sameLabelling(c, first))).toHaveLength(1);
    expect(list.filter((c) => sameLabelling(c, {}))).toHaveLength(1);
    expect(labellingCandidates(DEFAULT_CALIBRATION_GRID)).toHaveLength(labellingCandidates(DEFAULT_CALIBRATION_GRID, first).length - 1);
    // One image that no setting labels better than another: the default stays.
    const flat: CalibrationImage = { width: 40, height: 40, mask: new Uint8Array(1600), foreground: new Float32Array(1600), truthClassMap: new Uint8Array(1600).fill(1) };
    expect((await calibrateInstances([flat], { defaultSetting: first })).options).toEqual(first);
    expect((await calibrateInstances([flat])).options).toEqual({});
  });

  it('tells settings that label alike', () => {
    expect(sameLabelling({ threshold: 0.5 }, { threshold: 0.5, erosion: 0, growth: 'nearest' })).toBe(true);
    expect(sameLabelling({ threshold: 0.5 }, { threshold: 0.5, growth: 'distance' })).toBe(false);
    expect(sameLabelling({}, { erosion: 0, growth: 'probability' })).toBe(true);
    expect(sameLabelling({ erosion: 2 }, { erosion: 3 })).toBe(false);
  });

  it('takes a segmentation as the objects\' mask (borders count as object) beside its annotation, and needs its probability', () => {
    const segmented = { width: 2, height: 2, classMap: new Uint8Array([1, 2, 3, 0]), foreground: new Float32Array([0, 0.9, 0.2, 0]) };
    const truth = { classMap: new Uint8Array([1, 2, 2, 1]), instanceMap: new Uint16Array([0, 4, 4, 0]) };
    const image = calibrationImageOf(segmented, truth);
    expect(Array.from(image.mask)).toEqual([0, 1, 1, 0]);
    expect(image).toMatchObject({ width: 2, height: 2, foreground: segmented.foreground, truthClassMap: truth.classMap, truthInstances: truth.instanceMap });
    expect(calibrationImageOf(segmented, { classMap: truth.classMap, instanceMap: null }).truthInstances).toBeUndefined();
    expect(() => calibrationImageOf({ ...segmented, foreground: undefined }, truth)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('refuses to calibrate on no images, and describes settings in words', async () => {
    await expect(calibrateInstances([])).rejects.toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(describeInstanceOptions({})).toBe('connected components');
    expect(describeInstanceOptions({ threshold: 0.9, erosion: 2, growth: 'probability', minSize: 30 })).toBe('seeds p >= 0.9, seed erosion 2 px, watershed on the probability, objects >= 30 px');
  });
});

describe('instance calibration for objects that tile the image (V_rand)', () => {
  /**
   * EM-like: 4 x 4 cells of 15 px separated by 1-px membranes (the truth's background), predicted with
   * membranes 5 px thick (cells eroded by 2 px) and a probability that falls towards the membranes.
   */
  function tiled(): CalibrationImage {
    const width = 64;
    const height = 64;
    const n = width * height;
    const truthClassMap = new Uint8Array(n);
    const truthInstances = new Uint16Array(n);
    const mask = new Uint8Array(n);
    const foreground = new Float32Array(n);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const p = y * width + x;
        const onMembrane = x % 16 === 15 || y % 16 === 15;
        truthClassMap[p] = onMembrane ? 1 : 2;
        if (!onMembrane) truthInstances[p] = 1 + Math.floor(y / 16) * 4 + Math.floor(x / 16);
        const depth = Math.min(x % 16, 14 - (x % 16), y % 16, 14 - (y % 16));
        mask[p] = depth >= 2 ? 1 : 0;
        foreground[p] = Math.max(0, Math.min(1, (depth + 1) / 8));
      }
    }
    return { width, height, mask, foreground, truthClassMap, truthInstances };
  }

  it('builds a run\'s grid from its border class, its objects\' areas and its metric', () => {
    // Objects of 40 px: minimum sizes above 20 px are left out.
    const bordered = gridForRun({ borderClass: true, objectAreas: new Array(50).fill(40), metric: 'vRand' });
    expect(bordered.thresholds).toEqual(expect.arrayContaining([undefined, 0.3, 0.5]));
    expect(bordered.minSizes).toEqual([0, 10]);
    expect(bordered.fills).toEqual([false, true]);
    const plain = gridForRun({ borderClass: false, objectAreas: [], metric: 'seg' });
    expect(plain).toEqual(DEFAULT_CALIBRATION_GRID);
  });

  it('offers filling the background for V_rand only, and chooses it where the objects tile the image', async () => {
    expect(labellingCandidates(DEFAULT_CALIBRATION_GRID).some((c) => c.fill === true)).toBe(false);
    expect(labellingCandidates(gridForMetric(DEFAULT_CALIBRATION_GRID, 'seg')).some((c) => c.fill === true)).toBe(false);
    const filling = labellingCandidates(gridForMetric(DEFAULT_CALIBRATION_GRID, 'vRand'));
    expect(filling.filter((c) => c.fill === true && c.threshold === undefined && (c.erosion ?? 0) === 0)).toHaveLength(DEFAULT_CALIBRATION_GRID.growths.length);
    expect(filling.filter((c) => c.fill === true)).toHaveLength(DEFAULT_CALIBRATION_GRID.thresholds.length * DEFAULT_CALIBRATION_GRID.growths.length);
    expect(filling.some((c) => c.fill === true && (c.erosion ?? 0) > 0)).toBe(false);
    expect(new Set(filling.map((c) => JSON.stringify(c))).size).toBe(filling.length);

    const images = [tiled(), tiled()];
    const without = await calibrateInstances(images, { metric: 'vRand' });
    const withFill = await calibrateInstances(images, { metric: 'vRand', grid: gridForMetric(DEFAULT_CALIBRATION_GRID, 'vRand') });
    expect(without.options.fill).toBeUndefined();
    expect(without.score).toBeLessThan(0.9);
    expect(withFill.options.fill).toBe(true);
    expect(withFill.score).toBeGreaterThan(0.99);
    expect(withFill.heldOutGain).toBeGreaterThan(0);
  });

  it('scores a filled setting with its minimum size applied before the growth, as segmenting does', async () => {
    const image = tiled();
    // A speck inside the first cell's predicted membrane.
    image.mask[0] = 1;
    const grid = { ...gridForMetric(DEFAULT_CALIBRATION_GRID, 'vRand'), thresholds: [undefined], erosions: [0], growths: ['nearest' as const], minSizes: [0, 10] };
    const result = await calibrateInstances([image], { metric: 'vRand', grid });
    expect(result.options).toEqual({ erosion: 0, growth: 'nearest', fill: true, minSize: 10 });
    const segmented = instancesFromForeground(image.mask, image.foreground, image.width, image.height, result.options);
    expect(scoreLabels(truthObjectsOf(image), segmented.labels).vRand).toBeCloseTo(result.score, 10);
  });

  it('describes and tells apart filled settings', () => {
    expect(describeInstanceOptions({ fill: true, growth: 'probability' })).toBe('connected components, filling the background (watershed on the probability)');
    expect(describeInstanceOptions({ threshold: 0.5, fill: true })).toBe('seeds p >= 0.5, regrown to the nearest seed, filling the background');
    expect(sameLabelling({ fill: true }, {})).toBe(false);
    expect(sameLabelling({ fill: true, growth: 'probability' }, { fill: true })).toBe(false);
  });
});

describe('instance calibration: merging across confident borders', () => {
  it('gives every seeded setting that does not fill the grid\'s merge level, and nothing else', () => {
    const first = defaultInstanceOptions(true);
    const list = labellingCandidates(gridForMetric(gridForBorderClass(DEFAULT_CALIBRATION_GRID), 'vRand'), first);
    // The model's own default stays as it is, first.
    expect(list[0]).toEqual(first);
    for (const c of list.slice(1)) {
      const seeded = c.threshold !== undefined || (c.erosion ?? 0) > 0;
      expect(c.merge).toBe(seeded && c.fill !== true ? SEED_MERGE_LEVEL : undefined);
    }
    expect(list.some((c) => c.merge !== undefined)).toBe(true);
    // A grid without a level merges nowhere.
    expect(labellingCandidates({ ...DEFAULT_CALIBRATION_GRID, merge: undefined }).some((c) => c.merge !== undefined)).toBe(false);
  });

  it('tells settings apart by their merge level, and says it in words', () => {
    expect(sameLabelling({ threshold: 0.5, merge: 0.8 }, { threshold: 0.5 })).toBe(false);
    expect(sameLabelling({ threshold: 0.5, merge: 0.8 }, { threshold: 0.5, merge: 0.8 })).toBe(true);
    // Without seeds nothing is merged, so the level does not matter.
    expect(sameLabelling({ merge: 0.8 }, {})).toBe(true);
    expect(describeInstanceOptions({ threshold: 0.9, growth: 'probability', merge: 0.8 })).toBe('seeds p >= 0.9, watershed on the probability, merged where their border stays at p >= 0.8');
    expect(describeInstanceOptions({ threshold: 0.5, fill: true, merge: 0.8 })).toBe('seeds p >= 0.5, regrown to the nearest seed, filling the background');
  });
});

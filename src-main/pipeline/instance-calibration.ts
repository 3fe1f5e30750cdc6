import { UnetError } from '../../src-shared/contract/errors';
import { CALIBRATION_METRIC_NAMES, type CalibrationMetricName } from '../../src-shared/contract/training';
import { objectsOf } from '../../src-shared/imaging/object-size';
import { compactLabels, type CompactLabels } from '../../src-shared/imaging/label-index';
import { contingencyTable } from '../../src-shared/imaging/metrics/contingency';
import { matchingFromContingency } from '../../src-shared/imaging/metrics/object-matching';
import { randFromContingency } from '../../src-shared/imaging/metrics/rand-scores';
import { segFromContingency } from '../../src-shared/imaging/metrics/seg-score';
import { dropSmallObjects, instancesFromForeground, mergesObjects, sameLabelling, usesSeeds, type InstanceGrowth, type InstanceOptions } from '../engine/inference/instance-postprocess';

/** One validation image as the model sees it: its predicted mask and foreground probability, and its ground truth. */
export interface CalibrationImage {
  width: number;
  height: number;
  /** 1 where the model predicts foreground (argmax), else 0. */
  mask: Uint8Array;
  foreground: Float32Array;
  /** Ground truth: class map (0 unlabelled, 1 background, 2.. foreground) and instance ids when annotated. */
  truthClassMap: Uint8Array;
  truthInstances?: ArrayLike<number>;
}

/**
 * A segmented image and its annotation as the calibration scores them: the predicted objects' mask
 * (classes >= 2, borders counted as object) and the foreground probability the seeds come from.
 */
export function calibrationImageOf(
  segmented: { width: number; height: number; classMap: Uint8Array; foreground?: Float32Array | null },
  truth: { classMap: Uint8Array; instanceMap?: ArrayLike<number> | null },
): CalibrationImage {
  if (!segmented.foreground) throw new UnetError('INVALID_ARGUMENT', 'calibration needs the foreground probability of each segmented image');
  const mask = new Uint8Array(segmented.classMap.length);
  for (let p = 0; p < mask.length; p++) mask[p] = segmented.classMap[p] >= 2 ? 1 : 0;
  return { width: segmented.width, height: segmented.height, mask, foreground: segmented.foreground, truthClassMap: truth.classMap, truthInstances: truth.instanceMap ?? undefined };
}

/** The values searched; every combination is tried (plain components first). */
export interface CalibrationGrid {
  /** Seed probability thresholds; undefined = seeds are the whole mask. */
  thresholds: (number | undefined)[];
  erosions: number[];
  growths: InstanceGrowth[];
  minSizes: number[];
  /** Whether objects grow over the background too (`fill`); [false] unless the objects tile the image. */
  fills?: boolean[];
  /** Objects grown from seeds (not filled) merge across borders that stay at this foreground probability (InstanceOptions.merge); undefined: never. */
  merge?: number;
}

/**
 * The merge level of every seeded setting the calibration tries. Fixed, not searched: with it the
 * calibration's choice raised the held-out SEG of the same models on DIC-HeLa (0.746 -> 0.781 over 6
 * folds, none lower) and DSB 2018 (0.642 -> 0.648; `bench:recalibrate`). Lower levels mended DSB's
 * large textured nuclei but merged DIC-HeLa's touching cells (docs/benchmarks.md).
 */
export const SEED_MERGE_LEVEL = 0.8;

export const DEFAULT_CALIBRATION_GRID: CalibrationGrid = {
  thresholds: [undefined, 0.6, 0.8, 0.9, 0.95, 0.98],
  erosions: [0, 1, 2, 3, 5, 8, 12],
  growths: ['nearest', 'probability', 'distance'],
  minSizes: [0, 10, 30, 100],
  fills: [false],
  merge: SEED_MERGE_LEVEL,
};

/**
 * What the search maximises: SEG (cells: each annotated object matched and overlapped), AP@0.5, or
 * V_rand (objects that tile the image, as neurons in EM, where one gap in a membrane merging two
 * cells costs most).
 */
export type CalibrationMetric = CalibrationMetricName;
type Scores = Record<CalibrationMetric, number>;

export interface CalibrationResult {
  options: Pick<InstanceOptions, 'threshold' | 'erosion' | 'growth' | 'minSize' | 'fill' | 'merge'>;
  metric: CalibrationMetric;
  /**
   * Mean of the metric over the images with the chosen setting, and with the model's default
   * (plain components; seeds at even odds for a model with a border class).
   */
  score: number;
  defaultScore: number;
  images: number;
  candidates: number;
  /** Mean gain over the default of the grid's choice on held-out quarters (see calibrateInstances). */
  heldOutGain: number;
}

/**
 * The grid for a model with a border class, whose foreground probability is that of the objects'
 * interiors: seeds at even odds (the interior winning against the border) are tried too.
 */
export function gridForBorderClass(grid: CalibrationGrid): CalibrationGrid {
  const levels = [...new Set([...grid.thresholds, 0.3, 0.5])].filter((t): t is number => t !== undefined).sort((a, b) => a - b);
  // Plain components (no threshold) stay first, as in every grid.
  return { ...grid, thresholds: grid.thresholds.includes(undefined) ? [undefined, ...levels] : levels };
}

/**
 * The grid without minimum sizes that would drop objects as small as the smaller annotated ones: above
 * half the 5th percentile of the training objects' areas. On DSB 2018 a minimum of 100 px, chosen on
 * validation images of large nuclei, dropped the small nuclei of a test image (its SEG 0.50 -> 0.23).
 */
export function gridForObjectAreas(grid: CalibrationGrid, areas: readonly number[]): CalibrationGrid {
  if (areas.length === 0) return grid;
  const sorted = [...areas].sort((a, b) => a - b);
  const small = sorted[Math.floor(0.05 * (sorted.length - 1))];
  return { ...grid, minSizes: grid.minSizes.filter((m) => m <= small / 2) };
}

/** Pixel counts of the objects of annotated images (instance ids, else 4-connected components of the foreground). */
export function objectAreas(images: readonly Pick<CalibrationImage, 'truthClassMap' | 'truthInstances' | 'width' | 'height'>[]): number[] {
  const areas: number[] = [];
  for (const image of images) {
    const counts = new Map<number, number>();
    const objects = truthObjectsOf(image);
    for (let p = 0; p < objects.length; p++) if (objects[p] !== 0) counts.set(objects[p], (counts.get(objects[p]) ?? 0) + 1);
    areas.push(...counts.values());
  }
  return areas;
}

/**
 * The grid for the metric: for V_rand (objects that tile the image, as EM neurons) the objects may also
 * fill the background between them, where a pixel left as background inside a true object is split off
 * (from seeds that are not eroded: see labellingCandidates).
 */
export function gridForMetric(grid: CalibrationGrid, metric: CalibrationMetric): CalibrationGrid {
  return metric === 'vRand' ? { ...grid, fills: [false, true] } : grid;
}

/** The grid a run is calibrated with: the default, widened for a border class, bounded by the training objects' areas, and filled for V_rand. */
export function gridForRun(options: { borderClass: boolean; objectAreas: readonly number[]; metric: CalibrationMetric }): CalibrationGrid {
  const base = options.borderClass ? gridForBorderClass(DEFAULT_CALIBRATION_GRID) : DEFAULT_CALIBRATION_GRID;
  return gridForMetric(gridForObjectAreas(base, options.objectAreas), options.metric);
}

type Labelling = Pick<InstanceOptions, 'threshold' | 'erosion' | 'growth' | 'fill' | 'merge'>;

/**
 * The labelling settings of the grid (minimum size aside), the default first (plain components unless
 * told otherwise); duplicates left out.
 */
export function labellingCandidates(grid: CalibrationGrid, first: Labelling = {}): Labelling[] {
  const list: Labelling[] = [first];
  const add = (setting: Labelling) => {
    if (!list.some((s) => sameLabelling(s, setting))) list.push(setting);
  };
  add({});
  for (const fill of grid.fills ?? [false]) {
    for (const threshold of grid.thresholds) {
      // Filled objects grow from unshrunk seeds: an eroded seed loses the thin parts of a cell (EM
      // neurites), which the fill then hands to a neighbour.
      for (const erosion of fill ? [0] : grid.erosions) {
        // Without a probability threshold, erosion or fill the seeds are the mask itself: growth changes nothing.
        if (threshold === undefined && erosion === 0 && !fill) continue;
        const merge = !fill && grid.merge !== undefined ? { merge: grid.merge } : {};
        for (const growth of grid.growths) add({ ...(threshold !== undefined ? { threshold } : {}), erosion, growth, ...(fill ? { fill } : {}), ...merge });
      }
    }
  }
  return list;
}

/** SEG, AP@0.5 and V_rand (ISBI's foreground-restricted Rand F-score) of a labelling against one image's truth objects. */
export function scoreLabels(truthObjects: ArrayLike<number> | CompactLabels, labels: ArrayLike<number>): Scores {
  const table = contingencyTable(truthObjects, labels, true);
  const seg = segFromContingency(table).seg;
  const ap50 = matchingFromContingency(table, [0.5])[0].ap;
  const vRand = randFromContingency(table).vRand;
  const finite = (v: number) => (Number.isFinite(v) ? v : 0);
  return { seg: finite(seg), ap50: finite(ap50), vRand: finite(vRand) };
}

export function truthObjectsOf(image: Pick<CalibrationImage, 'truthClassMap' | 'truthInstances' | 'width' | 'height'>): ArrayLike<number> {
  return objectsOf(image.truthClassMap, image.truthInstances, image.width, image.height);
}

/**
 * Grid search of the instance post-processing on validation images: every setting labels every image,
 * the one with the highest mean `metric` wins (ties: the other metric, then the earlier setting, so plain
 * components stay unless something beats them). Never run it on test images.
 *
 * The best of hundreds of settings on a few images can win by chance. So the search is itself
 * validated: each image is cut into quarters, the setting is chosen on all quarters but one and scored
 * on that one, in turn; unless that choice beats the default on the held-out quarters on average,
 * the default is kept (`defaultSetting`: plain components unless the model's default differs). It
 * cannot tell validation images that differ from the images segmented later (the demo's 2 validation images favour seeds p >= 0.95 on held-out quarters too, its test images
 * do not).
 *
 * It takes a minute or two on many large images, so it yields to the event loop every 50 ms: the
 * process answers meanwhile, and a cancel (shouldStop) is seen.
 */
export async function calibrateInstances(
  images: readonly CalibrationImage[],
  options: {
    metric?: CalibrationMetric;
    grid?: CalibrationGrid;
    defaultSetting?: Labelling;
    shouldStop?: () => boolean;
    /** After each setting on each image: how many of images × settings are scored. */
    onProgress?: (done: number, total: number) => void;
  } = {},
): Promise<CalibrationResult> {
  if (images.length === 0) throw new UnetError('INVALID_ARGUMENT', 'calibration needs at least one validation image');
  const metric = options.metric ?? 'seg';
  if (!CALIBRATION_METRIC_NAMES.includes(metric)) throw new UnetError('INVALID_ARGUMENT', `calibration metric must be one of ${CALIBRATION_METRIC_NAMES.join(', ')}, got ${String(metric)}`);
  const other: CalibrationMetric = metric === 'seg' ? 'ap50' : 'seg';
  const grid = options.grid ?? DEFAULT_CALIBRATION_GRID;
  const minSizes = grid.minSizes.length > 0 ? grid.minSizes : [0];
  const labellings = labellingCandidates(grid, options.defaultSetting);
  const sums = labellings.map(() => minSizes.map((): Scores => ({ seg: 0, ap50: 0, vRand: 0 })));
  // The metric on each quarter of each image, per setting (index i * minSizes.length + j).
  const quarterScores: number[][] = [];
  const total = images.length * labellings.length;
  let done = 0;
  let yielded = Date.now();
  for (const image of images) {
    // Compacted once: every setting is scored against the same truth.
    const truth = compactLabels(truthObjectsOf(image));
    const quarters = quartersOf(image.width, image.height);
    const truthQuarters = quarters.map((q) => compactLabels(cropLabels(truth.index, image.width, q)));
    const first = quarterScores.length;
    for (let k = 0; k < quarters.length; k++) quarterScores.push(new Array<number>(labellings.length * minSizes.length).fill(0));
    for (const [i, labelling] of labellings.entries()) {
      if (options.shouldStop?.()) throw new UnetError('CANCELLED', 'calibration was cancelled');
      const base = instancesFromForeground(image.mask, image.foreground, image.width, image.height, labelling);
      for (const [j, minSize] of minSizes.entries()) {
        // Filled objects drop small seeds before they grow (what segmenting with these options does).
        const labels =
          minSize <= 1
            ? base.labels
            : labelling.fill === true
              ? instancesFromForeground(image.mask, image.foreground, image.width, image.height, { ...labelling, minSize }).labels
              : dropSmallObjects({ labels: base.labels.slice(), count: base.count }, minSize).labels;
        const s = scoreLabels(truth, labels);
        for (const m of CALIBRATION_METRIC_NAMES) sums[i][j][m] += s[m];
        for (const [k, q] of quarters.entries()) quarterScores[first + k][i * minSizes.length + j] = scoreLabels(truthQuarters[k], cropLabels(labels, image.width, q))[metric];
      }
      options.onProgress?.(++done, total);
      if (Date.now() - yielded > YIELD_EVERY_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        yielded = Date.now();
      }
    }
  }
  let best = { i: 0, j: 0 };
  for (let i = 0; i < labellings.length; i++) {
    for (let j = 0; j < minSizes.length; j++) {
      const a = sums[i][j];
      const b = sums[best.i][best.j];
      if (a[metric] > b[metric] + 1e-12 || (Math.abs(a[metric] - b[metric]) <= 1e-12 && a[other] > b[other] + 1e-12)) best = { i, j };
    }
  }
  const n = images.length;
  const plain = Math.max(0, minSizes.indexOf(0));
  const heldOutGain = heldOutGainOf(quarterScores, plain);
  if (heldOutGain <= 0) best = { i: 0, j: plain };
  const chosen = { ...labellings[best.i], ...(minSizes[best.j] > 0 ? { minSize: minSizes[best.j] } : {}) };
  return {
    options: chosen,
    metric,
    score: sums[best.i][best.j][metric] / n,
    defaultScore: sums[0][plain][metric] / n,
    images: n,
    candidates: labellings.length * minSizes.length,
    heldOutGain,
  };
}

/** How long the search runs before it lets the event loop answer (requests, a cancel). */
const YIELD_EVERY_MS = 50;

/**
 * Leave one quarter out: for each quarter, the setting with the best total on the other quarters
 * (ties: the earlier, so plain components first), scored on that quarter against plain components
 * (setting index `plain`); the mean of those gains. 0 with a single quarter.
 */
export function heldOutGainOf(quarterScores: readonly (readonly number[])[], plain: number): number {
  if (quarterScores.length < 2) return 0;
  const settings = quarterScores[0].length;
  const totals = new Array<number>(settings).fill(0);
  for (const row of quarterScores) for (let c = 0; c < settings; c++) totals[c] += row[c];
  let gain = 0;
  for (const row of quarterScores) {
    let best = 0;
    for (let c = 1; c < settings; c++) if (totals[c] - row[c] > totals[best] - row[best] + 1e-12) best = c;
    gain += row[best] - row[plain];
  }
  return gain / quarterScores.length;
}

interface Box {
  x0: number;
  y0: number;
  width: number;
  height: number;
}

/** The four quarters of an image (one box for images under 32 px a side). */
function quartersOf(width: number, height: number): Box[] {
  if (width < 32 || height < 32) return [{ x0: 0, y0: 0, width, height }];
  const w = width >> 1;
  const h = height >> 1;
  return [
    { x0: 0, y0: 0, width: w, height: h },
    { x0: w, y0: 0, width: width - w, height: h },
    { x0: 0, y0: h, width: w, height: height - h },
    { x0: w, y0: h, width: width - w, height: height - h },
  ];
}

function cropLabels(labels: ArrayLike<number>, width: number, box: Box): Int32Array {
  const out = new Int32Array(box.width * box.height);
  for (let y = 0; y < box.height; y++) {
    const row = (box.y0 + y) * width + box.x0;
    for (let x = 0; x < box.width; x++) out[y * box.width + x] = labels[row + x];
  }
  return out;
}

/** "3 validation and 13 training image(s)": what a calibration was chosen on. */
export function describeCalibrationImages(counts: { images: number; trainingImages?: number }): string {
  const training = counts.trainingImages ?? 0;
  const validation = `${counts.images - training} validation`;
  return training > 0 ? `${validation} and ${training} training image(s)` : `${validation} image(s)`;
}

/** "erosion 3, seeds >= 0.9, watershed on probability, objects >= 30 px", or "connected components". */
export function describeInstanceOptions(options: InstanceOptions): string {
  const parts: string[] = [];
  const seeds = usesSeeds(options);
  const growth = options.growth ?? 'nearest';
  const watershed = `watershed on the ${growth === 'probability' ? 'probability' : 'distance map'}`;
  if (!seeds) parts.push('connected components');
  else {
    if (options.threshold !== undefined) parts.push(`seeds p >= ${options.threshold}`);
    if ((options.erosion ?? 0) > 0) parts.push(`seed erosion ${options.erosion} px`);
    parts.push(growth === 'nearest' ? 'regrown to the nearest seed' : watershed);
  }
  // Without seeds the growth says how the mask's components fill the background.
  if (options.fill === true) parts.push(`filling the background${seeds ? '' : ` (${growth === 'nearest' ? 'to the nearest object' : watershed})`}`);
  else if (mergesObjects(options)) parts.push(`merged where their border stays at p >= ${options.merge}`);
  if ((options.minSize ?? 0) > 1) parts.push(`objects >= ${options.minSize} px`);
  return parts.join(', ');
}

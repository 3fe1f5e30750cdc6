import { UnetError } from '../../../src-shared/contract/errors';
import { connectedComponents } from '../../../src-shared/imaging/connected-components';
import { euclideanDistanceTransform } from '../../../src-shared/imaging/distance-transform';

/**
 * Splitting the predicted foreground into objects. Without parameters: connected components of the mask.
 * With `threshold` and/or `erosion`: seeds = pixels of the mask whose foreground probability reaches the
 * threshold, eroded by a disc of radius `erosion`; each seed component is one object, grown back inside
 * the mask (so touching cells joined by a thin low-confidence bridge come apart). `growth` says how:
 * to the nearest seed along paths in the mask, or as a seeded watershed that floods the foreground
 * probability (or the mask's distance map) from its peaks, so borders fall in the valleys between cells.
 * `minSize` then drops objects smaller than that many pixels. With `fill`, the objects grow over the
 * background too, until they meet (objects that tile the image, as neurons in EM, whose membranes are
 * the background). Choosing these on a run's validation images (see pipeline/instance-calibration) is
 * what separates touching cells.
 */
export interface InstanceOptions {
  /** Foreground probability a seed pixel must reach (0..1). */
  threshold?: number;
  /** Seed erosion radius in pixels (Euclidean disc). */
  erosion?: number;
  /** How seeds grow back through the mask (default 'nearest'). */
  growth?: InstanceGrowth;
  /** Objects with fewer pixels are dropped (default 0: all kept); with `fill`, before they grow. */
  minSize?: number;
  /**
   * Objects grown from different seeds are merged where the foreground probability along their shared
   * border stays at or above this level (0..1; the mean over the border of the lower side): a seed
   * split through a textured nucleus runs over confident foreground, cells that touch meet where it
   * dips. Not with `fill`, whose objects meet on the background.
   */
  merge?: number;
  /**
   * Grow the objects (the seeds, or the mask's components without seeds) over the whole image, not
   * only inside the predicted foreground, so every pixel belongs to an object: for objects that tile
   * the image, where a pixel left as background inside a true object counts against the split score.
   */
  fill?: boolean;
  /** Pixel connectivity of objects; 4 by default. */
  connectivity?: 4 | 8;
}

/** The options that choose how objects are split (connectivity aside): asking for any replaces a calibrated setting. */
export const SPLITTING_OPTIONS = ['threshold', 'erosion', 'growth', 'minSize', 'fill', 'merge'] as const satisfies readonly (keyof InstanceOptions)[];

/** 'nearest': breadth-first from the seeds; 'probability' / 'distance': seeded watershed on that landscape. */
export type InstanceGrowth = 'nearest' | 'probability' | 'distance';
export const INSTANCE_GROWTHS: readonly InstanceGrowth[] = ['nearest', 'probability', 'distance'];

/**
 * The post-processing of a model without a calibrated one: plain connected components, or, for a
 * model with a border class (whose foreground probability is that of the objects' interiors), seeds
 * where the interior is at least even odds, grown back through the borders: borders join touching
 * cells into one component, their interiors do not.
 */
export function defaultInstanceOptions(hasBorderClass: boolean): InstanceOptions {
  return hasBorderClass ? { threshold: 0.5 } : {};
}

/** Whether two settings label alike (growth is moot without seeds or fill; erosion 0, growth 'nearest' and no fill are the defaults). */
export function sameLabelling(a: InstanceOptions, b: InstanceOptions): boolean {
  if (a.threshold !== b.threshold || (a.erosion ?? 0) !== (b.erosion ?? 0) || (a.fill === true) !== (b.fill === true)) return false;
  if (mergesObjects(a) && a.merge !== b.merge) return false;
  return !(usesSeeds(a) || a.fill === true) || (a.growth ?? 'nearest') === (b.growth ?? 'nearest');
}

/** Whether these options read the foreground probability (a seed threshold, a watershed on it, or a merge of seeded objects). */
export function needsForeground(options: InstanceOptions): boolean {
  return options.threshold !== undefined || mergesObjects(options) || (options.growth === 'probability' && (usesSeeds(options) || options.fill === true));
}

/** Whether these options merge seeded objects across confident borders (a level, seeds, and no fill). */
export function mergesObjects(options: InstanceOptions): boolean {
  return options.merge !== undefined && usesSeeds(options) && options.fill !== true;
}

/** Whether these options split with seeds (else: plain connected components). */
export function usesSeeds(options: InstanceOptions): boolean {
  return options.threshold !== undefined || (options.erosion ?? 0) > 0;
}

export interface InstanceResult {
  labels: Int32Array;
  count: number;
}

export function instancesFromForeground(
  mask: Uint8Array,
  foreground: Float32Array | undefined,
  width: number,
  height: number,
  options: InstanceOptions = {},
): InstanceResult {
  const connectivity = options.connectivity ?? 4;
  if (connectivity !== 4 && connectivity !== 8) throw new UnetError('INVALID_ARGUMENT', `connectivity must be 4 or 8, got ${connectivity}`);
  const { threshold, erosion = 0, growth = 'nearest', minSize = 0 } = options;
  if (threshold !== undefined && !(threshold >= 0 && threshold <= 1)) {
    throw new UnetError('INVALID_ARGUMENT', `threshold must be in [0, 1], got ${threshold}`);
  }
  if (!(Number.isFinite(erosion) && erosion >= 0)) throw new UnetError('INVALID_ARGUMENT', `erosion must be >= 0, got ${erosion}`);
  if (!INSTANCE_GROWTHS.includes(growth)) throw new UnetError('INVALID_ARGUMENT', `growth must be one of ${INSTANCE_GROWTHS.join(', ')}, got ${String(growth)}`);
  if (!(Number.isInteger(minSize) && minSize >= 0)) throw new UnetError('INVALID_ARGUMENT', `minSize must be a non-negative integer, got ${minSize}`);
  if (options.merge !== undefined && !(options.merge >= 0 && options.merge <= 1)) throw new UnetError('INVALID_ARGUMENT', `merge must be in [0, 1], got ${options.merge}`);
  const n = width * height;
  if (needsForeground(options) && (!foreground || foreground.length !== n)) {
    throw new UnetError('INVALID_ARGUMENT', 'a seed threshold, a watershed on the probability or a merge needs the foreground probability map');
  }
  if (options.fill === true) return fillImage(mask, foreground, width, height, { threshold, erosion, growth, minSize, connectivity });
  if (threshold === undefined && erosion === 0) return dropSmallObjects(componentsOf(mask, width, height, connectivity), minSize);
  const seeded = componentsOf(seedsOf(mask, foreground, width, height, threshold, erosion), width, height, connectivity);
  const labels =
    growth === 'nearest'
      ? regrowInside(seeded.labels, mask, width, height, connectivity)
      : floodInside(seeded.labels, mask, growth === 'probability' ? foreground! : euclideanDistanceTransform(mask, width, height), width, height, connectivity);
  // Mask components that held no seed (objects smaller than the erosion) are kept as objects of their own.
  let count = seeded.count;
  const orphans = new Uint8Array(n);
  let anyOrphan = false;
  for (let p = 0; p < n; p++) {
    if (mask[p] && labels[p] === 0) {
      orphans[p] = 1;
      anyOrphan = true;
    }
  }
  if (anyOrphan) {
    const extra = componentsOf(orphans, width, height, connectivity);
    for (let p = 0; p < n; p++) if (extra.labels[p] > 0) labels[p] = extra.labels[p] + count;
    count += extra.count;
  }
  const merged = mergesObjects(options) ? mergeAcrossConfidentBorders({ labels, count }, foreground!, width, options.merge!) : { labels, count };
  return dropSmallObjects(merged, minSize);
}

/**
 * Merges neighbouring objects whose shared border (4-adjacent pixel pairs of the two) has a mean
 * foreground probability, taking the lower pixel of each pair, at or above `level`; renumbers 1..N (in
 * place) in the order of each merged group's lowest label.
 */
export function mergeAcrossConfidentBorders(result: InstanceResult, foreground: Float32Array, width: number, level: number): InstanceResult {
  const { labels, count } = result;
  if (count < 2) return result;
  const stride = count + 1;
  const borders = new Map<number, { sum: number; pairs: number }>();
  const note = (a: number, b: number, p: number, q: number) => {
    const key = a < b ? a * stride + b : b * stride + a;
    const value = Math.min(foreground[p], foreground[q]);
    const border = borders.get(key);
    if (border) {
      border.sum += value;
      border.pairs++;
    } else borders.set(key, { sum: value, pairs: 1 });
  };
  for (let p = 0; p < labels.length; p++) {
    const a = labels[p];
    if (a === 0) continue;
    const right = p + 1;
    if (right % width !== 0 && labels[right] !== 0 && labels[right] !== a) note(a, labels[right], p, right);
    const below = p + width;
    if (below < labels.length && labels[below] !== 0 && labels[below] !== a) note(a, labels[below], p, below);
  }
  const parent = Int32Array.from({ length: stride }, (_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  let merges = 0;
  for (const [key, border] of borders) {
    if (border.sum / border.pairs < level) continue;
    const a = root(Math.floor(key / stride));
    const b = root(key % stride);
    if (a === b) continue;
    parent[Math.max(a, b)] = Math.min(a, b);
    merges++;
  }
  if (merges === 0) return result;
  const renumber = new Int32Array(stride);
  let kept = 0;
  for (let l = 1; l <= count; l++) if (root(l) === l) renumber[l] = ++kept;
  for (let p = 0; p < labels.length; p++) if (labels[p] !== 0) labels[p] = renumber[root(labels[p])];
  return { labels, count: kept };
}

/**
 * `fill`: seeds (or the mask's components), small ones dropped, grown over every pixel of the image:
 * on the probability, the objects meet in its valleys (the membranes); else at the nearest seed.
 */
function fillImage(
  mask: Uint8Array,
  foreground: Float32Array | undefined,
  width: number,
  height: number,
  options: { threshold?: number; erosion: number; growth: InstanceGrowth; minSize: number; connectivity: 4 | 8 },
): InstanceResult {
  const { threshold, erosion, growth, minSize, connectivity } = options;
  const n = width * height;
  // Without a threshold or erosion the seeds are the mask itself.
  const seeded = dropSmallObjects(componentsOf(seedsOf(mask, foreground, width, height, threshold, erosion), width, height, connectivity), minSize);
  if (seeded.count === 0) return seeded;
  const everywhere = new Uint8Array(n).fill(1);
  const labels =
    growth === 'nearest'
      ? regrowInside(seeded.labels, everywhere, width, height, connectivity)
      : floodInside(seeded.labels, everywhere, growth === 'probability' ? foreground! : euclideanDistanceTransform(mask, width, height), width, height, connectivity);
  return { labels, count: seeded.count };
}

/** Seed pixels: mask pixels whose probability reaches the threshold, eroded by a disc of radius `erosion`. */
function seedsOf(mask: Uint8Array, foreground: Float32Array | undefined, width: number, height: number, threshold: number | undefined, erosion: number): Uint8Array {
  const n = width * height;
  let seeds = new Uint8Array(n);
  for (let p = 0; p < n; p++) seeds[p] = mask[p] && (threshold === undefined || foreground![p] >= threshold) ? 1 : 0;
  if (erosion > 0) {
    const distance = euclideanDistanceTransform(seeds, width, height);
    const eroded = new Uint8Array(n);
    for (let p = 0; p < n; p++) eroded[p] = distance[p] > erosion ? 1 : 0;
    seeds = eroded;
  }
  return seeds;
}

/** Removes objects of fewer than `minSize` pixels and renumbers the rest 1..N in their order. */
export function dropSmallObjects(result: InstanceResult, minSize: number): InstanceResult {
  if (minSize <= 1 || result.count === 0) return result;
  const sizes = new Int32Array(result.count + 1);
  const { labels } = result;
  for (let p = 0; p < labels.length; p++) sizes[labels[p]]++;
  const renumber = new Int32Array(result.count + 1);
  let count = 0;
  for (let l = 1; l <= result.count; l++) if (sizes[l] >= minSize) renumber[l] = ++count;
  for (let p = 0; p < labels.length; p++) labels[p] = renumber[labels[p]];
  return { labels, count };
}

function componentsOf(mask: Uint8Array, width: number, height: number, connectivity: 4 | 8): InstanceResult {
  return connectedComponents(mask, width, height, connectivity);
}

/**
 * Multi-source breadth-first growth of the seed labels through the mask: every mask pixel connected to a seed
 * takes the label of the seed nearest along paths inside the mask (ties: the one reached first).
 */
function regrowInside(seedLabels: Int32Array, mask: Uint8Array, width: number, height: number, connectivity: 4 | 8): Int32Array {
  const n = width * height;
  const labels = seedLabels;
  const queue = new Int32Array(n);
  let head = 0;
  let tail = 0;
  for (let p = 0; p < n; p++) if (labels[p] > 0) queue[tail++] = p;
  const dx = connectivity === 4 ? [1, -1, 0, 0] : [1, -1, 0, 0, 1, 1, -1, -1];
  const dy = connectivity === 4 ? [0, 0, 1, -1] : [0, 0, 1, -1, 1, -1, 1, -1];
  while (head < tail) {
    const p = queue[head++];
    const x = p % width;
    const y = (p - x) / width;
    const label = labels[p];
    for (let d = 0; d < dx.length; d++) {
      const nx = x + dx[d];
      const ny = y + dy[d];
      if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
      const q = ny * width + nx;
      if (mask[q] && labels[q] === 0) {
        labels[q] = label;
        queue[tail++] = q;
      }
    }
  }
  return labels;
}

/** Levels of the watershed's bucket queue: the landscape is quantised to this many steps. */
const FLOOD_LEVELS = 256;

/**
 * Seeded watershed by flooding: mask pixels join the label of the neighbour they are reached from,
 * highest landscape value first (a bucket queue over quantised levels, first in first out within a
 * level), so two seeds meet where the landscape is lowest between them.
 */
function floodInside(seedLabels: Int32Array, mask: Uint8Array, landscape: ArrayLike<number>, width: number, height: number, connectivity: 4 | 8): Int32Array {
  const n = width * height;
  const labels = seedLabels;
  let lo = Infinity;
  let hi = -Infinity;
  for (let p = 0; p < n; p++) {
    if (!mask[p]) continue;
    const v = landscape[p];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const scale = hi > lo ? (FLOOD_LEVELS - 1) / (hi - lo) : 0;
  const levelOf = (p: number) => (Number.isFinite(landscape[p]) ? Math.round((landscape[p] - lo) * scale) : 0);
  // Linked lists per level: heads/tails per level, next per pixel (each pixel is queued at most once).
  const head = new Int32Array(FLOOD_LEVELS).fill(-1);
  const tail = new Int32Array(FLOOD_LEVELS).fill(-1);
  const next = new Int32Array(n).fill(-1);
  let top = -1;
  const push = (p: number, level: number) => {
    if (tail[level] < 0) head[level] = p;
    else next[tail[level]] = p;
    tail[level] = p;
    if (level > top) top = level;
  };
  for (let p = 0; p < n; p++) if (labels[p] > 0) push(p, levelOf(p));
  const dx = connectivity === 4 ? [1, -1, 0, 0] : [1, -1, 0, 0, 1, 1, -1, -1];
  const dy = connectivity === 4 ? [0, 0, 1, -1] : [0, 0, 1, -1, 1, -1, 1, -1];
  while (top >= 0) {
    const p = head[top];
    if (p < 0) {
      top--;
      continue;
    }
    head[top] = next[p];
    if (head[top] < 0) tail[top] = -1;
    const level = top;
    const x = p % width;
    const y = (p - x) / width;
    for (let d = 0; d < dx.length; d++) {
      const nx = x + dx[d];
      const ny = y + dy[d];
      if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
      const q = ny * width + nx;
      if (mask[q] && labels[q] === 0) {
        labels[q] = labels[p];
        // A neighbour higher than the current level is flooded at the current level: water does not climb.
        push(q, Math.min(level, levelOf(q)));
      }
    }
  }
  return labels;
}

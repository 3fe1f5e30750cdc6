import { isLegalInputSize, outputSizeFor } from '../../src-shared/imaging/tile-geometry';
import type { Workspace } from '../store/workspace';
import { objectAreas } from './instance-calibration';
import type { PlannedItem } from './training-images';

/**
 * The tile a run trains with when the user names none. The preset's tile suits objects much smaller than
 * its output (ISBI 2012's cells, nuclei); when the annotated objects are large, a larger tile lets each
 * step see whole objects and the borders between them. On DIC-HeLa (median object 112 px across, output
 * tile 132) tile 412 raised the 12-minute SEG from 0.53-0.57 to 0.63-0.66 at half the steps, while on
 * ISBI 2012 and DSB 2018 (objects 28 and 14 px) it lost (docs/benchmarks.md): hence a rule on object size.
 */

/** The output tile should span the median object this many times over: the object and its surroundings. */
export const OUTPUT_SPANS_OF_MEDIAN_OBJECT = 2;
/** The largest tile chosen automatically: the paper's (a step at 572 costs about 3.5x one at 316 on a CPU). */
export const MAX_AUTOMATIC_TILE = 572;
/** Annotated images read to measure object sizes: a sample keeps large data sets quick. */
const SAMPLED_IMAGES = 32;

export interface TileChoice {
  tile: number;
  /** Median equivalent diameter of the annotated objects (px), null when none was found. */
  medianObjectDiameter: number | null;
  /** Why the tile differs from the preset's, for the run's log; absent when it does not. */
  reason?: string;
}

/** Diameter of the disc with the median object's area. */
export function medianObjectDiameter(areas: readonly number[]): number | null {
  if (areas.length === 0) return null;
  const sorted = [...areas].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return 2 * Math.sqrt(median / Math.PI);
}

/** The smallest legal tile from `presetTile` up whose output spans the median object twice, at most MAX_AUTOMATIC_TILE. */
export function tileForObjectSize(presetTile: number, depth: number, diameter: number | null): TileChoice {
  if (diameter === null || !Number.isFinite(diameter)) return { tile: presetTile, medianObjectDiameter: null };
  const wanted = OUTPUT_SPANS_OF_MEDIAN_OBJECT * diameter;
  let tile = presetTile;
  for (let size = presetTile; size <= MAX_AUTOMATIC_TILE && outputSizeFor(tile, depth) < wanted; size++) {
    if (size > tile && isLegalInputSize(size, depth)) tile = size;
  }
  if (tile === presetTile) return { tile, medianObjectDiameter: diameter };
  const reason = `tile ${tile} (output ${outputSizeFor(tile, depth)}) instead of ${presetTile}: the annotated objects are ${Math.round(diameter)} px across (median)`;
  return { tile, medianObjectDiameter: diameter, reason };
}

/** Object sizes from the annotations of up to SAMPLED_IMAGES training images, spread over the list. */
export function trainingObjectAreas(ws: Workspace, items: readonly PlannedItem[]): number[] {
  const count = Math.min(items.length, SAMPLED_IMAGES);
  const images = [];
  for (let k = 0; k < count; k++) {
    const annotation = ws.annotations.latest(items[Math.floor((k * items.length) / count)].imageId);
    if (annotation) images.push({ truthClassMap: annotation.classMap, truthInstances: annotation.instanceMap, width: annotation.width, height: annotation.height });
  }
  return objectAreas(images);
}

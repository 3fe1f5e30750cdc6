import { MAX_UPSCALE } from '../contract/training';
import { connectedComponents } from './connected-components';
import { compactLabels } from './label-index';

/**
 * The object diameter `upscale: 'auto'` enlarges images towards: an image whose typical object is smaller
 * is enlarged round(AUTO_UPSCALE_DIAMETER / diameter) times (at most MAX_UPSCALE). On DSB 2018, nuclei
 * about 18 px across segmented better enlarged twice, nuclei over 40 px across worse (docs/benchmarks.md,
 * "Enlarging small objects").
 */
export const AUTO_UPSCALE_DIAMETER = 30;

/** Objects smaller than this (specks, slivers at the image edge) do not count towards the typical size. */
const MIN_COUNTED_AREA = 4;

/** The objects of an annotation or a segmentation: its instance ids when it has any, else the 4-connected components of classes >= 2. */
export function objectsOf(classMap: ArrayLike<number>, instanceMap: ArrayLike<number> | undefined, width: number, height: number): ArrayLike<number> {
  if (instanceMap) for (let p = 0; p < instanceMap.length; p++) if (instanceMap[p] !== 0) return instanceMap;
  const foreground = new Uint8Array(classMap.length);
  for (let p = 0; p < foreground.length; p++) foreground[p] = classMap[p] >= 2 ? 1 : 0;
  return connectedComponents(foreground, width, height, 4).labels;
}

/**
 * The median equivalent diameter (2 sqrt(area / pi)) of the labelled objects (0 = none), or null without
 * any. `byPixels`: the median over the objects' pixels instead (the size of the object a pixel picked at
 * random belongs to), which many small fragments of a poor segmentation barely move.
 */
export function medianObjectDiameter(objects: ArrayLike<number>, options: { byPixels?: boolean } = {}): number | null {
  const { index, count } = compactLabels(objects);
  const areas = new Float64Array(count + 1);
  for (let p = 0; p < index.length; p++) areas[index[p]]++;
  const counted = Array.from(areas.subarray(1)).filter((a) => a >= MIN_COUNTED_AREA).sort((a, b) => a - b);
  if (counted.length === 0) return null;
  let median: number;
  if (options.byPixels) {
    const half = counted.reduce((sum, a) => sum + a, 0) / 2;
    let seen = 0;
    median = counted.find((a) => (seen += a) >= half) as number;
  } else {
    const mid = counted.length >> 1;
    median = counted.length % 2 === 1 ? counted[mid] : (counted[mid - 1] + counted[mid]) / 2;
  }
  return 2 * Math.sqrt(median / Math.PI);
}

/** How many times `upscale: 'auto'` enlarges an image whose typical object is this wide (1 when none was found). */
export function upscaleForDiameter(diameter: number | null): number {
  if (diameter === null || !(diameter > 0)) return 1;
  return Math.min(MAX_UPSCALE, Math.max(1, Math.round(AUTO_UPSCALE_DIAMETER / diameter)));
}

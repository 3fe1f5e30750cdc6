/**
 * The Cell Tracking Challenge's SEG is the mean Jaccard index over every reference object of a
 * sequence, not the mean of per-image means: a frame that annotates 3 cells weighs 3 objects, not a
 * third of the score. bench:paper shows both (the per-image mean is what the app's reports show).
 */
import { truthObjectsOf } from '../../../src-main/pipeline/instance-calibration';

/** Reference objects as the app scores them: the instance labels, or the foreground's 4-connected components when the annotation has none. */
export function referenceObjectCount(classMap: Uint8Array, instanceMap: Uint32Array, width: number, height: number): number {
  const labels = new Set<number>();
  const objects = truthObjectsOf({ truthClassMap: classMap, truthInstances: instanceMap, width, height });
  for (let p = 0; p < objects.length; p++) if (objects[p] !== 0) labels.add(objects[p]);
  return labels.size;
}

/** SEG over all objects from per-image SEG and object counts; null when no image has a score and an object. */
export function segOverObjects(rows: readonly { seg: number | null | undefined; objects: number }[]): number | null {
  let sum = 0;
  let objects = 0;
  for (const row of rows) {
    if (typeof row.seg !== 'number' || !Number.isFinite(row.seg) || row.objects <= 0) continue;
    sum += row.seg * row.objects;
    objects += row.objects;
  }
  return objects > 0 ? sum / objects : null;
}

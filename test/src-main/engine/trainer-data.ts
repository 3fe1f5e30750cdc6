import type { TrainingSample } from '../../../src-main/engine/training-data';
import { generateBlobImage } from '../../helpers/synthetic-blobs';

/** Generated images of touching cells, as training samples. */
export function blobSample(seed: number, size = 128): TrainingSample {
  const b = generateBlobImage(seed, { width: size, height: size, count: Math.round((size * size) / 1200), radius: 11, touching: true, noise: 0.08 });
  return { id: `blobs-${seed}`, image: b.image, width: size, height: size, channels: 1, classMap: b.classMap, instanceMap: b.instanceMap };
}

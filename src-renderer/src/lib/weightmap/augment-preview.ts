import { createElasticField } from '../../../../src-shared/imaging/elastic-deformation';
import { createRng } from '../../../../src-shared/imaging/rng';
import { warpImage, warpNearest } from '../../../../src-shared/imaging/warp';
import type { AugmentSampleImage } from './worker-protocol';

export interface AugmentPreviewInput {
  width: number;
  height: number;
  /** Grey levels 0..255. */
  gray: Float32Array;
  classMap: Uint8Array;
  /** RGBA per class value (256 x 4); class 0 is drawn black. */
  colors: Uint8Array;
}

/**
 * `count` elastic deformations of an image crop and its labels, as in training: random displacements on a
 * 3x3 grid with standard deviation `sigma`, bicubic for the image and nearest neighbour for the labels, so
 * the preview shows exactly what the network will see. The same seed gives the same pictures.
 */
export function elasticPreview(input: AugmentPreviewInput, seed: number, count: number, sigma: number): AugmentSampleImage[] {
  const { width, height, gray, classMap, colors } = input;
  const rng = createRng(seed);
  const samples: AugmentSampleImage[] = [];
  for (let s = 0; s < count; s++) {
    const field = createElasticField(width, height, rng.fork(), { sigma });
    const warped = warpImage(gray, width, height, 1, field);
    const labels = warpNearest(classMap, width, height, field);
    const image = new Uint8ClampedArray(width * height * 4);
    const labelRgba = new Uint8ClampedArray(width * height * 4);
    for (let i = 0, o = 0; i < warped.length; i++, o += 4) {
      const g = warped[i];
      image[o] = g;
      image[o + 1] = g;
      image[o + 2] = g;
      image[o + 3] = 255;
      const c = labels[i] * 4;
      labelRgba[o] = labels[i] === 0 ? 0 : colors[c];
      labelRgba[o + 1] = labels[i] === 0 ? 0 : colors[c + 1];
      labelRgba[o + 2] = labels[i] === 0 ? 0 : colors[c + 2];
      labelRgba[o + 3] = 255;
    }
    samples.push({ image, labels: labelRgba });
  }
  return samples;
}

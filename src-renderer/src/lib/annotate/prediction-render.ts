import { FIRST_OBJECT_CLASS } from '../../../../src-shared/contract/records';

export type PredictionMode = 'classes' | 'outlines';

export interface PredictionMaps {
  width: number;
  height: number;
  /** 1 = background, 2.. = classes. */
  classMap: Uint8Array;
  instances?: Uint32Array;
}

/** Outline colour: a warm yellow that stands apart from the usual class colours. */
const OUTLINE: [number, number, number] = [255, 214, 10];

/**
 * The prediction as an RGBA layer of the image size: predicted object classes in their palette colour
 * ('classes'), or the borders of the predicted objects ('outlines'; of the class regions when the
 * prediction has no objects). Background and the rest stay transparent, so the annotation shows through.
 */
export function renderPrediction(prediction: PredictionMaps, colors: Uint8Array, mode: PredictionMode): Uint8ClampedArray<ArrayBuffer> {
  const { width, height, classMap } = prediction;
  const out = new Uint8ClampedArray(width * height * 4);
  if (mode === 'classes') {
    for (let i = 0; i < classMap.length; i++) {
      const c = classMap[i];
      if (c < FIRST_OBJECT_CLASS) continue;
      out[i * 4] = colors[c * 4];
      out[i * 4 + 1] = colors[c * 4 + 1];
      out[i * 4 + 2] = colors[c * 4 + 2];
      out[i * 4 + 3] = 255;
    }
    return out;
  }
  const labels: ArrayLike<number> = prediction.instances ?? classMap;
  const isObject = (i: number) => classMap[i] >= FIRST_OBJECT_CLASS;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!isObject(i)) continue;
      const v = labels[i];
      // A pixel of an object whose 4-neighbour (or the image edge) belongs elsewhere.
      const border =
        x === 0 || y === 0 || x === width - 1 || y === height - 1 ||
        labels[i - 1] !== v || labels[i + 1] !== v || labels[i - width] !== v || labels[i + width] !== v ||
        !isObject(i - 1) || !isObject(i + 1) || !isObject(i - width) || !isObject(i + width);
      if (!border) continue;
      out[i * 4] = OUTLINE[0];
      out[i * 4 + 1] = OUTLINE[1];
      out[i * 4 + 2] = OUTLINE[2];
      out[i * 4 + 3] = 255;
    }
  }
  return out;
}

import { encodeGrayPng } from '../../io/png/png-writer';

/**
 * The package's cover: the input's centre (the region the output covers), contrast-stretched, beside the
 * predicted foreground probability, as one 2:1 gray PNG.
 */
export function coverImage(input: Float32Array, size: number, foreground: Float32Array, outSize: number): Uint8Array {
  const offset = (size - outSize) / 2;
  let lo = Infinity;
  let hi = -Infinity;
  for (let y = 0; y < outSize; y++) {
    for (let x = 0; x < outSize; x++) {
      const v = input[(y + offset) * size + x + offset];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  const scale = hi > lo ? 255 / (hi - lo) : 0;
  const width = 2 * outSize;
  const pixels = new Uint8Array(width * outSize);
  for (let y = 0; y < outSize; y++) {
    for (let x = 0; x < outSize; x++) {
      pixels[y * width + x] = Math.round((input[(y + offset) * size + x + offset] - lo) * scale);
      pixels[y * width + outSize + x] = Math.round(255 * Math.min(1, Math.max(0, foreground[y * outSize + x])));
    }
  }
  return encodeGrayPng(pixels, width, outSize);
}

/** Foreground probability of a [K, out, out] softmax: the sum of the planes of classes >= 2. */
export function foregroundOf(probabilities: Float32Array, numClasses: number, outSize: number): Float32Array {
  const plane = outSize * outSize;
  const fg = new Float32Array(plane);
  for (let k = 2; k < numClasses; k++) for (let i = 0; i < plane; i++) fg[i] += probabilities[k * plane + i];
  return fg;
}

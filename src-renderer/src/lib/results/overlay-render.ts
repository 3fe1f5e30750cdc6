import type { ClassDef, ImagePixels } from '../../../../src-shared/contract/records';

/**
 * Pixel work behind the prediction overlay: the microscopy image as display grey values, and class
 * maps, probabilities and object outlines blended onto it. Pure functions on typed arrays (RGBA,
 * row-major), so they are tested without a canvas.
 */

/** Low and high display limits: the 0.5 and 99.5 percentiles of (a sample of) the values. */
export function displayRange(values: ArrayLike<number>, channels = 1, channel = 0): [number, number] {
  const n = Math.floor(values.length / channels);
  const stride = Math.max(1, Math.floor(n / 65536));
  const sample: number[] = [];
  for (let i = 0; i < n; i += stride) {
    const v = values[i * channels + channel];
    if (Number.isFinite(v)) sample.push(v);
  }
  if (sample.length === 0) return [0, 1];
  sample.sort((a, b) => a - b);
  const lo = sample[Math.floor(0.005 * (sample.length - 1))];
  const hi = sample[Math.ceil(0.995 * (sample.length - 1))];
  return hi > lo ? [lo, hi] : [sample[0], sample[sample.length - 1] > sample[0] ? sample[sample.length - 1] : sample[0] + 1];
}

/** The image as opaque RGBA: grey for one or two channels (first channel), colour for three or more. */
export function imageToRgba(pixels: Pick<ImagePixels, 'width' | 'height' | 'channels' | 'data'>): Uint8ClampedArray {
  const { width, height, channels, data } = pixels;
  const out = new Uint8ClampedArray(width * height * 4);
  const colour = channels >= 3;
  const ranges = (colour ? [0, 1, 2] : [0]).map((c) => displayRange(data, channels, c));
  for (let i = 0; i < width * height; i++) {
    for (let k = 0; k < 3; k++) {
      const c = colour ? k : 0;
      const [lo, hi] = ranges[colour ? k : 0];
      out[i * 4 + k] = ((data[i * channels + c] - lo) / (hi - lo)) * 255;
    }
    out[i * 4 + 3] = 255;
  }
  return out;
}

const FALLBACK_COLOURS = ['#ffd400', '#00d0ff', '#ff4fd8', '#7cff4f', '#ff8a3d', '#a58bff', '#4fffc4', '#ff5a5a'];

function hexToRgb(hex: string): [number, number, number] {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  return m ? [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)] : [255, 255, 255];
}

/** Colour per class value (256 x RGB); values without a palette entry get distinct fallback colours. */
export function classColourTable(classes: readonly ClassDef[]): Uint8Array {
  const lut = new Uint8Array(256 * 3);
  for (let v = 0; v < 256; v++) lut.set(hexToRgb(FALLBACK_COLOURS[v % FALLBACK_COLOURS.length]), v * 3);
  for (const c of classes) if (c.value >= 0 && c.value < 256) lut.set(hexToRgb(c.color), c.value * 3);
  return lut;
}

function blend(out: Uint8ClampedArray, i: number, r: number, g: number, b: number, alpha: number): void {
  out[i * 4] = out[i * 4] * (1 - alpha) + r * alpha;
  out[i * 4 + 1] = out[i * 4 + 1] * (1 - alpha) + g * alpha;
  out[i * 4 + 2] = out[i * 4 + 2] * (1 - alpha) + b * alpha;
}

/** Blends object classes (values >= 2) onto `rgba`; unlabelled (0) and background (1) stay clear. */
export function blendClasses(rgba: Uint8ClampedArray, classMap: Uint8Array, lut: Uint8Array, opacity: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(rgba);
  for (let i = 0; i < classMap.length; i++) {
    const v = classMap[i];
    if (v >= 2) blend(out, i, lut[v * 3], lut[v * 3 + 1], lut[v * 3 + 2], opacity);
  }
  return out;
}

// Perceptually ordered colour map (viridis, 9 stops) for probabilities.
const VIRIDIS: [number, number, number][] = [
  [68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141], [39, 173, 129], [92, 200, 99], [170, 220, 50], [253, 231, 37],
];

export function viridis(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const a = VIRIDIS[i];
  const b = VIRIDIS[i + 1];
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

/** Blends the foreground probability as a viridis heat map, more opaque where the network is surer. */
export function blendProbability(rgba: Uint8ClampedArray, probability: Float32Array, opacity: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(rgba);
  for (let i = 0; i < probability.length; i++) {
    const [r, g, b] = viridis(probability[i]);
    blend(out, i, r, g, b, opacity);
  }
  return out;
}

/**
 * Draws the borders of labelled regions (pixels whose right or lower neighbour has another label),
 * blended with `alpha` so that a noisy prediction does not drown the image in outline pixels.
 */
export function drawOutlines(
  rgba: Uint8ClampedArray,
  labels: ArrayLike<number>,
  width: number,
  height: number,
  colour: [number, number, number],
  alpha = 1,
): Uint8ClampedArray {
  const out = new Uint8ClampedArray(rgba);
  const marked = new Uint8Array(width * height);
  const mark = (i: number) => {
    if (marked[i]) return;
    marked[i] = 1;
    blend(out, i, colour[0], colour[1], colour[2], alpha);
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const v = labels[i];
      const right = x + 1 < width ? labels[i + 1] : v;
      const down = y + 1 < height ? labels[i + width] : v;
      if (v !== right) mark(v > 0 ? i : i + 1);
      if (v !== down) mark(v > 0 ? i : i + width);
    }
  }
  return out;
}

import { computePercentileNormalization } from '../../../../src-shared/imaging/normalization';

/**
 * Display mapping of raw microscopy samples (8/16/32-bit, float) to 8-bit grey levels. The raw data is
 * never changed: a contrast window (min, max, gamma) becomes a look-up table indexed by the raw value
 * (8/16-bit) or by the value quantised inside the window (32-bit and float).
 */
export interface ContrastWindow {
  min: number;
  max: number;
  /** Display = t^gamma with t = (v - min) / (max - min) clamped to [0, 1]; < 1 brightens dark values. */
  gamma: number;
}

export type SampleArray = Uint8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array | Int8Array;

/** Raw value range a LUT must cover: entry k is for raw value k - offset. Null for types mapped without one. */
export function lutDomain(data: SampleArray): { offset: number; size: number } | null {
  if (data instanceof Uint8Array) return { offset: 0, size: 256 };
  if (data instanceof Int8Array) return { offset: 128, size: 256 };
  if (data instanceof Uint16Array) return { offset: 0, size: 65536 };
  if (data instanceof Int16Array) return { offset: 32768, size: 65536 };
  return null;
}

/** Bits per sample of an image's dtype string ('uint16' -> 16), 0 when unknown. */
export function bitDepthOf(dtype: string): number {
  const match = /(\d+)$/.exec(dtype);
  return match ? Number(match[1]) : 0;
}

export function normalizeWindow(window: ContrastWindow): ContrastWindow {
  const min = Number.isFinite(window.min) ? window.min : 0;
  let max = Number.isFinite(window.max) ? window.max : min + 1;
  if (max <= min) max = min + Math.max(1e-6, Math.abs(min) * 1e-6);
  const gamma = Number.isFinite(window.gamma) && window.gamma > 0 ? window.gamma : 1;
  return { min, max, gamma };
}

/** Grey level (0..255) of a raw value under the window. */
export function displayLevel(value: number, window: ContrastWindow): number {
  const { min, max, gamma } = normalizeWindow(window);
  let t = (value - min) / (max - min);
  t = t <= 0 ? 0 : t >= 1 ? 1 : t;
  return Math.round(255 * (gamma === 1 ? t : Math.pow(t, gamma)));
}

/** LUT over a raw value domain: lut[v + offset] = displayLevel(v). */
export function buildLut(window: ContrastWindow, domain: { offset: number; size: number }): Uint8Array {
  const w = normalizeWindow(window);
  const lut = new Uint8Array(domain.size);
  const scale = 1 / (w.max - w.min);
  for (let k = 0; k < domain.size; k++) {
    let t = (k - domain.offset - w.min) * scale;
    t = t <= 0 ? 0 : t >= 1 ? 1 : t;
    lut[k] = Math.round(255 * (w.gamma === 1 ? t : Math.pow(t, w.gamma)));
  }
  return lut;
}

const QUANT_LEVELS = 4096;

/**
 * Writes grey (or RGB) RGBA pixels for `data` (HWC, `channels` per pixel) into `out` (4 bytes per pixel).
 * channel >= 0 shows that channel in grey; 'rgb' shows the first three channels as colour.
 */
export function mapToRgba(data: SampleArray, channels: number, channel: number | 'rgb', window: ContrastWindow, out: Uint8ClampedArray): void {
  const n = out.length >> 2;
  const domain = lutDomain(data);
  const lut = domain ? buildLut(window, domain) : null;
  const rgb = channel === 'rgb' && channels >= 3;
  const c = channel === 'rgb' ? 0 : Math.min(Math.max(0, channel), channels - 1);
  if (lut && domain && !rgb && out.byteOffset % 4 === 0) {
    // Hot path (16-bit grey at 4096x4096 is 16 M look-ups): one packed 32-bit write per pixel.
    const packed = new Uint32Array(256);
    for (let g = 0; g < 256; g++) packed[g] = packRgba(g);
    const out32 = new Uint32Array(out.buffer, out.byteOffset, n);
    const offset = domain.offset;
    for (let i = 0, s = c; i < n; i++, s += channels) out32[i] = packed[lut[data[s] + offset]];
    return;
  }
  const level = lut && domain ? (v: number) => lut[v + domain.offset] : quantisedLevel(window);
  if (rgb) {
    for (let i = 0, s = 0, o = 0; i < n; i++, s += channels, o += 4) {
      out[o] = level(data[s]);
      out[o + 1] = level(data[s + 1]);
      out[o + 2] = level(data[s + 2]);
      out[o + 3] = 255;
    }
    return;
  }
  for (let i = 0, s = c, o = 0; i < n; i++, s += channels, o += 4) {
    const g = level(data[s]);
    out[o] = g;
    out[o + 1] = g;
    out[o + 2] = g;
    out[o + 3] = 255;
  }
}

/** Wide types (32-bit, float): the window quantised into 4096 steps, then one gamma table. */
function quantisedLevel(window: ContrastWindow): (v: number) => number {
  const w = normalizeWindow(window);
  const table = buildLut({ min: 0, max: QUANT_LEVELS - 1, gamma: w.gamma }, { offset: 0, size: QUANT_LEVELS });
  const scale = (QUANT_LEVELS - 1) / (w.max - w.min);
  return (v) => {
    const q = (v - w.min) * scale;
    return table[q <= 0 || q !== q ? 0 : q >= QUANT_LEVELS - 1 ? QUANT_LEVELS - 1 : Math.round(q)];
  };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** An opaque grey pixel as one 32-bit word in memory order R, G, B, A. */
function packRgba(g: number): number {
  return LITTLE_ENDIAN ? ((0xff << 24) | (g << 16) | (g << 8) | g) >>> 0 : ((g << 24) | (g << 16) | (g << 8) | 0xff) >>> 0;
}

/** The samples of one channel (a view when there is only one). */
export function channelSamples(data: SampleArray, channels: number, channel: number): SampleArray {
  if (channels === 1) return data;
  const n = Math.floor(data.length / channels);
  const out = new (data.constructor as new (length: number) => SampleArray)(n);
  for (let i = 0, s = channel; i < n; i++, s += channels) out[i] = data[s];
  return out;
}

/** Default window: the 0.1 and 99.9 percentiles of the shown samples, gamma 1 (robust to hot pixels). */
export function autoWindow(samples: SampleArray, lowPct = 0.1, highPct = 99.9): ContrastWindow {
  const { low, high } = computePercentileNormalization(samples, lowPct, highPct);
  // Whole numbers for integer data, 6 significant digits otherwise: the window is shown in inputs.
  const integer = lutDomain(samples) !== null || samples instanceof Uint32Array || samples instanceof Int32Array;
  const min = integer ? Math.floor(low) : Number(low.toPrecision(6));
  const max = integer ? Math.ceil(high) : Number(high.toPrecision(6));
  return normalizeWindow({ min, max: max > min ? max : min + (integer ? 1 : 1e-6), gamma: 1 });
}

/** Smallest and largest finite sample. */
export function sampleRange(samples: ArrayLike<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? { min, max } : { min: 0, max: 0 };
}

/** Counts of samples in `bins` equal bins over [lo, hi] (values outside go to the end bins). */
export function histogram(samples: ArrayLike<number>, bins: number, lo: number, hi: number): Uint32Array {
  const counts = new Uint32Array(bins);
  const scale = hi > lo ? bins / (hi - lo) : 0;
  for (let i = 0; i < samples.length; i++) {
    let b = Math.floor((samples[i] - lo) * scale);
    if (!(b >= 0)) b = 0;
    else if (b >= bins) b = bins - 1;
    counts[b]++;
  }
  return counts;
}

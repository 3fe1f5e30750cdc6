import { UnetError } from '../contract/errors';
import { assertLength } from './validate';

/**
 * Percentile normalisation (as CSBDeep/StarDist): the lowPct percentile maps to 0 and the highPct percentile to 1.
 * Percentiles use linear interpolation between order statistics (numpy's default), over finite values only.
 */
export interface NormalizationParams {
  kind: 'percentile';
  lowPct: number;
  highPct: number;
  low: number;
  high: number;
}

/** Above this many values, floating-point data are percentiled on a deterministic strided sample. */
export const PERCENTILE_SAMPLE_LIMIT = 1 << 20;

type Source = ArrayLike<number>;

function checkPercentiles(lowPct: number, highPct: number): void {
  if (!(lowPct >= 0 && highPct <= 100 && lowPct < highPct)) {
    throw new UnetError('INVALID_ARGUMENT', `need 0 <= lowPct < highPct <= 100, got ${lowPct}, ${highPct}`, {
      lowPct,
      highPct,
    });
  }
}

/** Integer arrays whose values fit a 65536-bin histogram with a fixed offset. */
function histogramOffset(data: Source): number | null {
  if (data instanceof Uint8Array || data instanceof Uint8ClampedArray || data instanceof Uint16Array) return 0;
  if (data instanceof Int8Array || data instanceof Int16Array) return 32768;
  return null;
}

/** Value of the order statistic of rank r (0-based) in a histogram. */
function rankFromHistogram(hist: Float64Array, cumulative: Float64Array, rank: number, offset: number): number {
  // Binary search for the first bin whose cumulative count exceeds rank.
  let lo = 0;
  let hi = hist.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid] > rank) hi = mid;
    else lo = mid + 1;
  }
  return lo - offset;
}

function percentilesFromHistogram(hist: Float64Array, offset: number, pcts: number[]): number[] {
  const cumulative = new Float64Array(hist.length);
  let total = 0;
  for (let i = 0; i < hist.length; i++) {
    total += hist[i];
    cumulative[i] = total;
  }
  if (total === 0) throw new UnetError('INVALID_ARGUMENT', 'cannot compute percentiles of empty data');
  return pcts.map((p) => {
    const rank = (p / 100) * (total - 1);
    const r0 = Math.floor(rank);
    const v0 = rankFromHistogram(hist, cumulative, r0, offset);
    const frac = rank - r0;
    if (frac === 0) return v0;
    const v1 = rankFromHistogram(hist, cumulative, r0 + 1, offset);
    return v0 + frac * (v1 - v0);
  });
}

function percentilesFromSorted(sorted: Float64Array, pcts: number[]): number[] {
  const n = sorted.length;
  if (n === 0) throw new UnetError('INVALID_ARGUMENT', 'cannot compute percentiles: no finite values');
  return pcts.map((p) => {
    const rank = (p / 100) * (n - 1);
    const r0 = Math.floor(rank);
    const frac = rank - r0;
    return frac === 0 ? sorted[r0] : sorted[r0] + frac * (sorted[r0 + 1] - sorted[r0]);
  });
}

/** Finite values of all sources, sub-sampled with a fixed stride when there are more than the limit in total. */
function sampleFinite(sources: Source[]): Float64Array {
  let total = 0;
  for (const s of sources) total += s.length;
  const stride = Math.max(1, Math.ceil(total / PERCENTILE_SAMPLE_LIMIT));
  const values = new Float64Array(Math.ceil(total / stride) + sources.length);
  let n = 0;
  for (const s of sources) {
    for (let i = 0; i < s.length; i += stride) {
      const v = s[i];
      if (Number.isFinite(v)) values[n++] = v;
    }
  }
  return values.subarray(0, n).sort();
}

function percentiles(sources: Source[], pcts: number[]): number[] {
  if (sources.length === 0) throw new UnetError('INVALID_ARGUMENT', 'no data to normalise');
  const offsets = sources.map(histogramOffset);
  if (offsets.every((o) => o !== null)) {
    // Exact and fast for 8/16-bit data (e.g. a 16-bit 4096x4096 image): one counting pass.
    const hist = new Float64Array(65536 + 32768);
    const shift = offsets.some((o) => o === 32768) ? 32768 : 0;
    for (const s of sources) {
      for (let i = 0; i < s.length; i++) hist[s[i] + shift]++;
    }
    return percentilesFromHistogram(hist, shift, pcts);
  }
  return percentilesFromSorted(sampleFinite(sources), pcts);
}

/** One percentile (0..100, numpy's linear interpolation) of the finite values; large float data on a strided sample. */
export function percentile(data: Source, pct: number): number {
  if (!(pct >= 0 && pct <= 100)) throw new UnetError('INVALID_ARGUMENT', `need 0 <= pct <= 100, got ${pct}`, { pct });
  return percentiles([data], [pct])[0];
}

export function computePercentileNormalization(data: Source, lowPct = 1, highPct = 99.8): NormalizationParams {
  return computeDatasetNormalization([data], lowPct, highPct);
}

/** One normalisation for a whole data set: percentiles over the pooled values of all its images. */
export function computeDatasetNormalization(list: Source[], lowPct = 1, highPct = 99.8): NormalizationParams {
  checkPercentiles(lowPct, highPct);
  const [low, high] = percentiles(list, [lowPct, highPct]);
  return { kind: 'percentile', lowPct, highPct, low, high };
}

/**
 * Combines per-image parameters (same percentiles) into one for the data set: the mean of the lows and of the
 * highs. Cheaper than pooling the pixels and close to it when images have similar histograms.
 */
export function combineNormalization(list: NormalizationParams[]): NormalizationParams {
  if (list.length === 0) throw new UnetError('INVALID_ARGUMENT', 'no normalisation parameters to combine');
  const { lowPct, highPct } = list[0];
  let low = 0;
  let high = 0;
  for (const p of list) {
    if (p.lowPct !== lowPct || p.highPct !== highPct) {
      throw new UnetError('INVALID_ARGUMENT', 'cannot combine normalisations with different percentiles');
    }
    low += p.low;
    high += p.high;
  }
  return { kind: 'percentile', lowPct, highPct, low: low / list.length, high: high / list.length };
}

/**
 * (v - low) / (high - low), NOT clipped: values below/above the percentiles go below 0 / above 1, which keeps
 * rare bright structures distinguishable. A constant image (high == low) maps to 0.
 */
export function applyNormalization(data: Source, params: NormalizationParams, out?: Float32Array): Float32Array {
  const result = out ?? new Float32Array(data.length);
  assertLength(result, data.length, 'out');
  const { low, high } = params;
  if (!Number.isFinite(low) || !Number.isFinite(high)) {
    throw new UnetError('INVALID_ARGUMENT', 'normalisation parameters must be finite', { low, high });
  }
  const scale = high > low ? 1 / (high - low) : 1;
  for (let i = 0; i < data.length; i++) result[i] = (data[i] - low) * scale;
  return result;
}

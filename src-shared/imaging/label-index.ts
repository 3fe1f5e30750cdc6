import { UnetError } from '../contract/errors';

/**
 * Maps arbitrary non-negative label values (0 = none) to compact indices 1..count in ascending label order,
 * using a lookup table when the largest label is small enough and a Map otherwise.
 */
export interface CompactLabels {
  /** Compact index per pixel (0 = none). */
  index: Int32Array;
  count: number;
  /** Original label value of compact index i at values[i]; values[0] = 0. */
  values: Float64Array;
}

const LUT_LIMIT = 1 << 24;

export function compactLabels(labels: ArrayLike<number>): CompactLabels {
  const n = labels.length;
  // 8/16-bit labels need no range check and fit a small table: two passes instead of three.
  let max = labels instanceof Uint8Array ? 255 : labels instanceof Uint16Array ? 65535 : -1;
  if (labels instanceof Int32Array) {
    // Integers by type: only the sign needs checking (the labellings the instance calibration scores by the thousand).
    max = 0;
    for (let i = 0; i < n; i++) {
      const v = labels[i];
      if (v > max) max = v;
      else if (v < 0) throw new UnetError('INVALID_ARGUMENT', `labels must be non-negative integers, found ${v} at ${i}`);
    }
  } else if (max < 0) {
    max = 0;
    for (let i = 0; i < n; i++) {
      const v = labels[i];
      if (v > max) max = v;
      if (!(v >= 0) || v !== Math.floor(v)) {
        throw new UnetError('INVALID_ARGUMENT', `labels must be non-negative integers, found ${v} at ${i}`);
      }
    }
  }
  const index = new Int32Array(n);
  if (max === 0) return { index, count: 0, values: new Float64Array(1) };
  if (max < LUT_LIMIT && Number.isInteger(max)) {
    const lut = new Int32Array(max + 1);
    for (let i = 0; i < n; i++) lut[labels[i]] = 1;
    lut[0] = 0;
    let count = 0;
    for (let v = 1; v <= max; v++) if (lut[v] !== 0) lut[v] = ++count;
    const values = new Float64Array(count + 1);
    for (let v = 1; v <= max; v++) if (lut[v] !== 0) values[lut[v]] = v;
    for (let i = 0; i < n; i++) index[i] = lut[labels[i]];
    return { index, count, values };
  }
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) if (labels[i] !== 0) seen.add(labels[i]);
  const sorted = Array.from(seen).sort((a, b) => a - b);
  const map = new Map<number, number>();
  sorted.forEach((v, k) => map.set(v, k + 1));
  for (let i = 0; i < n; i++) index[i] = labels[i] === 0 ? 0 : (map.get(labels[i]) as number);
  return { index, count: sorted.length, values: Float64Array.from([0, ...sorted]) };
}

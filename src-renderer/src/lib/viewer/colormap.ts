/**
 * Perceptually ordered colour maps for scalar overlays (the loss weight map). A map is a 256-entry RGB
 * table built from a few control points of matplotlib's "inferno" (dark -> bright, readable on grey).
 */
const INFERNO_STOPS: [number, number, number, number][] = [
  [0.0, 0, 0, 4],
  [0.13, 31, 12, 72],
  [0.25, 85, 15, 109],
  [0.38, 136, 34, 106],
  [0.5, 186, 54, 85],
  [0.63, 227, 89, 51],
  [0.75, 249, 140, 10],
  [0.88, 249, 201, 50],
  [1.0, 252, 255, 164],
];

/** 256 x 3 bytes (RGB) interpolated linearly between the stops. */
export function buildColormap(stops: readonly [number, number, number, number][] = INFERNO_STOPS): Uint8Array {
  const table = new Uint8Array(256 * 3);
  for (let k = 0; k < 256; k++) {
    const t = k / 255;
    let s = 0;
    while (s < stops.length - 2 && stops[s + 1][0] < t) s++;
    const [t0, r0, g0, b0] = stops[s];
    const [t1, r1, g1, b1] = stops[s + 1];
    const f = t1 > t0 ? Math.min(1, Math.max(0, (t - t0) / (t1 - t0))) : 0;
    table[k * 3] = Math.round(r0 + f * (r1 - r0));
    table[k * 3 + 1] = Math.round(g0 + f * (g1 - g0));
    table[k * 3 + 2] = Math.round(b0 + f * (b1 - b0));
  }
  return table;
}

export const INFERNO = buildColormap();

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The colour map as opaque RGBA words in memory order, for one 32-bit write per pixel. */
export function packColormap(colormap: Uint8Array): Uint32Array {
  const packed = new Uint32Array(256);
  for (let k = 0; k < 256; k++) {
    const r = colormap[k * 3];
    const g = colormap[k * 3 + 1];
    const b = colormap[k * 3 + 2];
    packed[k] = LITTLE_ENDIAN ? ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0 : ((r << 24) | (g << 16) | (b << 8) | 255) >>> 0;
  }
  return packed;
}

/**
 * RGBA heat map of `values` between min and max. Pixels whose value is exactly 0 are left transparent when
 * `transparentZero` (unlabeled pixels carry no loss, so there is nothing to show there).
 */
export function renderHeatmap(values: Float32Array, min: number, max: number, colormap: Uint8Array, out: Uint8ClampedArray, transparentZero: boolean): void {
  const scale = max > min ? 255 / (max - min) : 0;
  const packed = packColormap(colormap);
  const out32 = new Uint32Array(out.buffer, out.byteOffset, values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (transparentZero && v === 0) {
      out32[i] = 0;
      continue;
    }
    const k = ((v - min) * scale + 0.5) | 0;
    out32[i] = packed[k < 0 ? 0 : k > 255 ? 255 : k];
  }
}

/** A legend label with as many decimals as the range needs to tell neighbouring ticks apart. */
export function formatTick(value: number, range: number): string {
  const decimals = range >= 20 ? 0 : range >= 2 ? 1 : range >= 0.2 ? 2 : 3;
  return value.toFixed(decimals);
}

import { UnetError } from '../contract/errors';

/** A closed ring as x0, y0, x1, y1, ... in pixel coordinates (pixel (x, y) covers [x, x+1) x [y, y+1)). */
export type PolygonRing = ArrayLike<number>;

/**
 * Fills a shape given by closed rings into `target` (row-major, width x height) with `value`: a pixel
 * is inside when its centre is, by the even-odd rule over all rings (ImageJ's composite ROIs and
 * GeoJSON polygons with holes both read this way). Returns the number of pixels set.
 */
export function fillPolygonRings(rings: readonly PolygonRing[], target: { length: number; [i: number]: number }, width: number, height: number, value: number): number {
  if (target.length !== width * height) throw new UnetError('INVALID_ARGUMENT', `a ${width} x ${height} target needs ${width * height} values, got ${target.length}`);
  let top = Infinity;
  let bottom = -Infinity;
  for (const ring of rings) {
    if (ring.length % 2 !== 0 || ring.length < 6) throw new UnetError('INVALID_ARGUMENT', `a ring needs at least 3 (x, y) points, got ${ring.length} numbers`);
    for (let i = 1; i < ring.length; i += 2) {
      top = Math.min(top, ring[i]);
      bottom = Math.max(bottom, ring[i]);
    }
  }
  if (!(top < bottom)) return 0;
  let filled = 0;
  const crossings: number[] = [];
  const y0 = Math.max(0, Math.floor(top));
  const y1 = Math.min(height - 1, Math.ceil(bottom));
  for (let y = y0; y <= y1; y++) {
    const cy = y + 0.5;
    crossings.length = 0;
    for (const ring of rings) {
      const n = ring.length / 2;
      for (let i = 0, j = n - 1; i < n; j = i++) {
        const ax = ring[2 * j];
        const ay = ring[2 * j + 1];
        const bx = ring[2 * i];
        const by = ring[2 * i + 1];
        if (ay > cy !== by > cy) crossings.push(ax + ((cy - ay) * (bx - ax)) / (by - ay));
      }
    }
    crossings.sort((a, b) => a - b);
    for (let k = 0; k + 1 < crossings.length; k += 2) {
      // Pixels whose centre x + 0.5 lies in [from, to).
      const from = Math.max(0, Math.ceil(crossings[k] - 0.5));
      const to = Math.min(width - 1, Math.ceil(crossings[k + 1] - 0.5) - 1);
      for (let x = from; x <= to; x++) {
        target[y * width + x] = value;
        filled++;
      }
    }
  }
  return filled;
}

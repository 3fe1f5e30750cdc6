import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src-shared/imaging/rng';
import { weightMap } from '../../../src-shared/imaging/weight-map';
import { INFERNO, renderHeatmap } from '../../../src-renderer/src/lib/viewer/colormap';
import { fitView, zoomTo } from '../../../src-renderer/src/lib/viewer/viewport';
import { crop, IncrementalWeightMap } from '../../../src-renderer/src/lib/weightmap/incremental-weights';
import { BorderRange, heatViewFor, renderWeightView, sourceIndex, weightRange } from '../../../src-renderer/src/lib/weightmap/weight-view';

function disc(cls: Uint8Array, inst: Uint32Array, width: number, cx: number, cy: number, r: number, c: number, id: number): { x: number; y: number; width: number; height: number } {
  const height = cls.length / width;
  const x0 = Math.max(0, Math.floor(cx - r));
  const y0 = Math.max(0, Math.floor(cy - r));
  const x1 = Math.min(width - 1, Math.ceil(cx + r));
  const y1 = Math.min(height - 1, Math.ceil(cy + r));
  for (let y = y0; y <= y1; y++)
    for (let x = x0; x <= x1; x++)
      if (Math.hypot(x - cx, y - cy) <= r) {
        cls[y * width + x] = c;
        inst[y * width + x] = id;
      }
  return { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/** The whole-map path the preview used before: every pixel's w(x), then every pixel's colour. */
function wholeHeat(classMap: Uint8Array, instanceMap: Uint32Array, width: number, height: number, w0: number, sigma: number) {
  const weights = weightMap(classMap, instanceMap, width, height, { w0, sigma });
  let min = Infinity;
  let max = -Infinity;
  for (const w of weights) if (w !== 0) (min = Math.min(min, w)), (max = Math.max(max, w));
  if (!(min <= max)) min = max = 0;
  const rgba = new Uint8ClampedArray(width * height * 4);
  renderHeatmap(weights, min, max, INFERNO, rgba, true);
  return { rgba, min, max };
}

function differing(a: Uint8ClampedArray, b: Uint8ClampedArray): number {
  let n = a.length === b.length ? 0 : Infinity;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

describe('weight map drawn for a view', () => {
  it('equals the whole-map heat map and range after every edit, recomputing only near it', () => {
    const width = 300;
    const height = 220;
    const classMap = new Uint8Array(width * height).fill(1);
    const instanceMap = new Uint32Array(width * height);
    const rng = createRng(4);
    for (let k = 1; k <= 25; k++) disc(classMap, instanceMap, width, rng.next() * width, rng.next() * height, 4 + rng.next() * 8, 2, k);
    classMap.fill(0, 0, width * 10); // an unlabelled band: w = 0 there
    const inc = new IncrementalWeightMap();
    const range = new BorderRange();
    const whole = { region: { x: 0, y: 0, width, height }, outWidth: width, outHeight: height };
    const step = (region: { x: number; y: number; width: number; height: number }) => {
      const changed = inc.apply({ width, height, region, classCrop: crop(classMap, width, region, Uint8Array), instanceCrop: crop(instanceMap, width, region, Uint32Array), w0: 10, sigma: 4 });
      range.update(inc.state.classMap, inc.state.border, width, height, changed);
      const wc = inc.classWeights();
      const r = weightRange(wc, inc.state.counts, range.extrema());
      return { changed, ...r, rgba: renderWeightView(inc.state, wc, whole, r.min, r.max, INFERNO) };
    };
    let got = step({ x: 0, y: 0, width, height });
    let expected = wholeHeat(classMap, instanceMap, width, height, 10, 4);
    expect([got.min, got.max]).toEqual([expected.min, expected.max]);
    expect(differing(got.rgba, expected.rgba)).toBe(0);
    for (let k = 0; k < 10; k++) {
      const kind = k % 3;
      const region = disc(classMap, instanceMap, width, rng.next() * width, rng.next() * height, 3 + rng.next() * 5, kind === 0 ? 2 : kind === 1 ? 0 : 1, kind === 0 ? 100 + k : 0);
      got = step(region);
      // What an edit reaches: its own region grown by the border term's cutoff, not the image.
      expect(got.changed.width * got.changed.height).toBeLessThan(width * height);
      expected = wholeHeat(classMap, instanceMap, width, height, 10, 4);
      expect([got.min, got.max]).toEqual([expected.min, expected.max]);
      expect(differing(got.rgba, expected.rgba)).toBe(0);
      expect(inc.weightAt(37.6, 150.2)).toBe(weightMap(classMap, instanceMap, width, height, { w0: 10, sigma: 4 })[150 * width + 37]);
    }
    // Zoomed out: each screen pixel shows the image pixel under its centre.
    const small = { region: { x: 40, y: 30, width: 200, height: 150 }, outWidth: 50, outHeight: 40 };
    const r = weightRange(inc.classWeights(), inc.state.counts, range.extrema());
    const view = renderWeightView(inc.state, inc.classWeights(), small, r.min, r.max, INFERNO);
    for (const [ox, oy] of [[0, 0], [49, 39], [17, 23]]) {
      const x = sourceIndex(ox, 50, 40, 200);
      const y = sourceIndex(oy, 40, 30, 150);
      expect([...view.subarray((oy * 50 + ox) * 4, (oy * 50 + ox) * 4 + 4)]).toEqual([...expected.rgba.subarray((y * width + x) * 4, (y * width + x) * 4 + 4)]);
    }
  });

  it('leaves out w = 0 from the range when the background weighs nothing', () => {
    const counts = new Float64Array(256);
    counts[1] = 10;
    counts[2] = 5;
    const wc = new Float64Array(256);
    wc[2] = 3;
    expect(weightRange(wc, counts, { min: 0, minPositive: 0.25, max: 8 })).toEqual({ min: 0.25, max: 8 });
    expect(weightRange(wc, counts, { min: 0, minPositive: Infinity, max: 0 })).toEqual({ min: 3, max: 3 });
    expect(weightRange(new Float64Array(256), new Float64Array(256), null)).toEqual({ min: 0, max: 0 });
  });

  it('draws the visible region at screen resolution zoomed out and at image resolution zoomed in', () => {
    const fit = fitView(8192, 8192, 950, 800);
    const out = heatViewFor(fit, 8192, 8192, 950, 800, 2)!;
    expect(out.region).toEqual({ x: 0, y: 0, width: 8192, height: 8192 });
    expect(out.outWidth).toBe(Math.ceil(8192 * fit.scale * 2));
    const close = zoomTo(fit, 4, 475, 400);
    const zoomed = heatViewFor(close, 8192, 8192, 950, 800, 1)!;
    expect(zoomed.outWidth).toBe(zoomed.region.width);
    expect(zoomed.region.width).toBeLessThanOrEqual(Math.ceil(950 / 4) + 1);
    expect(heatViewFor({ scale: 1, tx: 5000, ty: 0 }, 100, 100, 950, 800)).toBeNull();
  });
});

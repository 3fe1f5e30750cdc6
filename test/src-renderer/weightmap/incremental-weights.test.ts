import { describe, expect, it } from 'vitest';
import { weightMap } from '../../../src-shared/imaging/weight-map';
import { createRng } from '../../../src-shared/imaging/rng';
import { crop, IncrementalWeightMap } from '../../../src-renderer/src/lib/weightmap/incremental-weights';

/** Random round objects (class 2, own ids, some touching) on background. */
function scene(width: number, height: number, objects: number, seed: number) {
  const rng = createRng(seed);
  const classMap = new Uint8Array(width * height).fill(1);
  const instanceMap = new Uint32Array(width * height);
  for (let k = 1; k <= objects; k++) paintDisc(classMap, instanceMap, width, height, rng.next() * width, rng.next() * height, 3 + rng.next() * 6, 2, k);
  return { classMap, instanceMap };
}

function paintDisc(cls: Uint8Array, inst: Uint32Array, width: number, height: number, cx: number, cy: number, r: number, c: number, id: number) {
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if (Math.hypot(x - cx, y - cy) <= r) {
        cls[y * width + x] = c;
        inst[y * width + x] = id;
      }
}

/** Exact equality, element by element (much faster than a deep equal on large typed arrays). */
function expectSame(a: Float32Array, b: Float32Array): void {
  expect(a.length).toBe(b.length);
  let mismatches = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) mismatches++;
  expect(mismatches).toBe(0);
}

const full = (w: number, h: number) => ({ x: 0, y: 0, width: w, height: h });

describe('incremental weight map', () => {
  it('equals the full weight map after a sequence of local edits', () => {
    const width = 96;
    const height = 80;
    const { classMap, instanceMap } = scene(width, height, 14, 3);
    const inc = new IncrementalWeightMap();
    const first = inc.update({ width, height, region: full(width, height), classCrop: classMap.slice(), instanceCrop: instanceMap.slice(), w0: 10, sigma: 3 }).weights;
    expectSame(first, weightMap(classMap, instanceMap, width, height, { w0: 10, sigma: 3 }));
    const rng = createRng(9);
    for (let step = 0; step < 12; step++) {
      const cx = rng.next() * width;
      const cy = rng.next() * height;
      const r = 2 + rng.next() * 4;
      // Alternate new objects, erasing (unlabeled) and background.
      const kind = step % 3;
      paintDisc(classMap, instanceMap, width, height, cx, cy, r, kind === 0 ? 2 : kind === 1 ? 0 : 1, kind === 0 ? 100 + step : 0);
      const region = {
        x: Math.max(0, Math.floor(cx - r) - 1),
        y: Math.max(0, Math.floor(cy - r) - 1),
        width: 0,
        height: 0,
      };
      region.width = Math.min(width, Math.ceil(cx + r) + 2) - region.x;
      region.height = Math.min(height, Math.ceil(cy + r) + 2) - region.y;
      const got = inc.update({ width, height, region, classCrop: crop(classMap, width, region, Uint8Array), instanceCrop: crop(instanceMap, width, region, Uint32Array), w0: 10, sigma: 3 });
      const expected = weightMap(classMap, instanceMap, width, height, { w0: 10, sigma: 3 });
      let lo = Infinity;
      let hi = -Infinity;
      for (const w of expected) if (w !== 0) (lo = Math.min(lo, w)), (hi = Math.max(hi, w));
      expect([got.min, got.max]).toEqual([lo, hi]);
      expectSame(got.weights, expected);
    }
  });

  it('recomputes everything when w0 or sigma change', () => {
    const { classMap, instanceMap } = scene(40, 40, 6, 5);
    const inc = new IncrementalWeightMap();
    inc.update({ width: 40, height: 40, region: full(40, 40), classCrop: classMap, instanceCrop: instanceMap, w0: 10, sigma: 5 });
    const none = { x: 0, y: 0, width: 0, height: 0 };
    const got = inc.update({ width: 40, height: 40, region: none, classCrop: new Uint8Array(0), instanceCrop: new Uint32Array(0), w0: 4, sigma: 2 }).weights;
    expectSame(got, weightMap(classMap, instanceMap, 40, 40, { w0: 4, sigma: 2 }));
  });

  it('refuses a partial update before it has the whole annotation', () => {
    const inc = new IncrementalWeightMap();
    const region = { x: 0, y: 0, width: 2, height: 2 };
    expect(() => inc.update({ width: 10, height: 10, region, classCrop: new Uint8Array(4), instanceCrop: new Uint32Array(4), w0: 10, sigma: 5 })).toThrow(/whole annotation/);
  });
});

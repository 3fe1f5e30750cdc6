import { describe, expect, it } from 'vitest';
import { fitView, imageToScreen, MAX_SCALE, panBy, screenToImage, visibleRegion, wheelZoomFactor, zoomAt, zoomTo } from '../../../src-renderer/src/lib/viewer/viewport';

describe('viewport geometry', () => {
  it('fits and centres the image', () => {
    const v = fitView(400, 200, 832, 632, 16);
    expect(v.scale).toBe(2);
    expect(v).toEqual({ scale: 2, tx: 16, ty: 116 });
    expect(screenToImage(v, 16, 116)).toEqual({ x: 0, y: 0 });
  });

  it('zooms around the cursor: the image point under it stays put', () => {
    const v = { scale: 1.5, tx: 30, ty: -12 };
    const before = screenToImage(v, 200, 150);
    const z = zoomAt(v, 3, 200, 150);
    expect(z.scale).toBeCloseTo(4.5);
    const after = screenToImage(z, 200, 150);
    expect(after.x).toBeCloseTo(before.x, 10);
    expect(after.y).toBeCloseTo(before.y, 10);
    expect(zoomAt(v, 1e9, 0, 0).scale).toBe(MAX_SCALE);
  });

  it('maps every screen position to the pixel under it at Fit and 1:1 on images up to 32768²', () => {
    for (const size of [8192, 32768]) {
      const fit = fitView(size, size, 950, 792);
      expect(fit.scale).toBeCloseTo((792 - 32) / size, 12);
      for (const view of [fit, zoomTo(fit, 1, 475, 396), zoomTo(fit, 64, 10, 700)]) {
        for (const [x, y] of [[0, 0], [size - 1, size - 1], [size / 2 + 3, 17], [12_345 % size, 31_000 % size]]) {
          // The centre of pixel (x, y) on screen comes back as that pixel, and its corners stay inside it.
          const s = imageToScreen(view, x + 0.5, y + 0.5);
          const p = screenToImage(view, s.x, s.y);
          expect([Math.floor(p.x), Math.floor(p.y)]).toEqual([x, y]);
          const corner = screenToImage(view, imageToScreen(view, x, y).x, imageToScreen(view, x, y).y);
          expect(corner.x).toBeCloseTo(x, 6);
          expect(corner.y).toBeCloseTo(y, 6);
        }
      }
    }
  });

  it('sets 1:1 and pans', () => {
    const v = zoomTo({ scale: 0.25, tx: 0, ty: 0 }, 1, 100, 100);
    expect(v.scale).toBe(1);
    expect(imageToScreen(v, 400, 400)).toEqual({ x: 100, y: 100 });
    expect(panBy(v, 5, -5)).toEqual({ scale: 1, tx: v.tx + 5, ty: v.ty - 5 });
  });

  it('draws only the visible source pixels, aligned to whole pixels', () => {
    // 4096x4096 image at 2x, viewport 800x600 showing image x 100..500, y 50..350.
    const r = visibleRegion({ scale: 2, tx: -200, ty: -100 }, 4096, 4096, 800, 600)!;
    expect(r).toEqual({ sx: 100, sy: 50, sw: 400, sh: 300, dx: 0, dy: 0, dw: 800, dh: 600 });
    const partial = visibleRegion({ scale: 3, tx: -301, ty: 10 }, 200, 100, 90, 60)!;
    expect(partial.sx).toBe(100);
    expect(partial.dx).toBe(-1);
    expect(partial.sw).toBe(31);
    expect(partial.sh).toBe(17);
    expect(visibleRegion({ scale: 1, tx: 900, ty: 0 }, 100, 100, 800, 600)).toBeNull();
  });

  it('turns wheel deltas into zoom factors', () => {
    expect(wheelZoomFactor(-100, 0)).toBeCloseTo(1.2);
    expect(wheelZoomFactor(100, 0)).toBeCloseTo(1 / 1.2);
    expect(wheelZoomFactor(-3, 1)).toBeGreaterThan(1);
  });
});

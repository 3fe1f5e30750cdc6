import type { PixelRect } from '../annotate/label-maps';

/**
 * Halved copies of a layer for drawing it zoomed out: a frame at 10 % of an 8192² image then reads
 * about as many pixels as it shows from a small canvas, instead of picking them out of 64 megapixels.
 */

/** Levels stop once a side is at most this. */
export const MIP_MIN_SIDE = 1024;

/** Sizes of the halved levels (level 1 = half size, ...); none for a small image. */
export function mipSizes(width: number, height: number): { width: number; height: number }[] {
  const sizes: { width: number; height: number }[] = [];
  let w = width;
  let h = height;
  while (Math.max(w, h) > MIP_MIN_SIDE) {
    w = Math.ceil(w / 2);
    h = Math.ceil(h / 2);
    sizes.push({ width: w, height: h });
  }
  return sizes;
}

/** The level to draw at `scale` (0 = full size): the smallest whose pixels are still no larger than a screen pixel. */
export function mipLevelFor(scale: number, levels: number): number {
  if (!(scale < 0.5)) return 0;
  return Math.min(levels, Math.floor(Math.log2(1 / scale)));
}

/** The rect of the next level down that a changed rect of this level touches. */
export function halfRect(rect: PixelRect, width: number, height: number): PixelRect {
  const x = Math.floor(rect.x / 2);
  const y = Math.floor(rect.y / 2);
  return { x, y, width: Math.min(Math.ceil(width / 2), Math.ceil((rect.x + rect.width) / 2)) - x, height: Math.min(Math.ceil(height / 2), Math.ceil((rect.y + rect.height) / 2)) - y };
}

import type { PixelRect } from '../annotate/label-maps';
import { packColormap } from '../viewer/colormap';
import { visibleRegion, type View } from '../viewer/viewport';

/**
 * The part of the image a heat map is drawn for and the size it is drawn at: the visible region, at
 * screen resolution when zoomed out and at image resolution when zoomed in, so its cost follows the
 * screen, not the image.
 */
export interface HeatView {
  region: PixelRect;
  outWidth: number;
  outHeight: number;
}

/** Most pixels along a side of a heat view (a 4k screen at 2x is within it). */
const MAX_HEAT_SIDE = 8192;

/** The heat view for a camera view of the canvas (null when no part of the image is on screen). */
export function heatViewFor(view: View, imageWidth: number, imageHeight: number, viewWidth: number, viewHeight: number, dpr = 1): HeatView | null {
  const r = visibleRegion(view, imageWidth, imageHeight, viewWidth, viewHeight);
  if (!r) return null;
  return {
    region: { x: r.sx, y: r.sy, width: r.sw, height: r.sh },
    outWidth: Math.max(1, Math.min(r.sw, MAX_HEAT_SIDE, Math.ceil(r.dw * dpr))),
    outHeight: Math.max(1, Math.min(r.sh, MAX_HEAT_SIDE, Math.ceil(r.dh * dpr))),
  };
}

/** The image pixel a heat-view pixel shows (nearest, so 1:1 views are exact). */
export function sourceIndex(out: number, outSize: number, start: number, size: number): number {
  return start + Math.min(size - 1, Math.floor(((out + 0.5) * size) / outSize));
}

interface BorderExtrema {
  min: number;
  minPositive: number;
  max: number;
}

/**
 * Extrema of the border term over background pixels, kept per block, so that after an edit the range
 * of w(x) is found by redoing the blocks the edit touched, not by a pass over the whole image.
 */
export class BorderRange {
  static readonly BLOCK = 128;
  private width = 0;
  private height = 0;
  private across = 0;
  private mins = new Float32Array(0);
  private positiveMins = new Float32Array(0);
  private maxs = new Float32Array(0);

  /** Redoes the blocks that meet `rect` (all of them when the image size changed). */
  update(classMap: Uint8Array, border: Float32Array, width: number, height: number, rect: PixelRect): void {
    const B = BorderRange.BLOCK;
    if (width !== this.width || height !== this.height) {
      this.width = width;
      this.height = height;
      this.across = Math.ceil(width / B);
      const blocks = this.across * Math.ceil(height / B);
      this.mins = new Float32Array(blocks);
      this.positiveMins = new Float32Array(blocks);
      this.maxs = new Float32Array(blocks);
      rect = { x: 0, y: 0, width, height };
    }
    if (rect.width <= 0 || rect.height <= 0) return;
    const bx0 = Math.floor(rect.x / B);
    const by0 = Math.floor(rect.y / B);
    const bx1 = Math.floor((rect.x + rect.width - 1) / B);
    const by1 = Math.floor((rect.y + rect.height - 1) / B);
    for (let by = by0; by <= by1; by++) {
      for (let bx = bx0; bx <= bx1; bx++) {
        let min = Infinity;
        let minPositive = Infinity;
        let max = -Infinity;
        const y1 = Math.min(height, (by + 1) * B);
        const x1 = Math.min(width, (bx + 1) * B);
        for (let y = by * B; y < y1; y++) {
          for (let i = y * width + bx * B, end = y * width + x1; i < end; i++) {
            if (classMap[i] !== 1) continue;
            const b = border[i];
            if (b < min) min = b;
            if (b > 0 && b < minPositive) minPositive = b;
            if (b > max) max = b;
          }
        }
        const k = by * this.across + bx;
        this.mins[k] = min;
        this.positiveMins[k] = minPositive;
        this.maxs[k] = max;
      }
    }
  }

  /** Over all background pixels; null when there are none. */
  extrema(): BorderExtrema | null {
    let min = Infinity;
    let minPositive = Infinity;
    let max = -Infinity;
    for (let k = 0; k < this.mins.length; k++) {
      if (this.mins[k] < min) min = this.mins[k];
      if (this.positiveMins[k] < minPositive) minPositive = this.positiveMins[k];
      if (this.maxs[k] > max) max = this.maxs[k];
    }
    return max >= min ? { min, minPositive, max } : null;
  }
}

/**
 * The range of the non-zero w(x) = fround(border + wc[class]) over the image, from the class counts
 * and the border extrema: the border term is non-zero on background (class 1) pixels only, so every
 * other class contributes its class weight alone. Equal to a pass over every pixel.
 */
export function weightRange(classWeights: Float64Array, counts: Float64Array, border: BorderExtrema | null): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  const take = (w: number) => {
    if (w === 0) return;
    if (w < min) min = w;
    if (w > max) max = w;
  };
  for (let c = 0; c < 256; c++) if (c !== 1 && counts[c] > 0) take(Math.fround(classWeights[c]));
  if (counts[1] > 0 && border) {
    const lo = Math.fround(border.min + classWeights[1]);
    // w = 0 pixels are left out of the range (a zero class weight leaves the border term alone).
    take(lo !== 0 ? lo : Number.isFinite(border.minPositive) ? Math.fround(border.minPositive + classWeights[1]) : 0);
    take(Math.fround(border.max + classWeights[1]));
  }
  return min <= max ? { min, max } : { min: 0, max: 0 };
}

/**
 * RGBA of w(x) for a heat view, coloured between min and max as `renderHeatmap` colours a whole map
 * (pixels with w = 0 transparent); computed only for the pixels of the view.
 */
export function renderWeightView(
  state: { width: number; classMap: Uint8Array; border: Float32Array },
  classWeights: Float64Array,
  view: HeatView,
  min: number,
  max: number,
  colormap: Uint8Array,
): Uint8ClampedArray {
  const { region, outWidth, outHeight } = view;
  const out = new Uint8ClampedArray(outWidth * outHeight * 4);
  const out32 = new Uint32Array(out.buffer);
  const packed = packColormap(colormap);
  const scale = max > min ? 255 / (max - min) : 0;
  const columns = new Int32Array(outWidth);
  for (let ox = 0; ox < outWidth; ox++) columns[ox] = sourceIndex(ox, outWidth, region.x, region.width);
  const { width, classMap, border } = state;
  for (let oy = 0; oy < outHeight; oy++) {
    const row = sourceIndex(oy, outHeight, region.y, region.height) * width;
    for (let ox = 0, o = oy * outWidth; ox < outWidth; ox++, o++) {
      const i = row + columns[ox];
      const w = Math.fround(border[i] + classWeights[classMap[i]]);
      if (w === 0) continue;
      const k = ((w - min) * scale + 0.5) | 0;
      out32[o] = packed[k < 0 ? 0 : k > 255 ? 255 : k];
    }
  }
  return out;
}

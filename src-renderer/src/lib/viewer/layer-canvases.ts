import type { PixelRect } from '../annotate/label-maps';
import { halfRect, mipLevelFor, mipSizes } from './layer-mips';
import { visibleRegion, type View } from './viewport';

export type LayerId = 'image' | 'labels';

interface Surface {
  canvas: HTMLCanvasElement;
  ctx: CanvasRenderingContext2D;
}

interface Layer extends Surface {
  /** Halved copies (see layer-mips), kept up to date with every paint. */
  mips: Surface[];
}

/** Rows painted per step: a whole 8192² layer is written through 16 MiB, not a 256 MiB copy of it. */
const BAND_BYTES = 16 * 1024 * 1024;

export interface DrawOptions {
  showLabels: boolean;
  labelOpacity: number;
  showHeat: boolean;
  heatOpacity: number;
}

/**
 * Full-resolution offscreen canvases of the contrast-mapped image and the label overlay, and the
 * weight heat map of a region at its own resolution. Changes are painted into the changed rectangle
 * only, in bands, with no full-size copy of a layer kept beside its canvas; each frame draws just the
 * visible part of every layer at the current zoom, so painting on a 4096x4096 image costs what the
 * screen shows, not what the image holds.
 */
export class LayerCanvases {
  readonly width: number;
  readonly height: number;
  private readonly layers = new Map<LayerId, Layer>();
  private heat: { canvas: HTMLCanvasElement; region: PixelRect } | null = null;

  constructor(width: number, height: number) {
    this.width = width;
    this.height = height;
  }

  /**
   * Repaints `rect` of a layer (all of it when omitted): `fill` writes the RGBA of each band of rows
   * (`band` is the part of the image its `out` covers, row-major).
   */
  paint(id: LayerId, fill: (out: Uint8ClampedArray, band: PixelRect) => void, rect: PixelRect = { x: 0, y: 0, width: this.width, height: this.height }): void {
    const x = Math.max(0, rect.x);
    const y0 = Math.max(0, rect.y);
    const width = Math.min(this.width, rect.x + rect.width) - x;
    const y1 = Math.min(this.height, rect.y + rect.height);
    if (width <= 0 || y1 <= y0) return;
    const layer = this.layer(id);
    const rows = Math.max(1, Math.floor(BAND_BYTES / (4 * width)));
    let data: ImageData | null = null;
    for (let y = y0; y < y1; y += rows) {
      const height = Math.min(rows, y1 - y);
      if (!data || data.height !== height) data = new ImageData(width, height);
      fill(data.data, { x, y, width, height });
      layer.ctx.putImageData(data, x, y);
    }
    this.updateMips(id, layer, { x, y: y0, width, height: y1 - y0 });
  }

  /** Redraws the halved levels under a changed rect, each from the level above. */
  private updateMips(id: LayerId, layer: Layer, rect: PixelRect): void {
    let source: Surface = layer;
    let r = rect;
    for (const mip of layer.mips) {
      const d = halfRect(r, source.canvas.width, source.canvas.height);
      const sx = 2 * d.x;
      const sy = 2 * d.y;
      // The image averages (smoothing); labels keep exact class colours.
      mip.ctx.imageSmoothingEnabled = id === 'image';
      mip.ctx.clearRect(d.x, d.y, d.width, d.height);
      mip.ctx.drawImage(source.canvas, sx, sy, Math.min(2 * d.width, source.canvas.width - sx), Math.min(2 * d.height, source.canvas.height - sy), d.x, d.y, d.width, d.height);
      source = mip;
      r = d;
    }
  }

  /** Shows a heat map of `region` whose pixels are `rgba` at width x height (drawn scaled onto the region). */
  setHeat(rgba: Uint8ClampedArray, width: number, height: number, region: PixelRect): void {
    if (rgba.length !== width * height * 4) return;
    let canvas = this.heat?.canvas;
    if (!canvas) canvas = document.createElement('canvas');
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    }
    canvas.getContext('2d')?.putImageData(new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, width, height), 0, 0);
    this.heat = { canvas, region };
  }

  has(id: LayerId): boolean {
    return this.layers.has(id);
  }

  /** Draws the visible part of the layers onto a screen canvas (ctx in CSS pixels). */
  draw(ctx: CanvasRenderingContext2D, view: View, viewWidth: number, viewHeight: number, options: DrawOptions): void {
    // Zoomed out, from a halved level: a level-l pixel is 2^l image pixels.
    const level = mipLevelFor(view.scale, mipSizes(this.width, this.height).length);
    const k = 2 ** level;
    const size = level === 0 ? { width: this.width, height: this.height } : mipSizes(this.width, this.height)[level - 1];
    const region = visibleRegion({ scale: view.scale * k, tx: view.tx, ty: view.ty }, size.width, size.height, viewWidth, viewHeight);
    if (!region) return;
    const { sx, sy, sw, sh, dx, dy, dw, dh } = region;
    const surface = (layer: Layer): Surface => (level === 0 ? layer : layer.mips[level - 1]);
    // Zoomed out, smoothing reads better for the image; labels and weights always stay crisp pixels.
    ctx.imageSmoothingEnabled = view.scale < 1;
    const image = this.layers.get('image');
    if (image) ctx.drawImage(surface(image).canvas, sx, sy, sw, sh, dx, dy, dw, dh);
    ctx.imageSmoothingEnabled = false;
    const labels = this.layers.get('labels');
    if (labels && options.showLabels && options.labelOpacity > 0) {
      ctx.globalAlpha = options.labelOpacity;
      ctx.drawImage(surface(labels).canvas, sx, sy, sw, sh, dx, dy, dw, dh);
    }
    const heat = this.heat;
    if (heat && options.showHeat && options.heatOpacity > 0) {
      const r = heat.region;
      ctx.globalAlpha = options.heatOpacity;
      // Where the heat map's region is now (after a pan or zoom it is redrawn for the new view).
      ctx.drawImage(heat.canvas, 0, 0, heat.canvas.width, heat.canvas.height, view.tx + r.x * view.scale, view.ty + r.y * view.scale, r.width * view.scale, r.height * view.scale);
    }
    ctx.globalAlpha = 1;
  }

  private layer(id: LayerId): Layer {
    let layer = this.layers.get(id);
    if (!layer) {
      layer = { ...surface(this.width, this.height), mips: mipSizes(this.width, this.height).map((s) => surface(s.width, s.height)) };
      this.layers.set(id, layer);
    }
    return layer;
  }
}

function surface(width: number, height: number): Surface {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: false });
  if (!ctx) throw new Error(`this browser cannot create a ${width}x${height} canvas`);
  return { canvas, ctx };
}

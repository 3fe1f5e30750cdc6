import type { PixelRect } from '../annotate/label-maps';
import { visibleRegion, type View } from './viewport';

export type LayerId = 'image' | 'labels';

interface Layer {
  canvas: HTMLCanvasElement;
  ctx: CanvasRenderingContext2D;
  data: ImageData;
}

export interface DrawOptions {
  showLabels: boolean;
  labelOpacity: number;
  showHeat: boolean;
  heatOpacity: number;
}

/**
 * Full-resolution offscreen canvases of the contrast-mapped image and the label overlay, and the
 * weight heat map of a region at its own resolution. Pixel changes go into each layer's ImageData and
 * are pushed for the changed rectangle only; each frame draws just the visible part of every layer at
 * the current zoom, so painting on a 4096x4096 image costs what the screen shows, not what the image holds.
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

  /** The layer's RGBA pixels; write into them, then call `commit`. */
  pixels(id: LayerId): Uint8ClampedArray {
    return this.layer(id).data.data;
  }

  /** Pushes the layer's pixels inside `rect` (all when omitted) to its canvas. */
  commit(id: LayerId, rect?: PixelRect): void {
    const layer = this.layer(id);
    if (!rect) layer.ctx.putImageData(layer.data, 0, 0);
    else if (rect.width > 0 && rect.height > 0) layer.ctx.putImageData(layer.data, 0, 0, rect.x, rect.y, rect.width, rect.height);
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
    const region = visibleRegion(view, this.width, this.height, viewWidth, viewHeight);
    if (!region) return;
    const { sx, sy, sw, sh, dx, dy, dw, dh } = region;
    // Zoomed out, smoothing reads better for the image; labels and weights always stay crisp pixels.
    ctx.imageSmoothingEnabled = view.scale < 1;
    const image = this.layers.get('image');
    if (image) ctx.drawImage(image.canvas, sx, sy, sw, sh, dx, dy, dw, dh);
    ctx.imageSmoothingEnabled = false;
    const labels = this.layers.get('labels');
    if (labels && options.showLabels && options.labelOpacity > 0) {
      ctx.globalAlpha = options.labelOpacity;
      ctx.drawImage(labels.canvas, sx, sy, sw, sh, dx, dy, dw, dh);
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
      const canvas = document.createElement('canvas');
      canvas.width = this.width;
      canvas.height = this.height;
      const ctx = canvas.getContext('2d', { willReadFrequently: false });
      if (!ctx) throw new Error('this browser cannot create a 2D canvas of the image size');
      layer = { canvas, ctx, data: ctx.createImageData(this.width, this.height) };
      this.layers.set(id, layer);
    }
    return layer;
  }
}

import type { ImagePixels } from '../../../../src-shared/contract/records';
import type { ContrastWindow } from '../viewer/contrast';
import { renderDisplayRows, type ChannelChoice } from '../viewer/display-image';
import { LayerCanvases } from '../viewer/layer-canvases';
import type { LabelMaps, PixelRect } from './label-maps';
import { renderLabelOverlay } from './overlay-render';
import type { HeatView } from '../weightmap/weight-view';

/**
 * The annotation canvas's layers and its frame scheduling: layer updates push only what changed, and
 * any number of requests within one frame produce one redraw on the next animation frame.
 */
/** A lower-resolution picture of the whole image (width x height), drawn until the image layer is painted. */
export interface Overview {
  canvas: HTMLCanvasElement;
  width: number;
  height: number;
}

export class CanvasFrame {
  layers: LayerCanvases | null = null;
  private overview: Overview | null = null;
  private raf = 0;
  private heatPending = false;

  constructor(
    private readonly paint: (layers: LayerCanvases | null, overview: Overview | null) => void,
    /** Called after the frame that first shows a new heat map. */
    private readonly onHeatShown: () => void,
  ) {}

  /** Layers of the image size (new ones when the size changed); true when they were replaced. */
  ensureSize(width: number, height: number): boolean {
    if (this.layers && this.layers.width === width && this.layers.height === height) return false;
    this.layers = new LayerCanvases(width, height);
    return true;
  }

  /** Shows a stored level (ImagePixels of a smaller size whose `region` is the whole image) until the image is painted. */
  showOverview(level: ImagePixels, channel: ChannelChoice, window: ContrastWindow): void {
    const canvas = document.createElement('canvas');
    canvas.width = level.width;
    canvas.height = level.height;
    const data = new ImageData(level.width, level.height);
    renderDisplayRows(level, channel, window, 0, level.height, data.data);
    canvas.getContext('2d')?.putImageData(data, 0, 0);
    this.overview = { canvas, width: level.region.width, height: level.region.height };
    this.requestDraw();
  }

  clearOverview(): void {
    this.overview = null;
    this.requestDraw();
  }

  showImage(pixels: ImagePixels, channel: ChannelChoice, window: ContrastWindow): void {
    const layers = this.layers;
    if (!layers || pixels.width !== layers.width || pixels.height !== layers.height) return;
    layers.paint('image', (out, band) => renderDisplayRows(pixels, channel, window, band.y, band.y + band.height, out));
    this.requestDraw();
  }

  /** Redraws the label overlay in `rect` (the whole image when omitted). */
  showLabels(maps: LabelMaps, colors: Uint8Array, outlines: boolean, rect?: PixelRect): void {
    const layers = this.layers;
    if (!layers || maps.width !== layers.width || maps.height !== layers.height) return;
    layers.paint('labels', (out, band) => renderLabelOverlay(maps, colors, band, out, outlines, 'rect'), rect);
    this.requestDraw();
  }

  /** Shows a heat map of the image (width x height) drawn for `view`'s region at its resolution. */
  showHeat(rgba: Uint8ClampedArray, width: number, height: number, view: HeatView): void {
    const layers = this.layers;
    if (!layers || width !== layers.width || height !== layers.height) return;
    layers.setHeat(rgba, view.outWidth, view.outHeight, view.region);
    this.heatPending = true;
    this.requestDraw();
  }

  requestDraw(): void {
    if (this.raf === 0) this.raf = requestAnimationFrame(() => this.draw());
  }

  dispose(): void {
    cancelAnimationFrame(this.raf);
    this.raf = 0;
  }

  private draw(): void {
    this.raf = 0;
    this.paint(this.layers, this.overview);
    if (this.heatPending) {
      this.heatPending = false;
      this.onHeatShown();
    }
  }
}

import { fitView, panBy, zoomAt, zoomTo, type View } from './viewport';

/** The viewer's current pan/zoom and viewport size, with the operations the UI offers. */
export class Camera {
  view = $state<View>({ scale: 1, tx: 0, ty: 0 });
  viewWidth = $state(1);
  viewHeight = $state(1);
  imageWidth = $state(1);
  imageHeight = $state(1);
  /** While true the view follows the viewport size (until the user zooms or pans). */
  fitted = $state(true);

  setImage(width: number, height: number): void {
    const changed = width !== this.imageWidth || height !== this.imageHeight;
    this.imageWidth = width;
    this.imageHeight = height;
    if (changed) this.fit();
  }

  resize(width: number, height: number): void {
    if (width === this.viewWidth && height === this.viewHeight) return;
    const dx = (width - this.viewWidth) / 2;
    const dy = (height - this.viewHeight) / 2;
    this.viewWidth = Math.max(1, width);
    this.viewHeight = Math.max(1, height);
    if (this.fitted) this.fit();
    else this.view = panBy(this.view, dx, dy);
  }

  fit(): void {
    this.view = fitView(this.imageWidth, this.imageHeight, this.viewWidth, this.viewHeight);
    this.fitted = true;
  }

  /** 1:1 (one image pixel per screen pixel) around the viewport centre. */
  actualSize(): void {
    this.view = zoomTo(this.view, 1, this.viewWidth / 2, this.viewHeight / 2);
    this.fitted = false;
  }

  zoomAt(factor: number, sx = this.viewWidth / 2, sy = this.viewHeight / 2): void {
    this.view = zoomAt(this.view, factor, sx, sy);
    this.fitted = false;
  }

  pan(dx: number, dy: number): void {
    this.view = panBy(this.view, dx, dy);
    this.fitted = false;
  }
}

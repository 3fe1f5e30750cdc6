/**
 * Pan/zoom geometry of the image viewer. A view maps image pixel coordinates to screen (CSS) pixels:
 * screen = image * scale + (tx, ty). All functions are pure; the component keeps the current view.
 */
export interface View {
  scale: number;
  tx: number;
  ty: number;
}

export const MIN_SCALE = 1 / 64;
export const MAX_SCALE = 64;

export function clampScale(scale: number): number {
  return Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale));
}

export function screenToImage(view: View, sx: number, sy: number): { x: number; y: number } {
  return { x: (sx - view.tx) / view.scale, y: (sy - view.ty) / view.scale };
}

export function imageToScreen(view: View, x: number, y: number): { x: number; y: number } {
  return { x: x * view.scale + view.tx, y: y * view.scale + view.ty };
}

/** Zooms by `factor` keeping the image point under the screen point (sx, sy) where it is. */
export function zoomAt(view: View, factor: number, sx: number, sy: number): View {
  const scale = clampScale(view.scale * factor);
  const k = scale / view.scale;
  return { scale, tx: sx - (sx - view.tx) * k, ty: sy - (sy - view.ty) * k };
}

/** Sets an absolute scale around a screen point (e.g. 1:1 around the view's centre). */
export function zoomTo(view: View, scale: number, sx: number, sy: number): View {
  return zoomAt(view, clampScale(scale) / view.scale, sx, sy);
}

export function panBy(view: View, dx: number, dy: number): View {
  return { scale: view.scale, tx: view.tx + dx, ty: view.ty + dy };
}

/** The whole image centred in the viewport, with a small margin. */
export function fitView(imageWidth: number, imageHeight: number, viewWidth: number, viewHeight: number, margin = 16): View {
  const availW = Math.max(1, viewWidth - 2 * margin);
  const availH = Math.max(1, viewHeight - 2 * margin);
  const scale = clampScale(Math.min(availW / imageWidth, availH / imageHeight));
  return { scale, tx: (viewWidth - imageWidth * scale) / 2, ty: (viewHeight - imageHeight * scale) / 2 };
}

/** Part of the image to draw, in whole source pixels, and where it lands on screen. */
export interface DrawRegion {
  sx: number;
  sy: number;
  sw: number;
  sh: number;
  dx: number;
  dy: number;
  dw: number;
  dh: number;
}

/**
 * The visible part of the image, expanded to whole pixels so that drawing it with smoothing off puts
 * every image pixel exactly where the view says; null when nothing of the image is on screen.
 */
export function visibleRegion(view: View, imageWidth: number, imageHeight: number, viewWidth: number, viewHeight: number): DrawRegion | null {
  const topLeft = screenToImage(view, 0, 0);
  const bottomRight = screenToImage(view, viewWidth, viewHeight);
  const sx = Math.max(0, Math.floor(topLeft.x));
  const sy = Math.max(0, Math.floor(topLeft.y));
  const ex = Math.min(imageWidth, Math.ceil(bottomRight.x));
  const ey = Math.min(imageHeight, Math.ceil(bottomRight.y));
  if (ex <= sx || ey <= sy) return null;
  const d = imageToScreen(view, sx, sy);
  return { sx, sy, sw: ex - sx, sh: ey - sy, dx: d.x, dy: d.y, dw: (ex - sx) * view.scale, dh: (ey - sy) * view.scale };
}

/** Zoom factor for one wheel event: smooth for trackpads, one notch ~ x1.2 for mice. */
export function wheelZoomFactor(deltaY: number, deltaMode: number): number {
  const pixels = deltaMode === 1 ? deltaY * 16 : deltaMode === 2 ? deltaY * 400 : deltaY;
  return Math.pow(1.2, -pixels / 100);
}

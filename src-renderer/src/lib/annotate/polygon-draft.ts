import type { Point } from './raster';

/** Screen distance within which a click on the first vertex closes the polygon. */
export const CLOSE_RADIUS_PX = 8;
/** A press that moves farther than this (screen px) draws a freehand lasso instead of adding a vertex. */
export const LASSO_THRESHOLD_PX = 4;

/**
 * The polygon being drawn: vertices added by clicks (closed by Enter, a double-click or a click on the
 * first vertex) or traced by dragging (a lasso, closed on release). Coordinates are image pixels.
 */
export class PolygonDraft {
  vertices: Point[] = [];
  lasso = false;
  private pressAt: { x: number; y: number } | null = null;

  get active(): boolean {
    return this.vertices.length > 0;
  }

  /** Pointer pressed at image point p (screen point s). Returns the vertices when this press closes the polygon. */
  press(p: Point, s: { x: number; y: number }, toScreen: (p: Point) => { x: number; y: number }): Point[] | null {
    if (this.vertices.length >= 3) {
      const first = toScreen(this.vertices[0]);
      if (Math.hypot(first.x - s.x, first.y - s.y) <= CLOSE_RADIUS_PX) return this.close();
    }
    this.pressAt = s;
    this.lasso = false;
    this.vertices.push(p);
    return null;
  }

  /** Pointer moved while pressed: past the threshold, the press becomes a lasso traced through p. */
  drag(p: Point, s: { x: number; y: number }): void {
    if (!this.pressAt) return;
    if (!this.lasso && Math.hypot(s.x - this.pressAt.x, s.y - this.pressAt.y) > LASSO_THRESHOLD_PX) this.lasso = true;
    if (this.lasso) {
      const last = this.vertices[this.vertices.length - 1];
      if (!last || Math.hypot(last.x - p.x, last.y - p.y) >= 0.5) this.vertices.push(p);
    }
  }

  /** Pointer released: a lasso closes here. */
  release(): Point[] | null {
    this.pressAt = null;
    return this.lasso ? this.close() : null;
  }

  /** Closes the polygon (null when it has fewer than 3 vertices). */
  close(): Point[] | null {
    const vertices = this.vertices;
    this.cancel();
    return vertices.length >= 3 ? vertices : null;
  }

  cancel(): void {
    this.vertices = [];
    this.lasso = false;
    this.pressAt = null;
  }
}

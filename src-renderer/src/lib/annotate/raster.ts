/**
 * Rasterisation of the painting tools on a width x height pixel grid. Every function reports the pixel
 * indices (y * width + x) it covers through `visit`, clipped to the grid, so callers can record stroke
 * diffs without allocating per-pixel objects. A pixel is covered when its centre (x + 0.5, y + 0.5) is.
 */
export type PixelVisitor = (index: number) => void;

export interface Point {
  x: number;
  y: number;
}

/**
 * The centre of a brush of `size` pixels (diameter) at image position (x, y), snapped so that odd sizes
 * centre on a pixel and even sizes on a pixel corner: size 1 is exactly one pixel, size 2 a 2x2 block.
 */
export function brushCentre(x: number, y: number, size: number): Point {
  const odd = Math.round(size) % 2 === 1;
  return odd ? { x: Math.floor(x) + 0.5, y: Math.floor(y) + 0.5 } : { x: Math.round(x), y: Math.round(y) };
}

/** A disc of diameter `size` centred at a snapped brush centre. */
export function stampDisc(cx: number, cy: number, size: number, width: number, height: number, visit: PixelVisitor): void {
  const r = Math.max(0.5, size / 2);
  const r2 = r * r;
  const x0 = Math.max(0, Math.ceil(cx - r - 0.5));
  const x1 = Math.min(width - 1, Math.floor(cx + r - 0.5));
  const y0 = Math.max(0, Math.ceil(cy - r - 0.5));
  const y1 = Math.min(height - 1, Math.floor(cy + r - 0.5));
  for (let y = y0; y <= y1; y++) {
    const dy = y + 0.5 - cy;
    for (let x = x0; x <= x1; x++) {
      const dx = x + 0.5 - cx;
      if (dx * dx + dy * dy <= r2 + 1e-9) visit(y * width + x);
    }
  }
}

/** Bresenham's line between two pixels, both ends included (8-connected, no gaps). */
export function bresenhamLine(x0: number, y0: number, x1: number, y1: number, width: number, height: number, visit: PixelVisitor): void {
  x0 = Math.floor(x0);
  y0 = Math.floor(y0);
  x1 = Math.floor(x1);
  y1 = Math.floor(y1);
  const dx = Math.abs(x1 - x0);
  const dy = -Math.abs(y1 - y0);
  const sx = x0 < x1 ? 1 : -1;
  const sy = y0 < y1 ? 1 : -1;
  let err = dx + dy;
  for (;;) {
    if (x0 >= 0 && y0 >= 0 && x0 < width && y0 < height) visit(y0 * width + x0);
    if (x0 === x1 && y0 === y1) return;
    const e2 = 2 * err;
    if (e2 >= dy) {
      err += dy;
      x0 += sx;
    }
    if (e2 <= dx) {
      err += dx;
      y0 += sy;
    }
  }
}

/**
 * A brush moved in a straight line from a to b (image coordinates): every pixel whose centre lies within
 * size/2 of the segment between the two snapped centres (a capsule). Size 1 uses Bresenham so the line
 * never breaks up. Pixels may be visited more than once only by the caller's successive segments.
 */
export function brushSegment(a: Point, b: Point, size: number, width: number, height: number, visit: PixelVisitor): void {
  if (size <= 1) {
    bresenhamLine(a.x, a.y, b.x, b.y, width, height, visit);
    return;
  }
  const p = brushCentre(a.x, a.y, size);
  const q = brushCentre(b.x, b.y, size);
  const r = size / 2;
  const r2 = r * r + 1e-9;
  const vx = q.x - p.x;
  const vy = q.y - p.y;
  const len2 = vx * vx + vy * vy;
  if (len2 === 0) {
    stampDisc(p.x, p.y, size, width, height, visit);
    return;
  }
  const x0 = Math.max(0, Math.ceil(Math.min(p.x, q.x) - r - 0.5));
  const x1 = Math.min(width - 1, Math.floor(Math.max(p.x, q.x) + r - 0.5));
  const y0 = Math.max(0, Math.ceil(Math.min(p.y, q.y) - r - 0.5));
  const y1 = Math.min(height - 1, Math.floor(Math.max(p.y, q.y) + r - 0.5));
  for (let y = y0; y <= y1; y++) {
    const py = y + 0.5 - p.y;
    for (let x = x0; x <= x1; x++) {
      const px = x + 0.5 - p.x;
      let t = (px * vx + py * vy) / len2;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const ex = px - t * vx;
      const ey = py - t * vy;
      if (ex * ex + ey * ey <= r2) visit(y * width + x);
    }
  }
}

/**
 * 4-connected flood fill from (x, y) over the pixels for which `same(index)` holds (typically: equal class
 * and instance to the seed). Scanline algorithm with an explicit stack: no recursion, so a 4096x4096 region
 * cannot overflow the call stack. Each pixel is visited once.
 */
export function floodFill4(x: number, y: number, width: number, height: number, same: (index: number) => boolean, visit: PixelVisitor): number {
  x = Math.floor(x);
  y = Math.floor(y);
  if (x < 0 || y < 0 || x >= width || y >= height) return 0;
  const seed = y * width + x;
  if (!same(seed)) return 0;
  const done = new Uint8Array(width * height);
  const stack: number[] = [seed];
  let count = 0;
  while (stack.length > 0) {
    const start = stack.pop()!;
    if (done[start]) continue;
    const row = Math.floor(start / width) * width;
    let left = start;
    while (left > row && !done[left - 1] && same(left - 1)) left--;
    let right = start;
    while (right < row + width - 1 && !done[right + 1] && same(right + 1)) right++;
    for (let i = left; i <= right; i++) {
      done[i] = 1;
      visit(i);
      count++;
    }
    // Seed the rows above and below once per run of fillable pixels.
    for (const neighbourRow of [row - width, row + width]) {
      if (neighbourRow < 0 || neighbourRow >= width * height) continue;
      let inRun = false;
      for (let i = left; i <= right; i++) {
        const j = i - row + neighbourRow;
        const fillable = !done[j] && same(j);
        if (fillable && !inRun) stack.push(j);
        inRun = fillable;
      }
    }
  }
  return count;
}

/**
 * Even-odd scanline fill of a closed polygon (vertices in image coordinates, closed implicitly). A pixel is
 * inside when its centre is; edges use the half-open rule, so two polygons sharing an edge never both
 * cover a pixel on it.
 */
export function fillPolygon(vertices: readonly Point[], width: number, height: number, visit: PixelVisitor): number {
  const n = vertices.length;
  if (n < 3) return 0;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const v of vertices) {
    minY = Math.min(minY, v.y);
    maxY = Math.max(maxY, v.y);
  }
  const yStart = Math.max(0, Math.ceil(minY - 0.5));
  const yEnd = Math.min(height - 1, Math.floor(maxY - 0.5));
  const crossings: number[] = [];
  let count = 0;
  for (let y = yStart; y <= yEnd; y++) {
    const sy = y + 0.5;
    crossings.length = 0;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const a = vertices[j];
      const b = vertices[i];
      // Half-open in y: an edge counts when sy is in [min, max).
      if ((a.y <= sy && b.y > sy) || (b.y <= sy && a.y > sy)) {
        crossings.push(a.x + ((sy - a.y) / (b.y - a.y)) * (b.x - a.x));
      }
    }
    crossings.sort((p, q) => p - q);
    for (let k = 0; k + 1 < crossings.length; k += 2) {
      // Pixels whose centre x + 0.5 lies in [left, right).
      const x0 = Math.max(0, Math.ceil(crossings[k] - 0.5));
      const x1 = Math.min(width - 1, Math.ceil(crossings[k + 1] - 0.5) - 1);
      for (let x = x0; x <= x1; x++) {
        visit(y * width + x);
        count++;
      }
    }
  }
  return count;
}

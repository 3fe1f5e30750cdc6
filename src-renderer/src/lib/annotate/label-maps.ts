/**
 * The two maps painted together for one image: a class map (0 = unlabeled, 1 = background, 2.. =
 * classes) and an instance map (0 = none, 1.. = one id per object), row-major, width * height each.
 */
export interface LabelMaps {
  width: number;
  height: number;
  classMap: Uint8Array;
  instanceMap: Uint32Array;
}

/** An axis-aligned pixel rectangle; an empty one has width or height 0. */
export interface PixelRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function createLabelMaps(width: number, height: number): LabelMaps {
  return { width, height, classMap: new Uint8Array(width * height), instanceMap: new Uint32Array(width * height) };
}

/** Largest instance id in use, so that a new object can take the next one. */
export function maxInstanceId(instanceMap: Uint32Array): number {
  let max = 0;
  for (let i = 0; i < instanceMap.length; i++) if (instanceMap[i] > max) max = instanceMap[i];
  return max;
}

/** Bounding rectangle of a list of pixel indices (empty rect for an empty list). */
export function boundsOfIndices(indices: ArrayLike<number>, width: number): PixelRect {
  if (indices.length === 0) return { x: 0, y: 0, width: 0, height: 0 };
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    const y = Math.floor(i / width);
    const x = i - y * width;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 };
}

/** Smallest rectangle holding both (an empty rect is neutral). */
export function unionRect(a: PixelRect, b: PixelRect): PixelRect {
  if (a.width === 0 || a.height === 0) return b;
  if (b.width === 0 || b.height === 0) return a;
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, width: Math.max(a.x + a.width, b.x + b.width) - x, height: Math.max(a.y + a.height, b.y + b.height) - y };
}

/** The rect grown by `margin` pixels on every side and clipped to the image. */
export function growRect(rect: PixelRect, margin: number, width: number, height: number): PixelRect {
  if (rect.width === 0 || rect.height === 0) return rect;
  const x = Math.max(0, rect.x - margin);
  const y = Math.max(0, rect.y - margin);
  return { x, y, width: Math.min(width, rect.x + rect.width + margin) - x, height: Math.min(height, rect.y + rect.height + margin) - y };
}

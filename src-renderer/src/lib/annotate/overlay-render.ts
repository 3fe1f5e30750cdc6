import type { LabelMaps, PixelRect } from './label-maps';

/**
 * Paints the label overlay for `rect` into an RGBA buffer that covers the whole image, or (`outCovers`
 * 'rect') just `rect`: each labelled pixel in its class colour, unlabeled pixels transparent. With
 * `outlines`, pixels on the border between two different objects (or an object and non-object) are
 * lightened, so touching cells of one class stay visibly apart. Borders depend on neighbours: callers
 * redraw a changed region grown by one pixel.
 */
export function renderLabelOverlay(maps: LabelMaps, colors: Uint8Array, rect: PixelRect, out: Uint8ClampedArray, outlines: boolean, outCovers: 'image' | 'rect' = 'image'): void {
  const { width, height, classMap, instanceMap } = maps;
  const x1 = Math.min(width, rect.x + rect.width);
  const y1 = Math.min(height, rect.y + rect.height);
  const local = outCovers === 'rect';
  for (let y = Math.max(0, rect.y); y < y1; y++) {
    let i = y * width + Math.max(0, rect.x);
    let o = local ? ((y - rect.y) * rect.width + Math.max(0, rect.x) - rect.x) * 4 : i * 4;
    for (let x = Math.max(0, rect.x); x < x1; x++, i++, o += 4) {
      const c = classMap[i];
      if (c === 0) {
        out[o + 3] = 0;
        continue;
      }
      const t = c * 4;
      let r = colors[t];
      let g = colors[t + 1];
      let b = colors[t + 2];
      const id = instanceMap[i];
      if (outlines && id !== 0 && isObjectBorder(instanceMap, i, x, y, width, height, id)) {
        r = (r + 2 * 255) / 3;
        g = (g + 2 * 255) / 3;
        b = (b + 2 * 255) / 3;
      }
      out[o] = r;
      out[o + 1] = g;
      out[o + 2] = b;
      out[o + 3] = colors[t + 3];
    }
  }
}

function isObjectBorder(instanceMap: Uint32Array, i: number, x: number, y: number, width: number, height: number, id: number): boolean {
  return (
    (x > 0 && instanceMap[i - 1] !== id) ||
    (x < width - 1 && instanceMap[i + 1] !== id) ||
    (y > 0 && instanceMap[i - width] !== id) ||
    (y < height - 1 && instanceMap[i + width] !== id)
  );
}

import { describe, expect, it } from 'vitest';
import { outlinePolygons, traceObjectOutlines } from '../../../src-shared/imaging/contour-trace';
import { fillPolygonRings } from '../../../src-shared/imaging/polygon-fill';
import { createRng } from '../../../src-shared/imaging/rng';
import { generateBlobImage } from '../../helpers/synthetic-blobs';

/** A label image from rows of characters: '.' = 0, '1'..'9' = labels. */
function picture(rows: string[]): { labels: Uint16Array; width: number; height: number } {
  const width = rows[0].length;
  const labels = new Uint16Array(width * rows.length);
  rows.forEach((row, y) => [...row].forEach((c, x) => (labels[y * width + x] = c === '.' ? 0 : Number(c))));
  return { labels, width, height: rows.length };
}

/** Re-rasterises every object's rings and checks it gives back exactly its pixels. */
function expectExactRefill(labels: ArrayLike<number>, width: number, height: number) {
  const outlines = traceObjectOutlines(labels as Uint16Array, width, height);
  for (const o of outlines) {
    const mask = new Uint8Array(width * height);
    const filled = fillPolygonRings(o.rings.map((r) => r.points), mask, width, height, 1);
    let wrong = 0;
    for (let i = 0; i < mask.length; i++) if ((mask[i] === 1) !== (labels[i] === o.label)) wrong++;
    expect(wrong, `label ${o.label}`).toBe(0);
    expect(filled).toBe(o.area);
  }
  return outlines;
}

describe('traceObjectOutlines', () => {
  it('gives a rectangle four corners, clockwise on screen, with its pixel area', () => {
    const { labels, width, height } = picture(['.....', '.111.', '.111.', '.....']);
    const [o] = traceObjectOutlines(labels, width, height);
    expect(o.label).toBe(1);
    expect(o.area).toBe(6);
    expect(o.bounds).toEqual({ left: 1, top: 1, right: 4, bottom: 3 });
    expect(o.rings).toHaveLength(1);
    expect(Array.from(o.rings[0].points)).toEqual([4, 1, 4, 3, 1, 3, 1, 1]);
    expect(o.rings[0].signedArea).toBe(6);
  });

  it('keeps a hole as a negative ring inside its outer ring', () => {
    const { labels, width, height } = picture(['11111', '1...1', '1.1.1', '1...1', '11111']);
    const outlines = expectExactRefill(labels, width, height);
    expect(outlines).toHaveLength(1);
    const rings = outlines[0].rings.map((r) => r.signedArea).sort((a, b) => a - b);
    // The centre pixel is an island of the same label inside the hole: outer 25, hole -9, island 1.
    expect(rings).toEqual([-9, 1, 25]);
    const polygons = outlinePolygons(outlines[0]);
    expect(polygons.map((p) => [p.outer.signedArea, p.holes.map((h) => h.signedArea)])).toEqual([[1, []], [25, [-9]]]);
  });

  it('keeps touching objects apart, each with its own outline along the shared border', () => {
    const { labels, width, height } = picture(['1122', '1122', '3322', '33..']);
    const outlines = expectExactRefill(labels, width, height);
    expect(outlines.map((o) => [o.label, o.area, o.rings.length])).toEqual([[1, 4, 1], [2, 6, 1], [3, 4, 1]]);
    // Label 1 and 2 share the edge x = 2 from y = 0 to 2: both rings have it.
    expect(Array.from(outlines[0].rings[0].points)).toEqual([2, 0, 2, 2, 0, 2, 0, 0]);
  });

  it('splits pixels of one label that touch only at a corner into separate rings', () => {
    const { labels, width, height } = picture(['1.', '.1']);
    const [o] = expectExactRefill(labels, width, height);
    expect(o.rings.map((r) => r.signedArea)).toEqual([1, 1]);
    expect(outlinePolygons(o)).toHaveLength(2);
  });

  it('gives back every object exactly on random label images and on touching blobs', () => {
    const rng = createRng(7);
    for (let trial = 0; trial < 20; trial++) {
      const width = 3 + rng.int(20);
      const height = 3 + rng.int(20);
      const labels = new Uint16Array(width * height);
      for (let i = 0; i < labels.length; i++) labels[i] = rng.next() < 0.35 ? 0 : 1 + rng.int(4);
      expectExactRefill(labels, width, height);
    }
    const blobs = generateBlobImage(5, { width: 128, height: 96, count: 12, radius: 9, touching: true });
    const outlines = expectExactRefill(blobs.instanceMap, blobs.width, blobs.height);
    expect(outlines.length).toBeGreaterThanOrEqual(10);
  });

  it('refuses a label image of the wrong size and negative labels', () => {
    expect(() => traceObjectOutlines(new Uint16Array(5), 2, 2)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => traceObjectOutlines(Int32Array.from([0, -1, 1, 0]), 2, 2)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('fillPolygonRings', () => {
  it('fills by pixel centres and the even-odd rule', () => {
    const mask = new Uint8Array(16);
    // A 4 x 4 square with a 2 x 2 square hole in the middle.
    const filled = fillPolygonRings([[0, 0, 4, 0, 4, 4, 0, 4], [1, 1, 3, 1, 3, 3, 1, 3]], mask, 4, 4, 7);
    expect(filled).toBe(12);
    expect(Array.from(mask)).toEqual([7, 7, 7, 7, 7, 0, 0, 7, 7, 0, 0, 7, 7, 7, 7, 7]);
    expect(() => fillPolygonRings([[0, 0, 1, 1]], mask, 4, 4, 1)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

import { describe, expect, it } from 'vitest';
import { bresenhamLine, brushCentre, brushSegment, fillPolygon, floodFill4, stampDisc } from '../../../src-renderer/src/lib/annotate/raster';

function collect(width: number, height: number, draw: (visit: (i: number) => void) => void): Set<number> {
  const seen = new Set<number>();
  draw((i) => {
    expect(i).toBeGreaterThanOrEqual(0);
    expect(i).toBeLessThan(width * height);
    seen.add(i);
  });
  return seen;
}

/** The covered pixels drawn as rows of '#' and '.'. */
function picture(width: number, height: number, pixels: Set<number>): string[] {
  const rows: string[] = [];
  for (let y = 0; y < height; y++) {
    let row = '';
    for (let x = 0; x < width; x++) row += pixels.has(y * width + x) ? '#' : '.';
    rows.push(row);
  }
  return rows;
}

describe('brush disc', () => {
  it('size 1 is exactly the pixel under the pointer', () => {
    const c = brushCentre(3.7, 2.2, 1);
    expect(c).toEqual({ x: 3.5, y: 2.5 });
    expect([...collect(8, 8, (v) => stampDisc(c.x, c.y, 1, 8, 8, v))]).toEqual([2 * 8 + 3]);
  });

  it('size 2 is a 2x2 block around the nearest pixel corner', () => {
    const c = brushCentre(3.4, 2.6, 2);
    expect(c).toEqual({ x: 3, y: 3 });
    expect(picture(6, 6, collect(6, 6, (v) => stampDisc(c.x, c.y, 2, 6, 6, v)))).toEqual([
      '......',
      '......',
      '..##..',
      '..##..',
      '......',
      '......',
    ]);
  });

  it('size 5 is the 21-pixel digital disc', () => {
    const c = brushCentre(3.5, 3.5, 5);
    expect(picture(7, 7, collect(7, 7, (v) => stampDisc(c.x, c.y, 5, 7, 7, v)))).toEqual([
      '.......',
      '..###..',
      '.#####.',
      '.#####.',
      '.#####.',
      '..###..',
      '.......',
    ]);
  });

  it('is clipped at the image border', () => {
    const pixels = collect(4, 4, (v) => stampDisc(0.5, 0.5, 5, 4, 4, v));
    expect(picture(4, 4, pixels)).toEqual(['###.', '###.', '##..', '....']);
  });
});

describe('line between points', () => {
  it('Bresenham covers both ends without gaps', () => {
    const pixels = collect(8, 4, (v) => bresenhamLine(0, 0, 7, 3, 8, 4, v));
    expect(picture(8, 4, pixels)).toEqual(['##......', '..##....', '....##..', '......##']);
  });

  it('a size-1 brush segment is the Bresenham line', () => {
    const a = collect(10, 10, (v) => brushSegment({ x: 1.2, y: 8.9 }, { x: 8.1, y: 2.5 }, 1, 10, 10, v));
    const b = collect(10, 10, (v) => bresenhamLine(1, 8, 8, 2, 10, 10, v));
    expect(a).toEqual(b);
  });

  it('a wide segment is the capsule between the two discs', () => {
    const pixels = collect(10, 5, (v) => brushSegment({ x: 2.5, y: 2.5 }, { x: 7.5, y: 2.5 }, 3, 10, 5, v));
    expect(picture(10, 5, pixels)).toEqual(['..........', '.########.', '.########.', '.########.', '..........']);
  });

  it('a zero-length segment is one disc', () => {
    const seg = collect(9, 9, (v) => brushSegment({ x: 4.5, y: 4.5 }, { x: 4.5, y: 4.5 }, 5, 9, 9, v));
    const disc = collect(9, 9, (v) => stampDisc(4.5, 4.5, 5, 9, 9, v));
    expect(seg).toEqual(disc);
    expect(seg.size).toBe(21);
  });
});

describe('flood fill (4-connected)', () => {
  const grid = ['..#..', '..#..', '###..', '....#', '...#.'];
  const width = 5;
  const height = 5;
  const cells = grid.join('');
  const same = (i: number) => cells[i] === '.';

  it('fills the region of the seed and stops at walls', () => {
    const pixels = collect(width, height, (v) => floodFill4(0, 0, width, height, same, v));
    expect(picture(width, height, pixels)).toEqual(['##...', '##...', '.....', '.....', '.....']);
  });

  it('does not leak through diagonal gaps', () => {
    const pixels = collect(width, height, (v) => floodFill4(4, 4, width, height, same, v));
    expect([...pixels]).toEqual([24]);
  });

  it('fills a large region and counts each pixel once', () => {
    const visits: number[] = [];
    const count = floodFill4(4, 0, width, height, same, (i) => visits.push(i));
    expect(count).toBe(visits.length);
    expect(new Set(visits).size).toBe(visits.length);
    expect(picture(width, height, new Set(visits))).toEqual(['...##', '...##', '...##', '####.', '###..']);
  });

  it('returns 0 outside the image or on a wall', () => {
    expect(floodFill4(-1, 0, width, height, same, () => {})).toBe(0);
    expect(floodFill4(2, 0, width, height, same, () => {})).toBe(0);
  });

  it('copes with a 2048x2048 region without recursion', () => {
    let n = 0;
    floodFill4(5, 5, 2048, 2048, () => true, () => n++);
    expect(n).toBe(2048 * 2048);
  });
});

describe('polygon fill (scanline)', () => {
  it('an axis-aligned rectangle covers exactly its pixels', () => {
    const rect = [
      { x: 1, y: 1 },
      { x: 5, y: 1 },
      { x: 5, y: 4 },
      { x: 1, y: 4 },
    ];
    const pixels = collect(7, 6, (v) => fillPolygon(rect, 7, 6, v));
    expect(pixels.size).toBe(12);
    expect(picture(7, 6, pixels)).toEqual(['.......', '.####..', '.####..', '.####..', '.......', '.......']);
  });

  it('a right triangle covers the pixels whose centres are inside', () => {
    const tri = [
      { x: 0, y: 0 },
      { x: 4, y: 0 },
      { x: 0, y: 4 },
    ];
    expect(picture(4, 4, collect(4, 4, (v) => fillPolygon(tri, 4, 4, v)))).toEqual(['###.', '##..', '#...', '....']);
  });

  it('uses the even-odd rule for self-intersecting outlines and leaves holes of a ring', () => {
    // A square with a square hole, drawn as one outline through a zero-width cut.
    const ring = [
      { x: 0, y: 0 },
      { x: 6, y: 0 },
      { x: 6, y: 6 },
      { x: 0, y: 6 },
      { x: 0, y: 0 },
      { x: 2, y: 2 },
      { x: 2, y: 4 },
      { x: 4, y: 4 },
      { x: 4, y: 2 },
      { x: 2, y: 2 },
    ];
    const pixels = collect(6, 6, (v) => fillPolygon(ring, 6, 6, v));
    expect(picture(6, 6, pixels)).toEqual(['######', '######', '##..##', '##..##', '######', '######']);
  });

  it('two polygons sharing an edge never cover the same pixel', () => {
    const left = [
      { x: 0, y: 0 },
      { x: 3.3, y: 0 },
      { x: 2.7, y: 5 },
      { x: 0, y: 5 },
    ];
    const right = [
      { x: 3.3, y: 0 },
      { x: 6, y: 0 },
      { x: 6, y: 5 },
      { x: 2.7, y: 5 },
    ];
    const a = collect(6, 5, (v) => fillPolygon(left, 6, 5, v));
    const b = collect(6, 5, (v) => fillPolygon(right, 6, 5, v));
    for (const i of a) expect(b.has(i)).toBe(false);
    expect(a.size + b.size).toBe(30);
  });

  it('ignores degenerate input and clips to the image', () => {
    expect(fillPolygon([{ x: 0, y: 0 }, { x: 3, y: 3 }], 4, 4, () => {})).toBe(0);
    const big = [
      { x: -10, y: -10 },
      { x: 10, y: -10 },
      { x: 10, y: 10 },
      { x: -10, y: 10 },
    ];
    expect(collect(4, 3, (v) => fillPolygon(big, 4, 3, v)).size).toBe(12);
  });
});

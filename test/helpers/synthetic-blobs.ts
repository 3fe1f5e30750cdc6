import { createRng } from '../../src-shared/imaging/rng';

export interface BlobImageOptions {
  width: number;
  height: number;
  /** Number of cells. */
  count: number;
  /** Mean cell radius in pixels (each cell varies by +-25 % and is slightly elliptic). */
  radius: number;
  /** Place most cells against a neighbour, so that instances touch and need a separating border. */
  touching?: boolean;
  /** Std of the additive Gaussian noise (image values are roughly 0 background .. 1 cell). */
  noise?: number;
}

export interface BlobImage {
  /** One channel, row-major, roughly normalised (background ~0, cells ~0.7..1). */
  image: Float32Array;
  /** 1 = background, 2 = cell (no unlabeled pixels). */
  classMap: Uint8Array;
  /** 0 = background, 1..count = cell id. */
  instanceMap: Uint16Array;
  width: number;
  height: number;
}

interface Cell {
  x: number;
  y: number;
  r: number;
  /** Elongation and orientation of the ellipse. */
  ax: number;
  ay: number;
  angle: number;
}

/**
 * Images of bright, touching cells on a dark background, like fluorescence nuclei: each pixel belongs
 * to the cell whose (elliptic) distance is smallest, if that distance is below the cell's radius, so
 * touching cells meet along a straight border. The border is drawn slightly darker (a membrane), the cell
 * interior has a soft gradient, and Gaussian noise is added. Deterministic for a seed.
 */
export function generateBlobImage(seed: number, options: BlobImageOptions): BlobImage {
  const { width, height, count, radius } = options;
  const touching = options.touching ?? true;
  const noise = options.noise ?? 0.05;
  const rng = createRng(seed);
  const cells: Cell[] = [];
  for (let i = 0; i < count; i++) {
    const r = radius * rng.uniform(0.75, 1.25);
    const shape = { r, ax: rng.uniform(0.85, 1.15), ay: 1, angle: rng.uniform(0, Math.PI) };
    let placed: Cell | null = null;
    for (let attempt = 0; attempt < 50 && !placed; attempt++) {
      let x: number;
      let y: number;
      if (touching && cells.length > 0 && rng.next() < 0.7) {
        // Next to an existing cell, overlapping a little, so that the two meet along a border.
        const other = cells[rng.int(cells.length)];
        const d = (other.r + r) * rng.uniform(0.8, 0.95);
        const a = rng.uniform(0, 2 * Math.PI);
        x = other.x + d * Math.cos(a);
        y = other.y + d * Math.sin(a);
      } else {
        x = rng.uniform(r, width - r);
        y = rng.uniform(r, height - r);
      }
      if (x < r * 0.5 || y < r * 0.5 || x > width - r * 0.5 || y > height - r * 0.5) continue;
      // Do not swallow a cell: centres stay at least 0.75 of the larger radius apart.
      if (cells.some((c) => Math.hypot(c.x - x, c.y - y) < 0.75 * Math.max(c.r, r))) continue;
      placed = { x, y, ...shape };
    }
    if (placed) cells.push(placed);
  }

  const n = width * height;
  const image = new Float32Array(n);
  const classMap = new Uint8Array(n);
  const instanceMap = new Uint16Array(n);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let best = Infinity;
      let second = Infinity;
      let bestId = 0;
      for (let k = 0; k < cells.length; k++) {
        const d = ellipticDistance(cells[k], x, y);
        if (d < best) {
          second = best;
          best = d;
          bestId = k + 1;
        } else if (d < second) {
          second = d;
        }
      }
      const i = y * width + x;
      if (best < 1) {
        classMap[i] = 2;
        instanceMap[i] = bestId;
        // Brighter in the middle; darker where a neighbouring cell is almost as close (the shared border).
        const border = second < 1 ? Math.max(0, 1 - (second - best) * 6) : 0;
        image[i] = 0.7 + 0.3 * (1 - best * best) - 0.45 * border;
      } else {
        classMap[i] = 1;
        image[i] = 0.05 * Math.max(0, 1.5 - best);
      }
      image[i] += noise * rng.normal();
    }
  }
  return { image, classMap, instanceMap, width, height };
}

function ellipticDistance(c: Cell, x: number, y: number): number {
  const dx = x + 0.5 - c.x;
  const dy = y + 0.5 - c.y;
  const cos = Math.cos(c.angle);
  const sin = Math.sin(c.angle);
  const u = (dx * cos + dy * sin) / (c.r * c.ax);
  const v = (-dx * sin + dy * cos) / (c.r * c.ay);
  return Math.sqrt(u * u + v * v);
}

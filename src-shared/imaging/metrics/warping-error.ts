import { assertImageSize, assertLength } from '../validate';

/**
 * Warping error (Jain et al. 2010, used by ISBI 2012): the truth's binary foreground is warped towards the
 * prediction by flipping, one at a time, disagreeing pixels that are SIMPLE (their flip changes no topology:
 * no object split, merged, created, deleted, no hole opened or closed), until no disagreeing pixel is simple.
 * What still disagrees are topological errors; warping error = their count / pixel count.
 * Digital topology (4, 8): foreground objects 4-connected (as the objects of the Rand scoring), background
 * 8-connected; pixels outside the image count as background. A FIFO queue starting in raster order makes the
 * result deterministic; each pixel flips at most once, so the cost is linear in the image size.
 */
export interface WarpingResult {
  warpingError: number;
  /** Pixels still disagreeing after warping. */
  mismatches: number;
  /** The warped truth (1 = foreground). */
  warped: Uint8Array;
}

// Neighbours in circular order: (-1,-1) (0,-1) (1,-1) (1,0) (1,1) (0,1) (-1,1) (-1,0); bit k = neighbour k.
const DX = [-1, 0, 1, 1, 1, 0, -1, -1];
const DY = [-1, -1, -1, 0, 1, 1, 1, 0];

function components(config: number, member: boolean, adjacent: (a: number, b: number) => boolean, counts: (k: number) => boolean): number {
  const seen = new Uint8Array(8);
  let count = 0;
  for (let k = 0; k < 8; k++) {
    const isMember = ((config >> k) & 1) === 1;
    if (isMember !== member || seen[k]) continue;
    // Flood this component and see whether it qualifies.
    const stack = [k];
    seen[k] = 1;
    let qualifies = false;
    while (stack.length > 0) {
      const a = stack.pop() as number;
      if (counts(a)) qualifies = true;
      for (let b = 0; b < 8; b++) {
        if (seen[b] || (((config >> b) & 1) === 1) !== member || !adjacent(a, b)) continue;
        seen[b] = 1;
        stack.push(b);
      }
    }
    if (qualifies) count++;
  }
  return count;
}

const fourAdjacent = (a: number, b: number): boolean => Math.abs(DX[a] - DX[b]) + Math.abs(DY[a] - DY[b]) === 1;
const eightAdjacent = (a: number, b: number): boolean =>
  a !== b && Math.max(Math.abs(DX[a] - DX[b]), Math.abs(DY[a] - DY[b])) === 1;
const isFourNeighbour = (k: number): boolean => k % 2 === 1;

/** SIMPLE[config] = 1 when the centre pixel is simple for (4, 8) topology: T4(p, X) = 1 and T8(p, X̄) = 1. */
export const SIMPLE_POINT_4_8: Uint8Array = (() => {
  const table = new Uint8Array(256);
  for (let config = 0; config < 256; config++) {
    const t4 = components(config, true, fourAdjacent, isFourNeighbour);
    const t8bar = components(config, false, eightAdjacent, () => true);
    table[config] = t4 === 1 && t8bar === 1 ? 1 : 0;
  }
  return table;
})();

export function warpingError(
  pred: ArrayLike<number>,
  truth: ArrayLike<number>,
  width: number,
  height: number,
): WarpingResult {
  assertImageSize(width, height);
  const n = width * height;
  assertLength(pred, n, 'pred');
  assertLength(truth, n, 'truth');
  const target = new Uint8Array(n);
  const warped = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    target[i] = pred[i] !== 0 ? 1 : 0;
    warped[i] = truth[i] !== 0 ? 1 : 0;
  }
  const config = (x: number, y: number): number => {
    let c = 0;
    for (let k = 0; k < 8; k++) {
      const nx = x + DX[k];
      const ny = y + DY[k];
      if (nx >= 0 && ny >= 0 && nx < width && ny < height && warped[ny * width + nx] === 1) c |= 1 << k;
    }
    return c;
  };
  // Ring buffer queue; a pixel is queued at most once at a time.
  const queue = new Int32Array(n);
  const queued = new Uint8Array(n);
  let head = 0;
  let size = 0;
  const push = (i: number): void => {
    if (queued[i] || warped[i] === target[i]) return;
    queued[i] = 1;
    queue[(head + size) % n] = i;
    size++;
  };
  for (let i = 0; i < n; i++) push(i);
  while (size > 0) {
    const i = queue[head];
    head = (head + 1) % n;
    size--;
    queued[i] = 0;
    if (warped[i] === target[i]) continue;
    const x = i % width;
    const y = (i - x) / width;
    if (SIMPLE_POINT_4_8[config(x, y)] !== 1) continue;
    warped[i] = target[i];
    for (let k = 0; k < 8; k++) {
      const nx = x + DX[k];
      const ny = y + DY[k];
      if (nx >= 0 && ny >= 0 && nx < width && ny < height) push(ny * width + nx);
    }
  }
  let mismatches = 0;
  for (let i = 0; i < n; i++) if (warped[i] !== target[i]) mismatches++;
  return { warpingError: mismatches / n, mismatches, warped };
}

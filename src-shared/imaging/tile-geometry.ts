import { UnetError } from '../contract/errors';
import { assertImageSize, assertNonNegativeInt } from './validate';

export { mirrorIndex, extractMirroredTile } from './mirror';

/**
 * Geometry of a U-Net with unpadded 3x3 convolutions: `depth` 2x2 max-pool steps, two convs per level
 * (each removes 2 pixels), up-convolutions that double the size. 572 -> 388 at depth 4 (the paper).
 */

const MAX_DEPTH = 10;

function checkDepth(depth: number): void {
  assertNonNegativeInt(depth, 'depth');
  if (depth > MAX_DEPTH) throw new UnetError('INVALID_ARGUMENT', `depth must be <= ${MAX_DEPTH}, got ${depth}`);
}

/** Output size for `inputSize`, or -1 when some max-pool sees an odd size or a size drops to <= 0. */
function simulate(inputSize: number, depth: number): number {
  let s = inputSize;
  for (let level = 0; level < depth; level++) {
    s -= 4;
    if (s <= 0 || s % 2 !== 0) return -1;
    s /= 2;
  }
  s -= 4;
  if (s <= 0) return -1;
  for (let level = 0; level < depth; level++) s = s * 2 - 4;
  return s > 0 ? s : -1;
}

export function isLegalInputSize(size: number, depth: number): boolean {
  checkDepth(depth);
  if (!Number.isInteger(size) || size <= 0) return false;
  return simulate(size, depth) > 0;
}

/** Output tile size for a legal input size; throws INVALID_ARGUMENT for an illegal one. */
export function outputSizeFor(inputSize: number, depth: number): number {
  checkDepth(depth);
  const out = Number.isInteger(inputSize) && inputSize > 0 ? simulate(inputSize, depth) : -1;
  if (out <= 0) {
    throw new UnetError(
      'INVALID_ARGUMENT',
      `input size ${inputSize} is not legal for depth ${depth} (nearest legal: ${nearestLegalInputSize(
        Math.max(1, Math.floor(Number.isFinite(inputSize) ? inputSize : 1)),
        depth,
      )})`,
      { inputSize, depth },
    );
  }
  return out;
}

/** Pixels lost on each side: (input - output) / 2 = 2 * (3 * 2^depth - 2); 92 at depth 4. */
export function haloFor(depth: number): number {
  checkDepth(depth);
  return 2 * (3 * 2 ** depth - 2);
}

/** Smallest legal input size: the bottom level needs at least 5 pixels so that its output is >= 1. */
export function smallestLegalInputSize(depth: number): number {
  checkDepth(depth);
  let s = 5;
  for (let level = 0; level < depth; level++) s = s * 2 + 4;
  // Going down from the bottom size b: input = 2^d * b + 4 * (2^d - 1); the output must stay positive too.
  while (simulate(s, depth) <= 0) s += 2 ** depth;
  return s;
}

/** Largest legal size <= size, or the smallest legal size when none is <= size. */
export function nearestLegalInputSize(size: number, depth: number): number {
  checkDepth(depth);
  if (!Number.isFinite(size)) throw new UnetError('INVALID_ARGUMENT', `size must be finite, got ${size}`);
  const smallest = smallestLegalInputSize(depth);
  const floor = Math.floor(size);
  if (floor <= smallest) return smallest;
  // Legal sizes are exactly smallest + k * 2^depth.
  const step = 2 ** depth;
  return smallest + Math.floor((floor - smallest) / step) * step;
}

/** All legal input sizes in [min, max], ascending. */
export function legalInputSizes(depth: number, min: number, max: number): number[] {
  checkDepth(depth);
  const step = 2 ** depth;
  const sizes: number[] = [];
  let s = smallestLegalInputSize(depth);
  if (s < min) s += Math.ceil((min - s) / step) * step;
  for (; s <= max; s += step) sizes.push(s);
  return sizes;
}

export interface Tile {
  /** Output window in image coordinates; outW/outH are smaller than outputTile for the last column/row. */
  outX: number;
  outY: number;
  outW: number;
  outH: number;
  /** Top-left of the inputTile x inputTile window to feed the network; may be negative or run past the image (mirrored). */
  inX: number;
  inY: number;
}

export interface TilePlan {
  inputTile: number;
  outputTile: number;
  halo: number;
  /** Number of tile columns and rows; tiles are listed row by row. */
  cols: number;
  rows: number;
  tiles: Tile[];
}

/**
 * Overlap-tile plan: output tiles on a grid of step outputTile, starting at (0, 0). The last column/row is
 * CLIPPED to the image (outW/outH smaller; the network still sees a full input tile and the caller keeps the
 * top-left outW x outH of its output), so every pixel is predicted exactly once. inX = outX - halo.
 */
export function planTiles(imageWidth: number, imageHeight: number, inputTile: number, depth: number): TilePlan {
  assertImageSize(imageWidth, imageHeight);
  const outputTile = outputSizeFor(inputTile, depth);
  const halo = haloFor(depth);
  const cols = Math.ceil(imageWidth / outputTile);
  const rows = Math.ceil(imageHeight / outputTile);
  const tiles: Tile[] = [];
  for (let r = 0; r < rows; r++) {
    const outY = r * outputTile;
    const outH = Math.min(outputTile, imageHeight - outY);
    for (let c = 0; c < cols; c++) {
      const outX = c * outputTile;
      const outW = Math.min(outputTile, imageWidth - outX);
      tiles.push({ outX, outY, outW, outH, inX: outX - halo, inY: outY - halo });
    }
  }
  return { inputTile, outputTile, halo, cols, rows, tiles };
}

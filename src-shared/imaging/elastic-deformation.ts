import { UnetError } from '../contract/errors';
import { upsampleGrid } from './interpolation';
import type { Rng } from './rng';
import type { DisplacementField, ImageWindow } from './types';
import { assertImageSize, assertLength, checkedWindow } from './validate';

/**
 * The paper's elastic deformation: random displacement vectors on a coarse gridSize x gridSize grid (nodes
 * evenly spread from the first to the last pixel, so the corners move too), drawn from a Gaussian with standard
 * deviation `sigma` pixels, and per-pixel displacements by bicubic interpolation of that grid. With a window,
 * the field of that part of the image alone (the same values as the whole field's).
 */
export interface ElasticOptions {
  gridSize?: number;
  sigma?: number;
}

export const DEFAULT_ELASTIC_GRID = 3;
export const DEFAULT_ELASTIC_SIGMA = 10;

export function createElasticField(
  width: number,
  height: number,
  rng: Rng,
  options: ElasticOptions = {},
  out?: DisplacementField,
  window?: ImageWindow,
): DisplacementField {
  assertImageSize(width, height);
  const part = checkedWindow(width, height, window);
  const gridSize = options.gridSize ?? DEFAULT_ELASTIC_GRID;
  const sigma = options.sigma ?? DEFAULT_ELASTIC_SIGMA;
  if (!Number.isInteger(gridSize) || gridSize < 2 || gridSize > 64) {
    throw new UnetError('INVALID_ARGUMENT', `gridSize must be an integer in [2, 64], got ${gridSize}`);
  }
  if (!(Number.isFinite(sigma) && sigma >= 0)) throw new UnetError('INVALID_ARGUMENT', `sigma must be >= 0, got ${sigma}`);
  const field = out ?? createZeroField(part.width, part.height);
  if (field.width !== part.width || field.height !== part.height) {
    throw new UnetError('INVALID_ARGUMENT', 'output field has the wrong size');
  }
  const nodes = gridSize * gridSize;
  const gx = new Float64Array(nodes);
  const gy = new Float64Array(nodes);
  // x then y per node, in raster order: the draw order is part of the reproducibility contract.
  for (let k = 0; k < nodes; k++) {
    gx[k] = sigma * rng.normal();
    gy[k] = sigma * rng.normal();
  }
  upsampleGrid(gx, gridSize, gridSize, width, height, field.dx, part);
  upsampleGrid(gy, gridSize, gridSize, width, height, field.dy, part);
  return field;
}

export function createZeroField(width: number, height: number): DisplacementField {
  assertImageSize(width, height);
  return { width, height, dx: new Float32Array(width * height), dy: new Float32Array(width * height) };
}

/** Superposes two fields (a + b), e.g. a rotation and an elastic deformation, into `out` (may be `a`). */
export function addFields(a: DisplacementField, b: DisplacementField, out?: DisplacementField): DisplacementField {
  if (a.width !== b.width || a.height !== b.height) throw new UnetError('INVALID_ARGUMENT', 'fields differ in size');
  const result = out ?? createZeroField(a.width, a.height);
  const n = a.width * a.height;
  assertLength(result.dx, n, 'out.dx');
  for (let i = 0; i < n; i++) {
    result.dx[i] = a.dx[i] + b.dx[i];
    result.dy[i] = a.dy[i] + b.dy[i];
  }
  return result;
}

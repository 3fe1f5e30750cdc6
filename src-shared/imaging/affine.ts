import { UnetError } from '../contract/errors';
import { createZeroField } from './elastic-deformation';
import type { DisplacementField, ImageWindow, TypedArray } from './types';
import { assertImageSize, checkedWindow } from './validate';
import { warpImage, warpNearest, type Interpolation } from './warp';

/** Rotation, scaling and shift of the image content. */
export interface AffineOptions {
  /** Angle in radians; positive turns the image content clockwise on screen (y axis points down). */
  angle?: number;
  /** Zoom factor; > 1 enlarges the content. */
  scale?: number;
  /** Shift of the content in pixels. */
  shiftX?: number;
  shiftY?: number;
  /** Centre of rotation and scaling; defaults to the image centre. */
  centerX?: number;
  centerY?: number;
}

/**
 * The displacement field of an affine transform: the content point q moves to p = c + s R(angle) (q - c) + shift,
 * so the output pixel p samples q = c + R(-angle) (p - c - shift) / s. With a window, the field of that part
 * of the image alone.
 */
export function createAffineField(
  width: number,
  height: number,
  options: AffineOptions,
  out?: DisplacementField,
  window?: ImageWindow,
): DisplacementField {
  assertImageSize(width, height);
  const part = checkedWindow(width, height, window);
  const angle = options.angle ?? 0;
  const scale = options.scale ?? 1;
  const shiftX = options.shiftX ?? 0;
  const shiftY = options.shiftY ?? 0;
  const cx = options.centerX ?? (width - 1) / 2;
  const cy = options.centerY ?? (height - 1) / 2;
  for (const [name, v] of Object.entries({ angle, scale, shiftX, shiftY, cx, cy })) {
    if (!Number.isFinite(v)) throw new UnetError('INVALID_ARGUMENT', `${name} must be finite, got ${v}`);
  }
  if (scale <= 0) throw new UnetError('INVALID_ARGUMENT', `scale must be > 0, got ${scale}`);
  const field = out ?? createZeroField(part.width, part.height);
  if (field.width !== part.width || field.height !== part.height) throw new UnetError('INVALID_ARGUMENT', 'output field has the wrong size');
  const cos = Math.cos(angle) / scale;
  const sin = Math.sin(angle) / scale;
  for (let y = part.y, i = 0; y < part.y + part.height; y++) {
    const py = y - cy - shiftY;
    for (let x = part.x; x < part.x + part.width; x++, i++) {
      const px = x - cx - shiftX;
      field.dx[i] = cx + cos * px + sin * py - x;
      field.dy[i] = cy - sin * px + cos * py - y;
    }
  }
  return field;
}

/** Rotates an HWC image about its centre (same size, mirrored borders). */
export function rotate(
  src: Float32Array,
  width: number,
  height: number,
  channels: number,
  angle: number,
  out?: Float32Array,
  interpolation: Interpolation = 'bicubic',
): Float32Array {
  return warpImage(src, width, height, channels, createAffineField(width, height, { angle }), out, interpolation);
}

/** Rotates a label or weight map about its centre by nearest neighbour. */
export function rotateNearest<T extends TypedArray>(src: T, width: number, height: number, angle: number, out?: T): T {
  return warpNearest(src, width, height, createAffineField(width, height, { angle }), out);
}

/** Shifts an HWC image by (shiftX, shiftY) pixels (mirrored borders, sub-pixel shifts interpolated). */
export function shift(
  src: Float32Array,
  width: number,
  height: number,
  channels: number,
  shiftX: number,
  shiftY: number,
  out?: Float32Array,
  interpolation: Interpolation = 'bicubic',
): Float32Array {
  const field = createAffineField(width, height, { shiftX, shiftY });
  return warpImage(src, width, height, channels, field, out, interpolation);
}

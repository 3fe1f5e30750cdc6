import { UnetError } from '../contract/errors';
import type { ImageWindow } from './types';

/** Argument checks shared by the imaging functions: bad input becomes a typed error, never a crash. */

export function assertPositiveInt(value: number, name: string): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw new UnetError('INVALID_ARGUMENT', `${name} must be a positive integer, got ${value}`, { [name]: value });
  }
}

export function assertNonNegativeInt(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new UnetError('INVALID_ARGUMENT', `${name} must be a non-negative integer, got ${value}`, { [name]: value });
  }
}

export function assertImageSize(width: number, height: number): void {
  assertPositiveInt(width, 'width');
  assertPositiveInt(height, 'height');
}

/** Checks that a window lies inside a width x height image; absent: the whole image. */
export function checkedWindow(width: number, height: number, window?: ImageWindow): ImageWindow {
  if (!window) return { x: 0, y: 0, width, height };
  assertNonNegativeInt(window.x, 'window.x');
  assertNonNegativeInt(window.y, 'window.y');
  assertPositiveInt(window.width, 'window.width');
  assertPositiveInt(window.height, 'window.height');
  if (window.x + window.width > width || window.y + window.height > height) {
    throw new UnetError('INVALID_ARGUMENT', `window ${window.width}x${window.height} at (${window.x}, ${window.y}) exceeds the ${width}x${height} image`);
  }
  return window;
}

/** Checks that `array` holds exactly `expected` elements. */
export function assertLength(array: { length: number } | null | undefined, expected: number, name: string): void {
  if (!array || typeof array.length !== 'number') {
    throw new UnetError('INVALID_ARGUMENT', `${name} is missing`);
  }
  if (array.length !== expected) {
    throw new UnetError('INVALID_ARGUMENT', `${name} has ${array.length} elements, expected ${expected}`, {
      length: array.length,
      expected,
    });
  }
}

/** Returns `out` when it has the right length, a fresh Float32Array when absent, and throws otherwise. */
export function float32Out(out: Float32Array | undefined, length: number, name = 'out'): Float32Array {
  if (out === undefined) return new Float32Array(length);
  assertLength(out, length, name);
  return out;
}

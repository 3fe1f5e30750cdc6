/** Shared array types of the imaging toolkit. Images are row-major; multi-channel images are HWC (interleaved). */

export type TypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array;

/** Arrays that hold instance or class labels (0 = none). */
export type LabelArray = Uint8Array | Uint16Array | Uint32Array | Int32Array;

/**
 * A rectangle of an image, for computing only the part of a transform that is kept (a training tile out of
 * the larger region it is augmented in).
 */
export interface ImageWindow {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A per-pixel displacement field: the output pixel (x, y) samples the source at (x + dx, y + dy). */
export interface DisplacementField {
  width: number;
  height: number;
  dx: Float32Array;
  dy: Float32Array;
}

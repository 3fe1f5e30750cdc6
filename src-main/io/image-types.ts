import type { StackAxes } from '../../src-shared/imaging/stack-axes';

/** Sample types a decoded image can hold; 16-bit data stays 16-bit until someone normalises it. */
export type ImageDtype = 'uint8' | 'uint16' | 'uint32' | 'int8' | 'int16' | 'int32' | 'float32';

export type ImageFormat = 'tiff' | 'png' | 'jpeg';

export type PixelArray = Uint8Array | Uint16Array | Uint32Array | Int8Array | Int16Array | Int32Array | Float32Array;

/** Physical size of one pixel; unit is 'µm' whenever the file allowed a conversion, else as written ('inch', 'cm', ...). */
export interface PixelSize {
  x: number;
  y: number;
  unit: string;
}

/**
 * One decoded frame (or window of a frame).
 * `data` is row-major with channels interleaved (HWC): sample (x, y, c) is at (y * width + x) * channels + c.
 */
export interface DecodedImage {
  width: number;
  height: number;
  channels: number;
  /** Frames held in `data`: reads decode one frame at a time, so this is 1. */
  frames: number;
  dtype: ImageDtype;
  data: PixelArray;
  /** 'rgb' when the first three channels are red, green, blue; otherwise channels are independent (gray, fluorescence). */
  colorSpace: 'gray' | 'rgb';
  /** True when the last channel is an alpha channel. */
  alpha: boolean;
  pixelSize?: PixelSize;
}

export interface ImageMetadata {
  width: number;
  height: number;
  /** Pages of a TIFF stack; 1 for PNG and JPEG. */
  frames: number;
  channels: number;
  /** Bits per sample as stored (1, 8, 12, 16, 32, ...); `dtype` is the container it decodes to. */
  bitDepth: number;
  dtype: ImageDtype;
  format: ImageFormat;
  /** 'none', 'lzw', 'deflate', 'packbits', 'jpeg', ... (PNG is always 'deflate'). */
  compression: string;
  tiled: boolean;
  bigTiff: boolean;
  colorSpace: 'gray' | 'rgb';
  alpha: boolean;
  pixelSize?: PixelSize;
  /** How the pages of an OME-TIFF or ImageJ hyperstack map to channel, focal plane and time. */
  axes?: StackAxes;
  /**
   * Reduced-resolution copies a pyramidal TIFF stores of its first frame (SubIFDs, or pages flagged
   * reduced-resolution), largest first; `level` k of `readImage` reads levels[k - 1].
   */
  levels?: { width: number; height: number }[];
  fileSize: number;
}

export interface ReadImageOptions {
  /** Page of a TIFF stack, 0-based (reduced-resolution pages of a pyramid are levels, not frames). */
  frame?: number;
  /** 0: full resolution; k >= 1: the k-th stored reduced-resolution level of a pyramidal TIFF. */
  level?: number;
  /** Largest width * height * channels accepted; bigger images fail with TOO_LARGE before any pixel buffer exists. */
  maxPixels?: number;
}

export interface ReadRegionOptions {
  frame?: number;
  x: number;
  y: number;
  width: number;
  height: number;
  maxPixels?: number;
}

/** 16384 x 16384 samples: a 512 MiB buffer at 16 bits. */
export const DEFAULT_MAX_PIXELS = 16384 * 16384;

export const BYTES_PER_SAMPLE: Record<ImageDtype, number> = {
  uint8: 1,
  int8: 1,
  uint16: 2,
  int16: 2,
  uint32: 4,
  int32: 4,
  float32: 4,
};

export function allocatePixels(dtype: ImageDtype, length: number): PixelArray {
  switch (dtype) {
    case 'uint8':
      return new Uint8Array(length);
    case 'uint16':
      return new Uint16Array(length);
    case 'uint32':
      return new Uint32Array(length);
    case 'int8':
      return new Int8Array(length);
    case 'int16':
      return new Int16Array(length);
    case 'int32':
      return new Int32Array(length);
    case 'float32':
      return new Float32Array(length);
  }
}

import { UnetError } from '../../src-shared/contract/errors';
import { allocatePixels, type DecodedImage, type ImageDtype } from './image-types';

/** ITU-R BT.601 weights, as ImageJ's weighted RGB conversion and PIL's convert('L') use. */
const LUMA = [0.299, 0.587, 0.114];

const DTYPE_RANGE: Record<ImageDtype, [number, number]> = {
  uint8: [0, 255],
  uint16: [0, 65535],
  uint32: [0, 4294967295],
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
  float32: [0, 1],
};

/**
 * One channel for training on gray: RGB(A) becomes luminance, alpha is dropped, other multi-channel
 * images are averaged. The sample type is kept (integers are rounded). A one-channel image is returned as is.
 */
export function toGray(image: DecodedImage): DecodedImage {
  if (image.channels === 1) return image;
  const { channels } = image;
  const colors = image.alpha ? channels - 1 : channels;
  const pixels = image.width * image.height;
  const out = allocatePixels(image.dtype, pixels);
  const round = image.dtype !== 'float32';
  const src = image.data;
  if (image.colorSpace === 'rgb' && colors >= 3) {
    for (let p = 0, i = 0; p < pixels; p++, i += channels) {
      const y = LUMA[0] * src[i] + LUMA[1] * src[i + 1] + LUMA[2] * src[i + 2];
      out[p] = round ? Math.round(y) : y;
    }
  } else if (colors === 1) {
    for (let p = 0, i = 0; p < pixels; p++, i += channels) out[p] = src[i];
  } else {
    for (let p = 0, i = 0; p < pixels; p++, i += channels) {
      let sum = 0;
      for (let c = 0; c < colors; c++) sum += src[i + c];
      out[p] = round ? Math.round(sum / colors) : sum / colors;
    }
  }
  return { ...image, channels: 1, data: out, colorSpace: 'gray', alpha: false };
}

/** One sample of every pixel as a one-channel image (channel is 0-based; an alpha channel cannot be picked). */
export function pickChannel(image: DecodedImage, channel: number): DecodedImage {
  const colors = image.alpha ? image.channels - 1 : image.channels;
  if (!Number.isInteger(channel) || channel < 0 || channel >= colors) {
    throw new UnetError('INVALID_ARGUMENT', `channel ${channel + 1} does not exist (the image has ${colors})`, { channel, channels: colors });
  }
  if (image.channels === 1) return image;
  const pixels = image.width * image.height;
  const out = allocatePixels(image.dtype, pixels);
  for (let p = 0, i = channel; p < pixels; p++, i += image.channels) out[p] = image.data[i];
  return { ...image, channels: 1, data: out, colorSpace: 'gray', alpha: false };
}

export interface ToFloat32Options {
  /**
   * 'none' keeps the values; 'dtype-range' maps the full range of the integer type onto 0..1
   * (uint8 / 255, uint16 / 65535, ...) and leaves float32 unchanged. Contrast normalisation
   * (percentiles, as 16-bit microscopy needs) is the caller's business.
   */
  scale?: 'none' | 'dtype-range';
}

/** The samples as a new Float32Array (HWC, like `image.data`). */
export function toFloat32(image: DecodedImage, options: ToFloat32Options = {}): Float32Array {
  const out = new Float32Array(image.data.length);
  if (options.scale !== 'dtype-range' || image.dtype === 'float32') {
    out.set(image.data);
    return out;
  }
  const [min, max] = DTYPE_RANGE[image.dtype];
  const scale = 1 / (max - min);
  const src = image.data;
  for (let i = 0; i < src.length; i++) out[i] = (src[i] - min) * scale;
  return out;
}

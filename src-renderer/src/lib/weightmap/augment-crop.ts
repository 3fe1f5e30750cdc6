import type { ImagePixels } from '../../../../src-shared/contract/records';
import type { ContrastWindow, SampleArray } from '../viewer/contrast';
import { mapToRgba } from '../viewer/contrast';
import type { ChannelChoice } from '../viewer/display-image';

export interface PreviewCrop {
  x: number;
  y: number;
  width: number;
  height: number;
  /** Display grey levels (as shown with the current contrast). */
  gray: Float32Array;
  classMap: Uint8Array;
}

/** A square crop of at most `size` pixels centred on (cx, cy), clamped inside the image. */
export function previewCrop(pixels: ImagePixels, channel: ChannelChoice, window: ContrastWindow, classMap: Uint8Array, cx: number, cy: number, size: number): PreviewCrop {
  const width = Math.min(size, pixels.width);
  const height = Math.min(size, pixels.height);
  const x = Math.min(pixels.width - width, Math.max(0, Math.round(cx - width / 2)));
  const y = Math.min(pixels.height - height, Math.max(0, Math.round(cy - height / 2)));
  const channels = pixels.channels;
  const data = pixels.data as SampleArray;
  const raw = new (data.constructor as new (length: number) => SampleArray)(width * height * channels);
  const classes = new Uint8Array(width * height);
  for (let row = 0; row < height; row++) {
    const src = ((y + row) * pixels.width + x) * channels;
    raw.set(data.subarray(src, src + width * channels), row * width * channels);
    classes.set(classMap.subarray((y + row) * pixels.width + x, (y + row) * pixels.width + x + width), row * width);
  }
  const rgba = new Uint8ClampedArray(width * height * 4);
  mapToRgba(raw, channels, channel, window, rgba);
  const gray = new Float32Array(width * height);
  for (let i = 0; i < gray.length; i++) gray[i] = (rgba[i * 4] * 299 + rgba[i * 4 + 1] * 587 + rgba[i * 4 + 2] * 114) / 1000;
  return { x, y, width, height, gray, classMap: classes };
}

import type { ImagePixels } from '../../../../src-shared/contract/records';
import { autoWindow, channelSamples, histogram, mapToRgba, sampleRange, type ContrastWindow, type SampleArray } from './contrast';

export type ChannelChoice = number | 'rgb';

/** Colour images are 8-bit with 3 or 4 channels; anything else is shown one channel at a time. */
export function defaultChannel(pixels: Pick<ImagePixels, 'channels' | 'dtype'>): ChannelChoice {
  return (pixels.channels === 3 || pixels.channels === 4) && pixels.dtype === 'uint8' ? 'rgb' : 0;
}

/** Statistics of the shown samples that the contrast panel needs. */
export interface DisplayStats {
  min: number;
  max: number;
  auto: ContrastWindow;
  histogram: Uint32Array;
}

export const HISTOGRAM_BINS = 256;

export function displayStats(pixels: ImagePixels, channel: ChannelChoice): DisplayStats {
  const data = pixels.data as SampleArray;
  const samples = channel === 'rgb' ? data : channelSamples(data, pixels.channels, channel);
  const { min, max } = sampleRange(samples);
  return { min, max, auto: autoWindow(samples), histogram: histogram(samples, HISTOGRAM_BINS, min, max) };
}

/**
 * Contrast-maps the whole-width rows [y0, y1) of the raw frame into an RGBA buffer of just those rows
 * (the raw data stays as it is); a large frame is mapped band by band.
 */
export function renderDisplayRows(pixels: ImagePixels, channel: ChannelChoice, window: ContrastWindow, y0: number, y1: number, out: Uint8ClampedArray): void {
  const rowSamples = pixels.width * pixels.channels;
  mapToRgba((pixels.data as SampleArray).subarray(y0 * rowSamples, y1 * rowSamples), pixels.channels, channel, window, out);
}

import { fileError } from './io-errors';

export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A window must be whole pixels inside the image; anything else is the caller's mistake. */
export function checkRegion(path: string, region: Region, imageWidth: number, imageHeight: number): void {
  const { x, y, width, height } = region;
  const whole = [x, y, width, height].every((v) => Number.isSafeInteger(v));
  if (!whole || x < 0 || y < 0 || width < 1 || height < 1 || x + width > imageWidth || y + height > imageHeight) {
    throw fileError('INVALID_ARGUMENT', path,
      `region x=${x} y=${y} ${width}x${height} is not inside the ${imageWidth}x${imageHeight} image`);
  }
}

/** Refuses a decode whose output would exceed `maxPixels` samples, before any pixel buffer is allocated. */
export function checkPixelBudget(path: string, width: number, height: number, channels: number, maxPixels: number): void {
  const samples = width * height * channels;
  if (samples > maxPixels) {
    throw fileError('TOO_LARGE', path,
      `${width}x${height}x${channels} = ${samples} samples exceeds the limit of ${maxPixels}`,
      { width, height, channels, maxPixels });
  }
}

export function checkFrame(path: string, frame: number): void {
  if (!Number.isSafeInteger(frame) || frame < 0) {
    throw fileError('INVALID_ARGUMENT', path, `frame ${frame} is not a valid index`);
  }
}

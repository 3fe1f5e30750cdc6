import { UnetError } from '../../../src-shared/contract/errors';
import { extractMirroredTile, mirrorIndex } from '../../../src-shared/imaging/tile-geometry';

/** Reads the normalised HWC pixels of the w x h region at (x, y); the region always lies inside the image. */
export type RegionReader = (x: number, y: number, width: number, height: number) => Promise<Float32Array>;

/**
 * The image to segment, already normalised as the model expects: either in memory, or read region by
 * region so that an image far larger than memory streams through one input tile at a time.
 */
export type ImageSource =
  | { width: number; height: number; channels: number; data: Float32Array }
  | { width: number; height: number; channels: number; read: RegionReader };

export function checkImageSource(image: ImageSource): void {
  const { width, height, channels } = image;
  for (const [name, v] of [['width', width], ['height', height], ['channels', channels]] as const) {
    if (!Number.isInteger(v) || v <= 0) throw new UnetError('INVALID_ARGUMENT', `image ${name} must be a positive integer, got ${v}`);
  }
  if ('data' in image) {
    if (!(image.data instanceof Float32Array) || image.data.length !== width * height * channels) {
      throw new UnetError('INVALID_ARGUMENT', `image data must be a Float32Array of ${width * height * channels} values (HWC)`);
    }
  } else if (typeof image.read !== 'function') {
    throw new UnetError('INVALID_ARGUMENT', 'image needs either data or a read(x, y, w, h) function');
  }
}

/**
 * The size x size input tile at (x0, y0) (HWC), mirrored wherever it leaves the image. A reader is asked only
 * for the bounding box of the pixels the mirrored tile really uses, which always lies inside the image.
 */
export async function readInputTile(image: ImageSource, x0: number, y0: number, size: number, out?: Float32Array): Promise<Float32Array> {
  const { width, height, channels } = image;
  if ('data' in image) return extractMirroredTile(image.data, width, height, channels, x0, y0, size, size, out);

  const cols = new Int32Array(size);
  const rows = new Int32Array(size);
  let minX = width, maxX = -1, minY = height, maxY = -1;
  for (let i = 0; i < size; i++) {
    cols[i] = mirrorIndex(x0 + i, width);
    rows[i] = mirrorIndex(y0 + i, height);
    minX = Math.min(minX, cols[i]);
    maxX = Math.max(maxX, cols[i]);
    minY = Math.min(minY, rows[i]);
    maxY = Math.max(maxY, rows[i]);
  }
  const rw = maxX - minX + 1;
  const rh = maxY - minY + 1;
  const region = await image.read(minX, minY, rw, rh);
  if (!(region instanceof Float32Array) || region.length !== rw * rh * channels) {
    throw new UnetError('IO_ERROR', `region reader returned ${region?.length ?? 'nothing'} values for ${rw}x${rh}x${channels}`, {
      x: minX,
      y: minY,
      width: rw,
      height: rh,
    });
  }
  const result = out && out.length === size * size * channels ? out : new Float32Array(size * size * channels);
  let o = 0;
  for (let y = 0; y < size; y++) {
    const rowBase = (rows[y] - minY) * rw;
    for (let x = 0; x < size; x++) {
      const s = (rowBase + cols[x] - minX) * channels;
      for (let c = 0; c < channels; c++) result[o++] = region[s + c];
    }
  }
  return result;
}

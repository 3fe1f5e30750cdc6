import { UnetError } from '../../src-shared/contract/errors';
import { stackFrameIndex, type StackPosition } from '../../src-shared/imaging/stack-axes';
import { pickChannel } from './image-convert';
import type { DecodedImage, ImageMetadata, ReadImageOptions } from './image-types';
import { fileError } from './io-errors';
import { readImage, readImageMetadata } from './read-image';

export interface PlaneSelection extends Partial<StackPosition> {
  maxPixels?: number;
}

/** The reads a plane needs; the workspace passes its own image I/O. */
export interface PlaneReader {
  readImage(path: string, options?: ReadImageOptions): Promise<DecodedImage>;
  readImageMetadata(path: string): Promise<ImageMetadata>;
}

const fileReader: PlaneReader = { readImage, readImageMetadata };

export interface DecodedPlane {
  image: DecodedImage;
  metadata: ImageMetadata;
  /** The page read. */
  frame: number;
}

/**
 * One 2D plane of an image by channel, focal plane and time point (0-based). An OME-TIFF or ImageJ
 * hyperstack finds the page from its axes; a multi-sample image (RGB, interleaved fluorescence
 * channels) gives the channel's samples; a plain multi-page TIFF has no axes, so only page 0 of it is
 * meant by (0, 0, 0). Anything outside the image is INVALID_ARGUMENT naming the axis and its size.
 */
export async function readImagePlane(path: string, selection: PlaneSelection = {}, io: PlaneReader = fileReader): Promise<DecodedPlane> {
  const metadata = await io.readImageMetadata(path);
  const position = { c: selection.c ?? 0, z: selection.z ?? 0, t: selection.t ?? 0 };
  const options = selection.maxPixels === undefined ? {} : { maxPixels: selection.maxPixels };
  if (metadata.axes) {
    const axes = metadata.axes;
    const frame = namingFile(path, () => stackFrameIndex(axes, position));
    const image = await io.readImage(path, { ...options, frame });
    return { image: withPixelSize(image, metadata), metadata, frame };
  }
  if (position.z !== 0 || position.t !== 0) {
    throw fileError('INVALID_ARGUMENT', path, `has no ${position.z !== 0 ? 'focal planes' : 'time points'} to pick from (no OME or ImageJ hyperstack axes)`);
  }
  const image = await io.readImage(path, options);
  if (selection.c === undefined) return { image: withPixelSize(image, metadata), metadata, frame: 0 };
  return { image: withPixelSize(namingFile(path, () => pickChannel(image, position.c)), metadata), metadata, frame: 0 };
}

/**
 * The image a segmentation reads: the first plane with all its channels, or the chosen plane (0-based
 * channel, focal plane and time point), so a model and the baseline beside it see the same pixels.
 */
export async function readImageOrPlane(path: string, plane?: Partial<StackPosition>): Promise<DecodedImage> {
  return plane === undefined ? readImage(path) : (await readImagePlane(path, plane)).image;
}

/** A selection error starts with the file's path, like every image I/O error. */
function namingFile<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof UnetError) throw fileError(error.code, path, error.message, error.details);
    throw error;
  }
}

/** Page reads see only a short description; the metadata read the whole OME-XML. */
function withPixelSize(image: DecodedImage, metadata: ImageMetadata): DecodedImage {
  return image.pixelSize || !metadata.pixelSize ? image : { ...image, pixelSize: metadata.pixelSize };
}

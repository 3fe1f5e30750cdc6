/** Image I/O for the main process: TIFF, PNG and JPEG in; label TIFF/PNG and float TIFF out. */
export type {
  DecodedImage,
  ImageDtype,
  ImageFormat,
  ImageMetadata,
  PixelArray,
  PixelSize,
  ReadImageOptions,
  ReadRegionOptions,
} from './image-types';
export { DEFAULT_MAX_PIXELS } from './image-types';
export { readImage, readImageMetadata, readImageRegion, decodedByteLength } from './read-image';
export { writeFloatTiff, writeLabelImage, type WriteImageOptions } from './write-image';
export { listImageFiles, naturalCompare, type ListImageFilesOptions } from './list-image-files';
export { pickChannel, toFloat32, toGray, type ToFloat32Options } from './image-convert';
export { readImageOrChannel, readImagePlane, type DecodedPlane, type PlaneSelection } from './read-plane';
export { IMAGE_EXTENSIONS } from './image-format';
export { storedLevelFor } from './pyramid-levels';

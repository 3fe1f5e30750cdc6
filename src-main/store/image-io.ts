import type { DecodedImage, ImageMetadata, ReadImageOptions, ReadRegionOptions } from '../io/image-types';

export type LabelPixels = Uint8Array | Uint16Array | Uint32Array;

/** The image I/O the workspace services use (the real one reads TIFF/PNG/JPEG from disk). */
export interface ImageIo {
  readImageMetadata(path: string): Promise<ImageMetadata>;
  readImage(path: string, options?: ReadImageOptions): Promise<DecodedImage>;
  readImageRegion(path: string, options: ReadRegionOptions): Promise<DecodedImage>;
  /**
   * Writes a single-channel label image; the format follows the extension (.tif/.tiff or .png). A pixel
   * size in µm is written into TIFFs so that Fiji opens them calibrated.
   */
  writeLabelImage(path: string, data: LabelPixels, width: number, height: number, options?: { pixelSizeUm?: number | null }): Promise<void>;
  /** Image files directly in `dir`, in natural order (img2 before img10); the real one leaves out links. */
  listImageFiles(dir: string): Promise<string[]>;
}

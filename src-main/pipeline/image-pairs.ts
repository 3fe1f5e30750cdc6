import path from 'node:path';
import { listImageFiles } from '../io/list-image-files';

export interface ImagePair {
  name: string;
  image: string;
  mask: string;
}

export interface PairedFolders {
  pairs: ImagePair[];
  /** Images with no mask of the same name. */
  unmatchedImages: string[];
  /** Masks with no image of the same name. */
  unmatchedMasks: string[];
}

/** The file name without its extension (and without .ome before .tif). */
export function fileStem(file: string): string {
  return path.basename(file).replace(/(\.ome)?\.[^.]+$/i, '');
}

/**
 * Masks matched to images by file name: the same stem, whatever the extension (cell01.tif matches
 * cell01.png), case-insensitively. Lists are in natural order of the image names.
 */
export async function pairFolders(imagesDir: string, masksDir: string): Promise<PairedFolders> {
  const [images, masks] = await Promise.all([listImageFiles(imagesDir), listImageFiles(masksDir)]);
  return pairFiles(images, masks);
}

export function pairFiles(images: string[], masks: string[]): PairedFolders {
  const byStem = new Map<string, string>();
  for (const mask of masks) {
    const key = fileStem(mask).toLowerCase();
    if (!byStem.has(key)) byStem.set(key, mask);
  }
  const used = new Set<string>();
  const pairs: ImagePair[] = [];
  const unmatchedImages: string[] = [];
  for (const image of images) {
    const mask = byStem.get(fileStem(image).toLowerCase());
    if (mask && !used.has(mask)) {
      used.add(mask);
      pairs.push({ name: path.basename(image), image, mask });
    } else {
      unmatchedImages.push(image);
    }
  }
  return { pairs, unmatchedImages, unmatchedMasks: masks.filter((m) => !used.has(m)) };
}

import path from 'node:path';
import { listImageFiles } from './list-image-files';

/**
 * The one rule that matches masks to images, for the UI import and for the command line (train,
 * evaluate, score). A mask belongs to the image whose file stem it has, whatever the extension and
 * case (cell01.tif and cell01.png), or that stem with a mask suffix (cell01_mask.png,
 * cell01-labels.tif, cell01.seg.png); the same stem wins over a suffixed one. A mask serves one image:
 * a second image with the same stem (cell01.png beside cell01.tif) gets none.
 */

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

export interface ImageWithMask {
  image: string;
  mask: string | null;
}

const MASK_SUFFIX = /[_.-](mask|masks|label|labels|seg|gt)$/i;

/** The file name without its extension (and without .ome before .tif). */
export function fileStem(file: string): string {
  return path.basename(file).replace(/(\.ome)?\.[^.]+$/i, '');
}

const keyOf = (file: string) => fileStem(file).toLowerCase();

/** The stem of the image a suffixed mask names (cell01_mask.png -> cell01), or null without a suffix. */
function suffixedKey(file: string): string | null {
  const stem = fileStem(file);
  return MASK_SUFFIX.test(stem) ? stem.replace(MASK_SUFFIX, '').toLowerCase() : null;
}

/**
 * A folder's files split into images and the masks stored beside them (NAME_mask.png next to
 * NAME.tif). A suffixed file with no image of its stem is an image of its own.
 */
function splitSiblingMasks(files: string[]): { images: string[]; masks: string[] } {
  const inFolder = (file: string, key: string) => path.join(path.dirname(file), key);
  const keys = new Set(files.map((f) => inFolder(f, keyOf(f))));
  const images: string[] = [];
  const masks: string[] = [];
  for (const file of files) {
    const key = suffixedKey(file);
    (key !== null && keys.has(inFolder(file, key)) ? masks : images).push(file);
  }
  return { images, masks };
}

function firstByKey(files: string[], key: (file: string) => string | null): Map<string, string> {
  const map = new Map<string, string>();
  for (const file of files) {
    const k = key(file);
    if (k !== null && !map.has(k)) map.set(k, file);
  }
  return map;
}

/**
 * Each file of a folder that is an image, in the given order, with its mask from `masks` (another
 * folder's files, earlier ones preferred) or from beside it; plus the masks no image took.
 */
export function matchMasks(files: string[], masks: string[]): { images: ImageWithMask[]; unmatchedMasks: string[] } {
  const split = splitSiblingMasks(files);
  const isImage = new Set(split.images);
  // A file is never its own mask (the same folder given for both).
  const candidates = [...new Set([...masks, ...split.masks])].filter((m) => !isImage.has(m));
  const exact = firstByKey(candidates, keyOf);
  const suffixed = firstByKey(candidates, suffixedKey);
  const used = new Set<string>();
  const images = split.images.map((image) => {
    const key = keyOf(image);
    const mask = [exact.get(key), suffixed.get(key)].find((m) => m !== undefined && !used.has(m)) ?? null;
    if (mask) used.add(mask);
    return { image, mask };
  });
  return { images, unmatchedMasks: candidates.filter((m) => !used.has(m)) };
}

/** `matchMasks` as pairs and leftovers. */
export function pairFiles(files: string[], masks: string[]): PairedFolders {
  const { images, unmatchedMasks } = matchMasks(files, masks);
  const pairs: ImagePair[] = [];
  const unmatchedImages: string[] = [];
  for (const { image, mask } of images) {
    if (mask) pairs.push({ name: path.basename(image), image, mask });
    else unmatchedImages.push(image);
  }
  return { pairs, unmatchedImages, unmatchedMasks };
}

/** The images of `imagesDir` paired with the masks of `masksDir` (or beside them); lists are in natural order of the names. */
export async function pairFolders(imagesDir: string, masksDir: string): Promise<PairedFolders> {
  const [images, masks] = await Promise.all([listImageFiles(imagesDir), listImageFiles(masksDir)]);
  return pairFiles(images, masks);
}

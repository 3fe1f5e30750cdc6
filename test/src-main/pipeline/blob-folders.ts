import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { writeLabelImage } from '../../../src-main/io/write-image';
import { generateBlobImage } from '../../helpers/synthetic-blobs';

export interface BlobFolderOptions {
  count: number;
  width?: number;
  height?: number;
  /** First seed; image i uses seed + i. */
  seed?: number;
  /** Masks as instance labels (16-bit) or as 0/255 (8-bit). */
  masks?: 'instances' | 'binary';
}

/**
 * Writes `count` synthetic fluorescence-like images (8-bit PNG) and their masks into DIR/images and
 * DIR/masks, named blob-01.png, blob-02.png, ...: a small data set on disk for end-to-end tests.
 */
export async function writeBlobFolders(dir: string, options: BlobFolderOptions): Promise<{ images: string; masks: string; names: string[] }> {
  const { count, width = 96, height = 96, seed = 1, masks = 'instances' } = options;
  const images = path.join(dir, 'images');
  const maskDir = path.join(dir, 'masks');
  mkdirSync(images, { recursive: true });
  mkdirSync(maskDir, { recursive: true });
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const blob = generateBlobImage(seed + i, { width, height, count: 6, radius: 9 });
    const name = `blob-${String(i + 1).padStart(2, '0')}.png`;
    const pixels = new Uint8Array(width * height);
    for (let p = 0; p < pixels.length; p++) pixels[p] = Math.max(0, Math.min(255, Math.round(30 + 200 * blob.image[p])));
    await writeLabelImage(path.join(images, name), pixels, width, height);
    if (masks === 'binary') {
      const binary = new Uint8Array(width * height);
      for (let p = 0; p < binary.length; p++) binary[p] = blob.instanceMap[p] > 0 ? 255 : 0;
      await writeLabelImage(path.join(maskDir, name), binary, width, height);
    } else {
      await writeLabelImage(path.join(maskDir, name), Uint16Array.from(blob.instanceMap), width, height);
    }
    names.push(name);
  }
  return { images, masks: maskDir, names };
}

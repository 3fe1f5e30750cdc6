import { stat } from 'node:fs/promises';
import { UnetError } from '../../src-shared/contract/errors';
import type { ImageRecord } from '../../src-shared/contract/records';

/**
 * Before the pixels of a recorded image are read: the file must still be there and still look like
 * the one imported (same size and modification time), or its pixels would no longer match the
 * record's size and annotations. A missing file is NOT_FOUND; a changed one is CONFLICT with
 * details.reason 'changed'. `images.verify` settles both (a file only touched is accepted again
 * there, after its content hash is compared).
 */
export async function checkImageFile(image: Pick<ImageRecord, 'id' | 'path' | 'size' | 'mtimeMs'>): Promise<void> {
  let info;
  try {
    info = await stat(image.path);
  } catch {
    info = null;
  }
  if (!info || !info.isFile()) {
    throw new UnetError('NOT_FOUND', `the file of image ${image.id} is missing: ${image.path} (run images.verify to look for it)`, { imageId: image.id, path: image.path });
  }
  if (info.size !== image.size || Math.round(info.mtimeMs) !== image.mtimeMs) {
    throw new UnetError('CONFLICT', `the file of image ${image.id} changed since it was imported: ${image.path} (run images.verify)`, {
      imageId: image.id,
      path: image.path,
      reason: 'changed',
    });
  }
}

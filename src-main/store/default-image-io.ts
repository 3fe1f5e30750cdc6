import { UnetError } from '../../src-shared/contract/errors';
import { listImageFiles } from '../io/list-image-files';
import { readImage, readImageMetadata, readImageRegion } from '../io/read-image';
import { writeLabelImage } from '../io/write-image';
import type { ImageIo, LabelPixels } from './image-io';

/** Label images hold 8- or 16-bit values; more than 65535 instance ids are renumbered 1..N first. */
function writeLabels(file: string, data: LabelPixels, width: number, height: number, options: { pixelSizeUm?: number | null } = {}): Promise<void> {
  const um = options.pixelSizeUm;
  const written = um && um > 0 ? { pixelSize: { x: um, y: um, unit: 'µm' } } : {};
  if (data instanceof Uint32Array) {
    const ids = new Map<number, number>();
    const out = new Uint16Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (v === 0) continue;
      let id = ids.get(v);
      if (id === undefined) {
        id = ids.size + 1;
        if (id > 0xffff) throw new UnetError('TOO_LARGE', `${file}: more than 65535 objects cannot be written as a 16-bit label image`);
        ids.set(v, id);
      }
      out[i] = id;
    }
    return writeLabelImage(file, out, width, height, written);
  }
  return writeLabelImage(file, data, width, height, written);
}

export const defaultImageIo: ImageIo = {
  readImageMetadata,
  readImage,
  readImageRegion,
  writeLabelImage: writeLabels,
  // Links are left out so that an import never follows one out of the folders browser mode allows
  // (test/reliability/browser-security.test.ts).
  listImageFiles: (dir) => listImageFiles(dir, { followSymlinks: false }),
};

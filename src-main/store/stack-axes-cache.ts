import type { ImageRecord } from '../../src-shared/contract/records';
import type { StackAxes } from '../../src-shared/imaging/stack-axes';
import type { ImageIo } from './image-io';

/**
 * Hyperstack axes of workspace images, by file path, size and mtime: stepping through planes, or
 * checking a data set's plane again, reads a stack's IFD chain once. Single-page images have none.
 */
export class StackAxesCache {
  private readonly entries = new Map<string, StackAxes | null>();

  constructor(
    private readonly io: Pick<ImageIo, 'readImageMetadata'>,
    private readonly capacity = 1024,
  ) {}

  async of(image: Pick<ImageRecord, 'path' | 'size' | 'mtimeMs' | 'frames'>): Promise<StackAxes | null> {
    if (image.frames <= 1) return null;
    const key = `${image.path}\0${image.size}\0${image.mtimeMs}`;
    let axes = this.entries.get(key);
    if (axes === undefined) {
      axes = (await this.io.readImageMetadata(image.path)).axes ?? null;
      if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(key, axes);
    }
    return axes;
  }
}

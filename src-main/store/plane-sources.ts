import type { ImageRecord } from '../../src-shared/contract/records';
import type { PlaneSource } from '../../src-shared/imaging/image-plane';
import type { StackAxesCache } from './stack-axes-cache';

/**
 * What decides the planes of each image: samples from the record, hyperstack axes from the file
 * (read only for multi-page images). `skipUnreadable` leaves out a stack whose file cannot be read
 * (missing or damaged: verify reports those); otherwise its error is thrown.
 */
export async function* planeSourcesOf(
  images: ImageRecord[],
  axes: StackAxesCache,
  options: { skipUnreadable: boolean },
): AsyncGenerator<{ image: ImageRecord; source: PlaneSource }> {
  for (const image of images) {
    let stack;
    try {
      stack = await axes.of(image);
    } catch (error) {
      if (options.skipUnreadable) continue;
      throw error;
    }
    yield { image, source: { axes: stack, channels: image.channels } };
  }
}

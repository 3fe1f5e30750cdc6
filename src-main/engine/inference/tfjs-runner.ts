import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { UnetError } from '../../../src-shared/contract/errors';
import { isOutOfMemoryMessage } from '../../../src-shared/contract/out-of-memory';
import { isLegalInputSize, outputSizeFor } from '../../../src-shared/imaging/tile-geometry';
import type { UNetArchitecture } from '../unet-architecture';
import type { TileRunner } from './tile-runner';

/**
 * The fallback runner: the tfjs layers U-Net (logits, NHWC) on whichever tfjs backend is active, with the
 * softmax applied here and the result moved to the class-plane layout tiled inference works in.
 */
export function createTfjsRunner(model: tfl.LayersModel, arch: UNetArchitecture, options: { ownsModel?: boolean } = {}): TileRunner {
  const { depth, inChannels, numClasses } = arch;
  let disposed = false;
  return {
    description: `tfjs (${tf.getBackend()})`,
    depth,
    inChannels,
    numClasses,
    async runTile(input: Float32Array, size: number): Promise<Float32Array> {
      if (disposed) throw new UnetError('INVALID_ARGUMENT', 'the tfjs runner was already disposed');
      if (!isLegalInputSize(size, depth)) throw new UnetError('INVALID_ARGUMENT', `tile size ${size} is not legal for depth ${depth}`);
      if (input.length !== size * size * inChannels) {
        throw new UnetError('INVALID_ARGUMENT', `tile has ${input.length} values, expected ${size * size * inChannels}`);
      }
      const out = outputSizeFor(size, depth);
      const planes = tf.tidy(() => {
        const x = tf.tensor4d(input, [1, size, size, inChannels]);
        // apply, not predict: the model is declared for one tile size, its graph runs on every legal size.
        const logits = model.apply(x, { training: false }) as tf.Tensor4D;
        // [1, h, w, K] -> [K, h, w]: class planes, as the ONNX output.
        return tf.transpose(tf.reshape(tf.softmax(logits, -1), [out, out, numClasses]), [2, 0, 1]);
      });
      try {
        return (await planes.data()) as Float32Array;
      } catch (error) {
        const message = (error as Error).message ?? String(error);
        throw new UnetError(isOutOfMemoryMessage(message) ? 'OUT_OF_MEMORY' : 'INTERNAL', `tfjs failed on a ${size}x${size} tile: ${message}`, { size });
      } finally {
        planes.dispose();
      }
    },
    async dispose(): Promise<void> {
      if (disposed) return;
      disposed = true;
      if (options.ownsModel) model.dispose();
    },
  };
}

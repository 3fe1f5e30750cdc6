import * as ort from 'onnxruntime-node';
import { UnetError } from '../../../src-shared/contract/errors';
import { isOutOfMemoryMessage } from '../../../src-shared/contract/out-of-memory';
import { isLegalInputSize, outputSizeFor } from '../../../src-shared/imaging/tile-geometry';
import { ONNX_INPUT, ONNX_OUTPUT } from '../onnx/unet-onnx-graph';
import { createOrtSession, type InferenceProvider, type OrtSessionOptions } from './ort-session';
import type { TileRunner } from './tile-runner';

export interface OrtRunner extends TileRunner {
  readonly provider: InferenceProvider;
  /** Why CUDA is not in use, when it is not. */
  readonly providerReason?: string;
}

export interface UnetShape {
  depth: number;
  inChannels: number;
  numClasses: number;
}

/** Runs an exported U-Net (see exportUnetToOnnx) one tile at a time with ONNX Runtime. */
export async function createOrtRunner(model: Uint8Array | string, shape: UnetShape, options: OrtSessionOptions = {}): Promise<OrtRunner> {
  const handle = await createOrtSession(model, options);
  const { session } = handle;
  if (!session.inputNames.includes(ONNX_INPUT) || !session.outputNames.includes(ONNX_OUTPUT)) {
    await session.release();
    throw new UnetError('CORRUPT', `ONNX model must have input "${ONNX_INPUT}" and output "${ONNX_OUTPUT}"`, {
      inputs: session.inputNames,
      outputs: session.outputNames,
    });
  }
  const { depth, inChannels, numClasses } = shape;
  // Reused between tiles of the same size: NCHW input staging.
  let staging = new Float32Array(0);
  let released = false;

  return {
    description: `onnxruntime (${handle.provider}, ${handle.threads} thread${handle.threads === 1 ? '' : 's'})`,
    provider: handle.provider,
    providerReason: handle.reason,
    depth,
    inChannels,
    numClasses,
    async runTile(input: Float32Array, size: number): Promise<Float32Array> {
      if (released) throw new UnetError('INVALID_ARGUMENT', 'the ONNX Runtime session was already disposed');
      if (!isLegalInputSize(size, depth)) throw new UnetError('INVALID_ARGUMENT', `tile size ${size} is not legal for depth ${depth}`);
      const pixels = size * size;
      if (input.length !== pixels * inChannels) {
        throw new UnetError('INVALID_ARGUMENT', `tile has ${input.length} values, expected ${pixels * inChannels}`);
      }
      let nchw = input;
      if (inChannels > 1) {
        if (staging.length !== input.length) staging = new Float32Array(input.length);
        for (let p = 0, s = 0; p < pixels; p++) for (let c = 0; c < inChannels; c++) staging[c * pixels + p] = input[s++];
        nchw = staging;
      }
      const feeds = { [ONNX_INPUT]: new ort.Tensor('float32', nchw, [1, inChannels, size, size]) };
      let result: ort.InferenceSession.OnnxValueMapType;
      try {
        result = await session.run(feeds);
      } catch (error) {
        const message = (error as Error).message ?? String(error);
        const code = isOutOfMemoryMessage(message) ? 'OUT_OF_MEMORY' : 'INTERNAL';
        throw new UnetError(code, `ONNX Runtime failed on a ${size}x${size} tile: ${message}`, { size });
      }
      const output = result[ONNX_OUTPUT] as ort.Tensor;
      const out = outputSizeFor(size, depth);
      const data = output.data as Float32Array;
      if (data.length !== numClasses * out * out) {
        throw new UnetError('INTERNAL', `ONNX output has ${data.length} values, expected ${numClasses * out * out}`);
      }
      return data;
    },
    async dispose(): Promise<void> {
      if (released) return;
      released = true;
      await session.release();
    },
  };
}

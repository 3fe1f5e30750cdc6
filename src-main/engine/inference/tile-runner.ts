/**
 * What tiled inference needs from a network: one forward pass over a square input tile. Implemented by
 * the ONNX Runtime session (the default) and by the tfjs model (the fallback), so both run the same
 * overlap-tile, augmentation and post-processing code.
 */
export interface TileRunner {
  /** Human-readable engine and device, e.g. "onnxruntime (cpu, 2 threads)". */
  readonly description: string;
  readonly depth: number;
  readonly inChannels: number;
  readonly numClasses: number;
  /**
   * `input` is a size x size x inChannels tile, HWC (interleaved), already normalised. Resolves to the softmax
   * probabilities as numClasses planes (CHW) of outSize x outSize, outSize = outputSizeFor(size, depth).
   */
  runTile(input: Float32Array, size: number): Promise<Float32Array>;
  /** Frees the session or model; the runner must not be used afterwards. */
  dispose(): Promise<void>;
}

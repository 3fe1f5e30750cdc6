import type * as tfl from '@tensorflow/tfjs-layers';
import type { Rng } from '../../src-shared/imaging/rng';
import type { OptimizerState } from './optimizer';
import type { TilePredictor } from './validation';

/** A batch of training tiles, NHWC as the tile sampler makes them. */
export interface StepBatch {
  size: number;
  /** [N, tile, tile, C] */
  input: Float32Array;
  /** [N, out, out, K] one-hot, all zero where unlabeled */
  target: Float32Array;
  /** [N, out, out] */
  weights: Float32Array;
}

/**
 * What the trainer needs of a compute engine: optimizer steps, predictions for validation, and the
 * weights and optimizer slots for checkpoints. `model` is the tfjs model that checkpoints are written
 * from; `syncModel` brings it up to date with the engine's own copy of the weights.
 */
export interface StepEngine {
  readonly model: tfl.LayersModel;
  /** One optimizer step; returns the loss. `rng` draws the dropout mask. */
  step(batch: StepBatch, learningRate: number, rng: Rng): Promise<number>;
  predictor(): TilePredictor;
  syncModel(): Promise<void>;
  optimizerState(): Promise<OptimizerState>;
  setOptimizerState(state: OptimizerState): void;
  dispose(): Promise<void>;
}

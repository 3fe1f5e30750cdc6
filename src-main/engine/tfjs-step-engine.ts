import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Rng } from '../../src-shared/imaging/rng';
import { weightedCrossEntropy } from './loss';
import { TrainOptimizer, type OptimizerState } from './optimizer';
import type { StepBatch, StepEngine } from './step-engine';
import type { TrainConfig } from './train-config';
import { DROPOUT_LAYER_NAME } from './unet-model';
import { tfjsPredictor, type TilePredictor } from './validation';

/** Training on the active tfjs backend (tfjs-node, tfjs-node-gpu, wasm or cpu) with tfjs's autodiff. */
export class TfjsStepEngine implements StepEngine {
  private readonly optimizer: TrainOptimizer;
  private readonly variables: tf.Variable[];
  private readonly dropout: { seed?: number } | null;

  constructor(
    readonly model: tfl.LayersModel,
    private readonly config: TrainConfig,
  ) {
    this.variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    this.optimizer = new TrainOptimizer(config.optimizer, this.variables, config.momentum);
    this.dropout = config.dropout > 0 ? (model.getLayer(DROPOUT_LAYER_NAME) as unknown as { seed?: number }) : null;
  }

  async step(batch: StepBatch, learningRate: number, rng: Rng): Promise<number> {
    const { tile: inSize, outputTile: out, numClasses: K, inChannels: C } = this.config;
    if (this.dropout) this.dropout.seed = rng.int(2 ** 31);
    const x = tf.tensor4d(batch.input, [batch.size, inSize, inSize, C]);
    const target = tf.tensor4d(batch.target, [batch.size, out, out, K]);
    const weights = tf.tensor4d(batch.weights, [batch.size, out, out, 1]);
    let grads: tf.NamedTensorMap | null = null;
    let value: tf.Scalar | null = null;
    try {
      ({ value, grads } = tf.variableGrads(
        () => weightedCrossEntropy(this.model.apply(x, { training: true }) as tf.Tensor4D, target, weights),
        this.variables,
      ));
      const loss = (await value.data())[0];
      // A diverged step is not applied: the trainer stops on a non-finite loss.
      if (Number.isFinite(loss)) {
        const g = grads;
        this.optimizer.apply(
          this.variables.map((v) => g[v.name]),
          learningRate,
        );
      }
      return loss;
    } finally {
      tf.dispose([x, target, weights]);
      if (value) value.dispose();
      if (grads) tf.dispose(Object.values(grads));
    }
  }

  predictor(): TilePredictor {
    return tfjsPredictor(this.model);
  }

  async syncModel(): Promise<void> {
    // The model's variables are the ones being trained.
  }

  optimizerState(): Promise<OptimizerState> {
    return this.optimizer.getState();
  }

  setOptimizerState(state: OptimizerState): void {
    this.optimizer.setState(state);
  }

  async dispose(): Promise<void> {
    this.optimizer.dispose();
  }
}

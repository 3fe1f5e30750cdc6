import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Rng } from '../../../src-shared/imaging/rng';
import type { OptimizerState } from '../optimizer';
import type { StepBatch, StepEngine } from '../step-engine';
import { architectureOf, type TrainConfig } from '../train-config';
import type { TilePredictor } from '../validation';
import { OrtTrainingSession, type StepFeeds } from './ort-training-session';
import type { OrtTrainingProvider } from './ort-providers';
import type { UnetParameter } from './unet-parameters';

/**
 * Training on ONNX Runtime: the whole step (forward, loss, backward, update) is one graph run. The tfjs
 * model only holds the weights for checkpoints and is brought up to date when one is written.
 */
export class OrtStepEngine implements StepEngine {
  private buffers: { input: Float32Array | null; target: Float32Array; dropoutMask: Float32Array | null } | null = null;

  private constructor(
    readonly model: tfl.LayersModel,
    private readonly config: TrainConfig,
    private readonly session: OrtTrainingSession,
  ) {}

  static async create(model: tfl.LayersModel, config: TrainConfig, provider: OrtTrainingProvider, threads: number): Promise<OrtStepEngine> {
    const session = await OrtTrainingSession.create({
      arch: architectureOf(config),
      tile: config.tile,
      batch: config.batchSize,
      optimizer: config.optimizer,
      momentum: config.momentum,
      provider,
      threads,
      batchNorm: config.batchNorm,
      weightAverage: config.weightAverage,
    });
    session.setParameters(session.io.parameters.map((p) => readLayerWeight(model, p)));
    return new OrtStepEngine(model, config, session);
  }

  async step(batch: StepBatch, learningRate: number, rng: Rng): Promise<number> {
    return this.session.step(this.toFeeds(batch, rng), learningRate);
  }

  predictor(): TilePredictor {
    const { outputTile: out, numClasses: K } = this.config;
    return async (tile, channels) => {
      // One channel is the same in both layouts.
      const chw = channels === 1 ? tile : hwcToChw(tile, 1, Math.round(Math.sqrt(tile.length / channels)), channels, new Float32Array(tile.length));
      return chwToHwc(await this.session.logProbabilities(chw), out, K);
    };
  }

  async syncModel(): Promise<void> {
    const values = this.session.parameters();
    const byLayer = new Map<string, tf.Tensor[]>();
    this.session.io.parameters.forEach((p, i) => {
      const list = byLayer.get(p.layer.name) ?? [];
      list[p.role === 'weight' ? 0 : 1] = tf.tensor(values[i], p.tfjsShape, 'float32');
      byLayer.set(p.layer.name, list);
    });
    for (const [layer, tensors] of byLayer) {
      this.model.getLayer(layer).setWeights(tensors);
      tf.dispose(tensors);
    }
  }

  async optimizerState(): Promise<OptimizerState> {
    return this.session.optimizerState();
  }

  setOptimizerState(state: OptimizerState): void {
    this.session.setOptimizerState(state);
  }

  async dispose(): Promise<void> {
    await this.session.dispose();
  }

  /**
   * The sampler's NHWC batch in the graph's NCHW layouts, and the dropout mask drawn from `rng`. One
   * channel and the weights are the same in both layouts and are passed as they are (the batch stays
   * valid until the next step asks for its tiles); only the one-hot target, and a multi-channel input,
   * are transposed into buffers kept from step to step.
   */
  private toFeeds(batch: StepBatch, rng: Rng): StepFeeds {
    const { tile, outputTile: out, numClasses: K, inChannels: C, dropout } = this.config;
    const io = this.session.io;
    const n = batch.size;
    this.buffers ??= {
      input: C === 1 ? null : new Float32Array(n * C * tile * tile),
      target: new Float32Array(n * K * out * out),
      dropoutMask: io.dropoutShape ? new Float32Array(io.dropoutShape.reduce((a, b) => a * b, 1)) : null,
    };
    const b = this.buffers;
    const { dropoutMask } = b;
    if (dropoutMask) {
      // Inverted dropout, as tfjs: kept activations are scaled by 1 / keep-probability.
      const keep = 1 - dropout;
      for (let i = 0; i < dropoutMask.length; i++) dropoutMask[i] = rng.next() < keep ? 1 / keep : 0;
    }
    return {
      input: b.input ? hwcToChw(batch.input, n, tile, C, b.input) : batch.input,
      target: hwcToChw(batch.target, n, out, K, b.target),
      weights: batch.weights,
      dropoutMask,
    };
  }

}

function readLayerWeight(model: tfl.LayersModel, p: UnetParameter): Float32Array {
  const tensor = model.getLayer(p.layer.name).getWeights()[p.role === 'weight' ? 0 : 1];
  return tensor.dataSync() as Float32Array;
}

/** [N, S, S, C] -> [N, C, S, S]. */
function hwcToChw(src: Float32Array, n: number, size: number, channels: number, dst: Float32Array): Float32Array {
  const plane = size * size;
  for (let b = 0; b < n; b++) {
    const base = b * plane * channels;
    for (let i = 0; i < plane; i++) {
      for (let c = 0; c < channels; c++) dst[base + c * plane + i] = src[base + i * channels + c];
    }
  }
  return dst;
}

/** [K, S, S] -> [S, S, K]. */
function chwToHwc(src: Float32Array, size: number, channels: number): Float32Array {
  const plane = size * size;
  const dst = new Float32Array(src.length);
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < plane; i++) dst[i * channels + c] = src[c * plane + i];
  }
  return dst;
}

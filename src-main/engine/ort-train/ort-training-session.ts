import * as ort from 'onnxruntime-node';
import { UnetError } from '../../../src-shared/contract/errors';
import { encodeOnnxModel } from '../onnx/onnx-writer';
import type { OptimizerState } from '../optimizer';
import type { UNetArchitecture } from '../unet-architecture';
import { buildEvaluationGraph } from './evaluation-graph';
import { toOnnxLayout, toTfjsLayout } from './parameter-layout';
import { createSession, ortError, type OrtTrainingProvider } from './ort-providers';
import { buildTrainingGraph, type OptimizerKind, type TrainingGraphIO } from './training-graph';

export interface OrtTrainingOptions {
  arch: UNetArchitecture;
  tile: number;
  batch: number;
  optimizer: OptimizerKind;
  momentum: number;
  provider: OrtTrainingProvider;
  threads: number;
}

/** One step's data in the graph's layouts (NCHW); `dropoutMask` is required when the network has dropout. */
export interface StepFeeds {
  input: Float32Array;
  target: Float32Array;
  weights: Float32Array;
  dropoutMask: Float32Array | null;
}

const ADAM_BETA2 = 0.999;
const ADAM_EPSILON = 1e-8;

/**
 * A U-Net training step on ONNX Runtime. Parameters and optimizer slots live in ORT tensors: each
 * step's outputs are the next step's inputs, so nothing is rebuilt or converted between steps. They are
 * converted to the tfjs layout only when a checkpoint is written. A second, forward-only session reads
 * the same parameter tensors for validation.
 */
export class OrtTrainingSession {
  private params: ort.Tensor[];
  private slots: ort.Tensor[][];
  private iterations = 0;
  private evaluation: { session: ort.InferenceSession; output: string } | null = null;

  private constructor(
    readonly options: OrtTrainingOptions,
    private readonly session: ort.InferenceSession,
    readonly io: TrainingGraphIO,
  ) {
    this.params = io.parameters.map((p) => new ort.Tensor('float32', new Float32Array(p.size), p.dims));
    this.slots = io.parameters.map((p) => Array.from({ length: io.slotsPerParameter }, () => new ort.Tensor('float32', new Float32Array(p.size), p.dims)));
  }

  static async create(options: OrtTrainingOptions): Promise<OrtTrainingSession> {
    const graph = buildTrainingGraph({
      arch: options.arch,
      tile: options.tile,
      batch: options.batch,
      optimizer: options.optimizer,
      momentum: options.momentum,
      beta2: ADAM_BETA2,
      epsilon: ADAM_EPSILON,
    });
    const session = await createSession(encodeOnnxModel(graph.model), options.provider, options.threads);
    return new OrtTrainingSession(options, session, graph.io);
  }

  /** Sets every parameter from tfjs-layout values, in the order of `io.parameters`. */
  setParameters(values: Float32Array[]): void {
    const { parameters } = this.io;
    if (values.length !== parameters.length) throw new UnetError('INTERNAL', `expected ${parameters.length} parameters, got ${values.length}`);
    this.params = parameters.map((p, i) => {
      if (values[i].length !== p.size) throw new UnetError('CORRUPT', `parameter ${p.name} has ${values[i].length} values, expected ${p.size}`);
      return new ort.Tensor('float32', toOnnxLayout(p, values[i]), p.dims);
    });
  }

  /** Every parameter in the tfjs layout, in the order of `io.parameters`. */
  parameters(): Float32Array[] {
    return this.io.parameters.map((p, i) => toTfjsLayout(p, this.params[i].data as Float32Array));
  }

  /** Slots in the tfjs trainer's layout and order, so checkpoints resume on either engine. */
  optimizerState(): OptimizerState {
    const slots: OptimizerState['slots'] = [];
    this.io.parameters.forEach((p, i) => {
      this.slots[i].forEach((slot, j) => {
        slots.push({ name: `${p.layer.name}/${p.role === 'weight' ? 'kernel' : 'bias'}/slot${j}`, shape: p.tfjsShape.slice(), data: toTfjsLayout(p, slot.data as Float32Array) });
      });
    });
    return { kind: this.options.optimizer, iterations: this.iterations, slots };
  }

  setOptimizerState(state: OptimizerState): void {
    const { parameters, slotsPerParameter } = this.io;
    if (state.kind !== this.options.optimizer || state.slots.length !== parameters.length * slotsPerParameter) {
      throw new UnetError('CORRUPT', `optimizer state is for ${state.kind} with ${state.slots.length} slots; this run uses ${this.options.optimizer} with ${parameters.length * slotsPerParameter}`);
    }
    this.slots = parameters.map((p, i) =>
      Array.from({ length: slotsPerParameter }, (_, j) => {
        const saved = state.slots[i * slotsPerParameter + j];
        if (saved.shape.join('x') !== p.tfjsShape.join('x')) {
          throw new UnetError('CORRUPT', `optimizer slot ${saved.name} has shape ${saved.shape.join('x')}, expected ${p.tfjsShape.join('x')}`);
        }
        return new ort.Tensor('float32', toOnnxLayout(p, saved.data), p.dims);
      }),
    );
    this.iterations = state.iterations;
  }

  /** One optimizer step; returns the loss before the update. */
  async step(feeds: StepFeeds, learningRate: number): Promise<number> {
    const { io } = this;
    this.iterations++;
    const t = this.iterations;
    // Adam's bias correction folded into the step size, as the tfjs trainer does.
    const stepSize =
      this.options.optimizer === 'adam'
        ? (learningRate * Math.sqrt(1 - ADAM_BETA2 ** t)) / (1 - this.options.momentum ** t)
        : learningRate;
    const inputs: Record<string, ort.Tensor> = {
      [io.input]: new ort.Tensor('float32', feeds.input, io.inputShape),
      [io.target]: new ort.Tensor('float32', feeds.target, io.targetShape),
      [io.weights]: new ort.Tensor('float32', feeds.weights, io.weightsShape),
      [io.learningRate]: new ort.Tensor('float32', new Float32Array([stepSize]), []),
    };
    if (io.dropoutMask && io.dropoutShape) {
      if (!feeds.dropoutMask) throw new UnetError('INTERNAL', 'the network has dropout but no mask was given');
      inputs[io.dropoutMask] = new ort.Tensor('float32', feeds.dropoutMask, io.dropoutShape);
    }
    io.parameters.forEach((p, i) => {
      inputs[io.paramInput(p.name)] = this.params[i];
      this.slots[i].forEach((slot, j) => (inputs[io.slotInput(p.name, j)] = slot));
    });
    let out: ort.InferenceSession.OnnxValueMapType;
    try {
      out = await this.session.run(inputs);
    } catch (error) {
      this.iterations--;
      throw ortError(error, `training step ${t} failed on ONNX Runtime (${this.options.provider})`);
    }
    this.params = io.parameters.map((p) => out[io.paramOutput(p.name)] as ort.Tensor);
    this.slots = io.parameters.map((p) => Array.from({ length: io.slotsPerParameter }, (_, j) => out[io.slotOutput(p.name, j)] as ort.Tensor));
    return (out[io.loss].data as Float32Array)[0];
  }

  /** Log-probabilities [K, out, out] (NCHW without N) of one input tile [C, tile, tile], with the current parameters. */
  async logProbabilities(tile: Float32Array): Promise<Float32Array> {
    const { arch, tile: size, provider, threads } = this.options;
    if (!this.evaluation) {
      const graph = buildEvaluationGraph(arch, size);
      this.evaluation = { session: await createSession(encodeOnnxModel(graph.model), provider, threads), output: graph.output };
    }
    const feeds: Record<string, ort.Tensor> = { input: new ort.Tensor('float32', tile, [1, arch.inChannels, size, size]) };
    this.io.parameters.forEach((p, i) => (feeds[this.io.paramInput(p.name)] = this.params[i]));
    try {
      const out = await this.evaluation.session.run(feeds);
      return out[this.evaluation.output].data as Float32Array;
    } catch (error) {
      throw ortError(error, `validation failed on ONNX Runtime (${provider})`);
    }
  }

  async dispose(): Promise<void> {
    await this.session.release();
    await this.evaluation?.session.release();
  }
}

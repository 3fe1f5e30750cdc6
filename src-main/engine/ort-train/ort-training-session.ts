import * as ort from 'onnxruntime-node';
import { UnetError } from '../../../src-shared/contract/errors';
import { encodeOnnxModel } from '../onnx/onnx-writer';
import type { OptimizerState } from '../optimizer';
import type { UNetArchitecture } from '../unet-architecture';
import { foldBatchNorm } from './batch-norm-folding';
import { buildEvaluationGraph } from './evaluation-graph';
import { toOnnxLayout, toTfjsLayout } from './parameter-layout';
import { createSession, ortError, type OrtTrainingProvider } from './ort-providers';
import { buildTrainingGraph, type OptimizerKind, type TrainingGraphIO } from './training-graph';
import { WeightAverage } from './weight-average';

export interface OrtTrainingOptions {
  arch: UNetArchitecture;
  tile: number;
  batch: number;
  optimizer: OptimizerKind;
  momentum: number;
  provider: OrtTrainingProvider;
  threads: number;
  /** Batch normalisation while training, folded into the convolutions whenever weights leave the session. */
  batchNorm?: boolean;
  /** Decay of the weight average that validation, checkpoints and models use (weight-average.ts); 0 or absent: the last step's weights. */
  weightAverage?: number;
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

/** Checkpoint entries of the batch normalisation's state carry this prefix among the optimizer slots. */
const BATCH_NORM_PREFIX = 'batchnorm:';
/** Checkpoint entries of the weight average (and, without batch normalisation, of the live weights). */
const AVERAGE_PREFIX = 'average:';

/**
 * A U-Net training step on ONNX Runtime. Parameters and optimizer slots live in ORT tensors: each
 * step's outputs are the next step's inputs, so nothing is rebuilt or converted between steps. They are
 * converted to the tfjs layout only when a checkpoint is written. A second, forward-only session reads
 * the same parameter tensors for validation.
 */
export class OrtTrainingSession {
  private params: ort.Tensor[];
  private slots: ort.Tensor[][];
  /** Batch normalisation: scales and shifts (trained), their slots, running statistics. */
  private normParams: ort.Tensor[];
  private normSlots: ort.Tensor[][];
  private stats: ort.Tensor[];
  /** The parameters with the normalisation folded in (ONNX layout), until the next step. */
  private folded: ort.Tensor[] | null = null;
  private iterations = 0;
  /** The average of the trained state, from the first step on, when the run averages. */
  private average: WeightAverage | null = null;
  private evaluation: { session: ort.InferenceSession; output: string } | null = null;

  private constructor(
    readonly options: OrtTrainingOptions,
    private readonly session: ort.InferenceSession,
    readonly io: TrainingGraphIO,
  ) {
    const zeros = (p: { size: number; dims: number[] }) => new ort.Tensor('float32', new Float32Array(p.size), p.dims);
    this.params = io.parameters.map(zeros);
    this.slots = io.parameters.map((p) => Array.from({ length: io.slotsPerParameter }, () => zeros(p)));
    // A fresh normalisation is the identity on normalised values: scale 1, shift 0; statistics 0 and 1.
    this.normParams = io.normParameters.map((p) => new ort.Tensor('float32', new Float32Array(p.size).fill(p.role === 'scale' ? 1 : 0), p.dims));
    this.normSlots = io.normParameters.map((p) => Array.from({ length: io.slotsPerParameter }, () => zeros(p)));
    this.stats = io.normStatistics.map((s) => new ort.Tensor('float32', new Float32Array(s.size).fill(s.role === 'variance' ? 1 : 0), s.dims));
  }

  get batchNorm(): boolean {
    return this.io.normParameters.length > 0;
  }

  get averaging(): boolean {
    return (this.options.weightAverage ?? 0) > 0;
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
      batchNorm: options.batchNorm === true,
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
    this.folded = null;
  }

  /**
   * Every parameter of the paper's network in the tfjs layout, in the order of `io.parameters`: what
   * models and checkpoints hold. With batch normalisation, it is folded in (running statistics).
   */
  parameters(): Float32Array[] {
    const values = this.batchNorm ? this.foldedParameters() : this.modelState().params;
    return this.io.parameters.map((p, i) => toTfjsLayout(p, values[i].data as Float32Array));
  }

  /**
   * Slots in the tfjs trainer's layout and order, so checkpoints resume on either engine. With batch
   * normalisation, its state follows as further named entries (the unfolded weights, scales, shifts,
   * their slots and the running statistics), which only this engine reads back.
   */
  optimizerState(): OptimizerState {
    const slots: OptimizerState['slots'] = [];
    this.io.parameters.forEach((p, i) => {
      this.slots[i].forEach((slot, j) => {
        slots.push({ name: `${p.layer.name}/${p.role === 'weight' ? 'kernel' : 'bias'}/slot${j}`, shape: p.tfjsShape.slice(), data: toTfjsLayout(p, slot.data as Float32Array) });
      });
    });
    if (this.batchNorm) slots.push(...this.batchNormState());
    if (this.average) slots.push(...this.averageState(this.average));
    return { kind: this.options.optimizer, iterations: this.iterations, slots };
  }

  private batchNormState(): OptimizerState['slots'] {
    const entry = (name: string, tensor: ort.Tensor) => ({ name: `${BATCH_NORM_PREFIX}${name}`, shape: tensor.dims.slice(), data: (tensor.data as Float32Array).slice() });
    return [
      ...this.io.parameters.map((p, i) => entry(`unfolded/${p.name}`, this.params[i])),
      ...this.io.normParameters.map((p, i) => entry(p.name, this.normParams[i])),
      ...this.io.normParameters.flatMap((p, i) => this.normSlots[i].map((slot, j) => entry(`${p.name}/slot${j}`, slot))),
      ...this.io.normStatistics.map((s, i) => entry(s.name, this.stats[i])),
    ];
  }

  private setBatchNormState(entries: OptimizerState['slots']): void {
    const byName = new Map(entries.map((e) => [e.name.slice(BATCH_NORM_PREFIX.length), e]));
    const take = (name: string, dims: readonly number[]): ort.Tensor => {
      const saved = byName.get(name);
      if (!saved || saved.data.length !== dims.reduce((a, b) => a * b, 1)) {
        throw new UnetError('CORRUPT', `the checkpoint's batch normalisation state lacks ${name} or has the wrong size`);
      }
      return new ort.Tensor('float32', saved.data.slice(), dims as number[]);
    };
    this.params = this.io.parameters.map((p) => take(`unfolded/${p.name}`, p.dims));
    this.normParams = this.io.normParameters.map((p) => take(p.name, p.dims));
    this.normSlots = this.io.normParameters.map((p) => Array.from({ length: this.io.slotsPerParameter }, (_, j) => take(`${p.name}/slot${j}`, p.dims)));
    this.stats = this.io.normStatistics.map((s) => take(s.name, s.dims));
    this.folded = null;
  }

  setOptimizerState(state: OptimizerState): void {
    const { parameters, slotsPerParameter } = this.io;
    const normEntries = state.slots.filter((s) => s.name.startsWith(BATCH_NORM_PREFIX));
    const averageEntries = state.slots.filter((s) => s.name.startsWith(AVERAGE_PREFIX));
    const plain = state.slots.filter((s) => !s.name.startsWith(BATCH_NORM_PREFIX) && !s.name.startsWith(AVERAGE_PREFIX));
    if (this.batchNorm !== normEntries.length > 0) {
      throw new UnetError(
        'CORRUPT',
        this.batchNorm
          ? 'the checkpoint was written without batch normalisation; this run trains with it'
          : 'the checkpoint was written with batch normalisation; this run trains without it',
      );
    }
    if (state.kind !== this.options.optimizer || plain.length !== parameters.length * slotsPerParameter) {
      throw new UnetError('CORRUPT', `optimizer state is for ${state.kind} with ${plain.length} slots; this run uses ${this.options.optimizer} with ${parameters.length * slotsPerParameter}`);
    }
    if (averageEntries.length > 0 && !this.averaging) {
      throw new UnetError('CORRUPT', 'the checkpoint was written with a weight average; this run trains without one');
    }
    if (this.batchNorm) this.setBatchNormState(normEntries);
    // A checkpoint from before the run averaged (none is written so) starts the average afresh.
    if (averageEntries.length > 0) this.setAverageState(averageEntries);
    this.slots = parameters.map((p, i) =>
      Array.from({ length: slotsPerParameter }, (_, j) => {
        const saved = plain[i * slotsPerParameter + j];
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
    io.normParameters.forEach((p, i) => {
      inputs[io.paramInput(p.name)] = this.normParams[i];
      this.normSlots[i].forEach((slot, j) => (inputs[io.slotInput(p.name, j)] = slot));
    });
    io.normStatistics.forEach((s, i) => (inputs[io.statInput(s.name)] = this.stats[i]));
    let out: ort.InferenceSession.OnnxValueMapType;
    try {
      out = await this.session.run(inputs);
    } catch (error) {
      this.iterations--;
      throw ortError(error, `training step ${t} failed on ONNX Runtime (${this.options.provider})`);
    }
    this.params = io.parameters.map((p) => out[io.paramOutput(p.name)] as ort.Tensor);
    this.slots = io.parameters.map((p) => Array.from({ length: io.slotsPerParameter }, (_, j) => out[io.slotOutput(p.name, j)] as ort.Tensor));
    this.normParams = io.normParameters.map((p) => out[io.paramOutput(p.name)] as ort.Tensor);
    this.normSlots = io.normParameters.map((p) => Array.from({ length: io.slotsPerParameter }, (_, j) => out[io.slotOutput(p.name, j)] as ort.Tensor));
    this.stats = io.normStatistics.map((s) => out[io.statOutput(s.name)] as ort.Tensor);
    this.folded = null;
    this.updateAverage();
    return (out[io.loss].data as Float32Array)[0];
  }

  /** The live trained state as flat arrays: weights and biases, then normalisation parameters, then statistics. */
  private trainedState(): Float32Array[] {
    return [...this.params, ...this.normParams, ...this.stats].map((t) => t.data as Float32Array);
  }

  /** The names of `trainedState()`'s arrays, in its order. */
  private trainedStateNames(): string[] {
    return [...this.io.parameters, ...this.io.normParameters, ...this.io.normStatistics].map((entry) => entry.name);
  }

  private updateAverage(): void {
    if (!this.averaging) return;
    if (this.average) this.average.update(this.trainedState());
    else this.average = WeightAverage.start(this.options.weightAverage as number, this.trainedState());
  }

  /** The state validation, checkpoints and models use: the average when there is one, else the live state. */
  private modelState(): { params: ort.Tensor[]; normParams: Float32Array[]; stats: Float32Array[] } {
    const live = { params: this.params, normParams: this.normParams.map((t) => t.data as Float32Array), stats: this.stats.map((t) => t.data as Float32Array) };
    if (!this.average) return live;
    const values = this.average.current;
    const p = this.io.parameters.length;
    const q = p + this.io.normParameters.length;
    return {
      params: this.io.parameters.map((parameter, i) => new ort.Tensor('float32', values[i], parameter.dims)),
      normParams: values.slice(p, q) as Float32Array[],
      stats: values.slice(q) as Float32Array[],
    };
  }

  /**
   * The average and its update count; without batch normalisation also the live weights, since the
   * checkpoint's model holds the average (with it, the live weights are among its entries already).
   */
  private averageState(average: WeightAverage): OptimizerState['slots'] {
    const { updates, values } = average.state();
    const names = this.trainedStateNames();
    const entry = (name: string, data: Float32Array) => ({ name: `${AVERAGE_PREFIX}${name}`, shape: [data.length], data });
    return [
      entry('updates', new Float32Array([updates])),
      ...values.map((data, i) => entry(`mean/${names[i]}`, data)),
      ...(this.batchNorm ? [] : this.params.map((t, i) => entry(`live/${names[i]}`, (t.data as Float32Array).slice()))),
    ];
  }

  private setAverageState(entries: OptimizerState['slots']): void {
    const byName = new Map(entries.map((e) => [e.name.slice(AVERAGE_PREFIX.length), e.data]));
    const names = this.trainedStateNames();
    const values = names.map((name) => byName.get(`mean/${name}`));
    const updates = byName.get('updates')?.[0];
    if (values.some((v) => !v) || updates === undefined) throw new UnetError('CORRUPT', 'the checkpoint\'s weight average is incomplete');
    if (!this.batchNorm) {
      this.params = this.io.parameters.map((p) => {
        const live = byName.get(`live/${p.name}`);
        if (!live || live.length !== p.size) throw new UnetError('CORRUPT', `the checkpoint's weight average lacks the live weights of ${p.name}`);
        return new ort.Tensor('float32', live.slice(), p.dims);
      });
    }
    this.average = WeightAverage.restore(this.options.weightAverage as number, { updates, values: values as Float32Array[] }, this.trainedState());
    this.folded = null;
  }

  /** Log-probabilities [K, out, out] (NCHW without N) of one input tile [C, tile, tile], with the current parameters. */
  async logProbabilities(tile: Float32Array): Promise<Float32Array> {
    const { arch, tile: size, provider, threads } = this.options;
    if (!this.evaluation) {
      const graph = buildEvaluationGraph(arch, size);
      this.evaluation = { session: await createSession(encodeOnnxModel(graph.model), provider, threads), output: graph.output };
    }
    const feeds: Record<string, ort.Tensor> = { input: new ort.Tensor('float32', tile, [1, arch.inChannels, size, size]) };
    const params = this.batchNorm ? this.foldedParameters() : this.modelState().params;
    this.io.parameters.forEach((p, i) => (feeds[this.io.paramInput(p.name)] = params[i]));
    try {
      const out = await this.evaluation.session.run(feeds);
      return out[this.evaluation.output].data as Float32Array;
    } catch (error) {
      throw ortError(error, `validation failed on ONNX Runtime (${provider})`);
    }
  }

  /** The network as inference runs it: each normalised convolution with its running statistics folded in. */
  private foldedParameters(): ort.Tensor[] {
    if (this.folded) return this.folded;
    const { parameters, normParameters, normStatistics } = this.io;
    const state = this.modelState();
    const perLayer = new Map<string, Float32Array>();
    normParameters.forEach((p, i) => perLayer.set(`${p.layer}:${p.role}`, state.normParams[i]));
    normStatistics.forEach((s, i) => perLayer.set(`${s.layer}:${s.role}`, state.stats[i]));
    const folded = state.params.slice();
    parameters.forEach((p, i) => {
      const layer = p.layer.name;
      const scale = perLayer.get(`${layer}:scale`);
      if (p.role !== 'weight' || !scale) return;
      const b = parameters.findIndex((q) => q.layer.name === layer && q.role === 'bias');
      const result = foldBatchNorm(state.params[i].data as Float32Array, state.params[b].data as Float32Array, {
        scale,
        shift: perLayer.get(`${layer}:shift`) as Float32Array,
        mean: perLayer.get(`${layer}:mean`) as Float32Array,
        variance: perLayer.get(`${layer}:variance`) as Float32Array,
      });
      folded[i] = new ort.Tensor('float32', result.weight, p.dims);
      folded[b] = new ort.Tensor('float32', result.bias, parameters[b].dims);
    });
    this.folded = folded;
    return folded;
  }

  async dispose(): Promise<void> {
    await this.session.release();
    await this.evaluation?.session.release();
  }
}

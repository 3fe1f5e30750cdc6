import { UnetError, type ErrorInfo } from '../../src-shared/contract/errors';
import { createRng, type Rng } from '../../src-shared/imaging/rng';
import { startWorker } from './entry-files';
import type { StepBatch } from './step-engine';
import type { AugmentationConfig, TrainConfig } from './train-config';
import { TileSampler, type PreparedSample, type TrainingTile } from './training-data';

/** Where the trainer gets each step's tiles. */
export interface BatchSource {
  /** The batch of `step`; valid until the next call. */
  take(step: number): Promise<StepBatch>;
  /** 'worker': prepared on another thread while the step computes; 'inline': on the training thread. */
  readonly mode: 'worker' | 'inline';
  dispose(): Promise<void>;
}

export type BatchGeometry = Pick<TrainConfig, 'batchSize' | 'tile' | 'outputTile' | 'numClasses' | 'inChannels' | 'seed' | 'tileSampling'> & { augmentation: AugmentationConfig };

/** Every step draws its tiles from its own generator, so a resumed run samples exactly what an uninterrupted one would. */
export function stepRng(seed: number, step: number): Rng {
  return createRng((Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) + step * 0x85ebca6b) | 0);
}

export function newBatch(g: BatchGeometry): StepBatch {
  const { batchSize: n, tile, outputTile: out, numClasses: K, inChannels: C } = g;
  return { size: n, input: new Float32Array(n * tile * tile * C), target: new Float32Array(n * out * out * K), weights: new Float32Array(n * out * out) };
}

/** Draws the batch of `step` into `batch` (the sampler reuses its own buffers, so each tile is copied out). */
export function fillBatch(sampler: TileSampler, g: BatchGeometry, step: number, batch: StepBatch): StepBatch {
  const rng = stepRng(g.seed, step);
  for (let i = 0; i < batch.size; i++) copyTile(sampler.next(rng), batch, i);
  return batch;
}

function copyTile(tile: TrainingTile, batch: StepBatch, i: number): void {
  batch.input.set(tile.input, i * tile.input.length);
  batch.target.set(tile.target, i * tile.target.length);
  batch.weights.set(tile.weights, i * tile.weights.length);
}

export function inlineBatchSource(samples: PreparedSample[], g: BatchGeometry): BatchSource {
  const sampler = new TileSampler(samples, { input: g.tile, output: g.outputTile }, g.numClasses, g.augmentation, g.tileSampling);
  const batch = newBatch(g);
  return {
    mode: 'inline',
    take: async (step) => fillBatch(sampler, g, step, batch),
    dispose: async () => {},
  };
}

interface BatchMessage {
  type: 'batch';
  step: number;
  batch: StepBatch;
}

interface ReadyMessage {
  type: 'ready';
}

interface ErrorMessage {
  type: 'error';
  error: ErrorInfo;
}

/**
 * Prepares step s + 1's tiles (sampling, augmentation) on a worker thread while step s computes, with
 * two sets of buffers passed back and forth (no copy, no fresh pages). The samples are copied to the
 * worker once. The result is the same tiles as inline sampling.
 */
export async function workerBatchSource(samples: PreparedSample[], g: BatchGeometry): Promise<BatchSource> {
  const worker = startWorker('batch-worker', { samples, geometry: g });
  // The worker says it is ready once its sampler is built; a failure before that is the caller's to handle.
  await new Promise<void>((resolve, reject) => {
    const onMessage = (m: ReadyMessage | ErrorMessage) => {
      worker.off('error', onError);
      worker.off('message', onMessage);
      if (m.type === 'ready') resolve();
      else {
        void worker.terminate();
        reject(new UnetError(m.error.code, `preparing training tiles failed: ${m.error.message}`, m.error.details));
      }
    };
    const onError = (error: Error) => {
      worker.off('message', onMessage);
      reject(new UnetError('INTERNAL', `the tile worker failed to start: ${error.message}`));
    };
    worker.on('message', onMessage);
    worker.once('error', onError);
  });
  const waiting = new Map<number, { resolve: (b: StepBatch) => void; reject: (e: Error) => void }>();
  const ready = new Map<number, StepBatch>();
  let failure: Error | null = null;
  const fail = (error: Error) => {
    failure = error;
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  worker.on('message', (m: BatchMessage | ErrorMessage) => {
    if (m.type === 'error') return fail(new UnetError(m.error.code, `preparing training tiles failed: ${m.error.message}`, m.error.details));
    const w = waiting.get(m.step);
    if (w) {
      waiting.delete(m.step);
      w.resolve(m.batch);
    } else ready.set(m.step, m.batch);
  });
  worker.on('error', (error) => fail(new UnetError('INTERNAL', `the tile worker failed: ${error.message}`)));
  worker.on('exit', (code) => {
    if (code !== 0) fail(new UnetError('INTERNAL', `the tile worker exited with code ${code}`));
  });
  const request = (step: number, recycled?: StepBatch) => {
    const transfer = recycled ? [recycled.input.buffer, recycled.target.buffer, recycled.weights.buffer] : [];
    worker.postMessage({ step, batch: recycled }, transfer as ArrayBuffer[]);
  };
  let previous: StepBatch | undefined;
  let requested = -1;
  return {
    mode: 'worker',
    async take(step) {
      if (failure) throw failure;
      if (requested !== step && !ready.has(step)) request(step);
      const batch =
        ready.get(step) ??
        (await new Promise<StepBatch>((resolve, reject) => {
          waiting.set(step, { resolve, reject });
        }));
      ready.delete(step);
      // Ask for the next step now, so it is prepared while this one computes; the batch the caller has
      // finished with goes back as its buffers.
      request(step + 1, previous);
      requested = step + 1;
      previous = batch;
      return batch;
    },
    async dispose() {
      await worker.terminate();
    },
  };
}

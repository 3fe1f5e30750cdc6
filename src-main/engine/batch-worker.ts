import { parentPort, workerData } from 'node:worker_threads';
import { toErrorInfo } from '../../src-shared/contract/errors';
import { fillBatch, newBatch, type BatchGeometry } from './batch-source';
import type { StepBatch } from './step-engine';
import { TileSampler, type PreparedSample } from './training-data';

/** Thread entry of workerBatchSource: draws each requested step's tiles into the buffers it is given. */
const { samples, geometry } = workerData as { samples: PreparedSample[]; geometry: BatchGeometry };
const port = parentPort;
if (!port) throw new Error('batch-worker runs as a worker thread');
try {
  const sampler = new TileSampler(samples, { input: geometry.tile, output: geometry.outputTile }, geometry.numClasses, geometry.augmentation, geometry.tileSampling);
  port.postMessage({ type: 'ready' });
  port.on('message', ({ step, batch }: { step: number; batch?: StepBatch }) => {
    try {
      const filled = fillBatch(sampler, geometry, step, batch ?? newBatch(geometry));
      port.postMessage({ type: 'batch', step, batch: filled }, [filled.input.buffer, filled.target.buffer, filled.weights.buffer] as ArrayBuffer[]);
    } catch (error) {
      port.postMessage({ type: 'error', error: toErrorInfo(error) });
    }
  });
} catch (error) {
  port.postMessage({ type: 'error', error: toErrorInfo(error) });
}

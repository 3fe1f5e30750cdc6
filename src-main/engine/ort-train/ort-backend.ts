import os from 'node:os';
import * as ort from 'onnxruntime-node';
import type { TrainingBackend } from '../../../src-shared/contract/system';
import { encodeOnnxModel } from '../onnx/onnx-writer';
import { GraphBuilder } from './graph-builder';
import { cpuCount, createSession, providerObstacle, type OrtTrainingProvider } from './ort-providers';

const PROVIDER_OF: Partial<Record<TrainingBackend, OrtTrainingProvider>> = {
  'onnxruntime-cpu': 'cpu',
  'onnxruntime-cuda': 'cuda',
  'onnxruntime-dml': 'dml',
  'onnxruntime-webgpu': 'webgpu',
  'onnxruntime-coreml': 'coreml',
};

export function ortProviderOf(backend: TrainingBackend): OrtTrainingProvider {
  const provider = PROVIDER_OF[backend];
  if (!provider) throw new Error(`${backend} is not an ONNX Runtime backend`);
  return provider;
}

/**
 * Proves a provider works here by running a one-node graph on it (cheap checks first, so a missing GPU
 * stack is named rather than left to a native error). Returns the device line a run records.
 */
export async function startOrtProvider(provider: OrtTrainingProvider, threads?: number): Promise<{ device: string; threads: number }> {
  const obstacle = await providerObstacle(provider);
  if (obstacle) throw new Error(obstacle);
  const n = threads ?? cpuCount();
  if (!Number.isInteger(n) || n < 1) throw new Error(`threads must be a positive integer, got ${n}`);
  const g = new GraphBuilder();
  const x = g.input('x', [1, 4]);
  g.output(g.op('Relu', 'relu', [x]), 'y', [1, 4]);
  const session = await createSession(encodeOnnxModel(g.model('probe', 'provider probe')), provider, n);
  try {
    await session.run({ x: new ort.Tensor('float32', new Float32Array([-1, 0, 1, 2]), [1, 4]) });
  } finally {
    await session.release();
  }
  const version = ort.env.versions?.node ?? '';
  const cpu = `${os.cpus()[0]?.model?.trim() || 'unknown CPU'}`;
  const device =
    provider === 'cpu'
      ? `ONNX Runtime ${version} CPU, ${n} thread${n === 1 ? '' : 's'} of ${cpuCount()} cores (${cpu})`
      : `ONNX Runtime ${version} ${provider.toUpperCase()} execution provider`;
  return { device, threads: n };
}

import os from 'node:os';
import * as ort from 'onnxruntime-node';
import { UnetError } from '../../../src-shared/contract/errors';
import { isOutOfMemoryMessage } from '../../../src-shared/contract/out-of-memory';
import { ortCudaReadiness } from '../inference/cuda-probe';

/** ONNX Runtime execution providers the training engine can ask for. */
export const ORT_TRAINING_PROVIDERS = ['cpu', 'cuda', 'dml', 'webgpu', 'coreml'] as const;
export type OrtTrainingProvider = (typeof ORT_TRAINING_PROVIDERS)[number];

export function cpuCount(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/** Why a provider cannot run here, or null when it may: cheap checks before any session is made. */
export async function providerObstacle(provider: OrtTrainingProvider): Promise<string | null> {
  const bundled = new Set(ort.listSupportedBackends().map((b) => b.name));
  switch (provider) {
    case 'cpu':
      return null;
    case 'cuda': {
      if (process.platform !== 'linux' && process.platform !== 'win32') return `no CUDA build of ONNX Runtime for ${process.platform}`;
      const readiness = await ortCudaReadiness();
      return readiness.usable ? null : `CUDA is not usable: ${readiness.missing.join('; ')}`;
    }
    case 'dml':
      return process.platform === 'win32' ? null : 'DirectML runs on Windows only';
    case 'coreml':
      return process.platform === 'darwin' ? null : 'Core ML runs on macOS only';
    case 'webgpu':
      return bundled.has('webgpu') ? null : `this ONNX Runtime build has no WebGPU provider (${[...bundled].join(', ')})`;
  }
}

/** The options every session of the app shares: all graph optimisations, static memory planning. */
export function baseSessionOptions(threads: number): ort.InferenceSession.SessionOptions {
  return {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    enableCpuMemArena: true,
    enableMemPattern: true,
  };
}

/**
 * Session options for a provider. Every graph node must run on the chosen provider's device or, for
 * the few shape operators a GPU provider leaves to it, the CPU; a provider that fails to start is an
 * error for the caller to report, never a quiet switch to the CPU.
 */
export function sessionOptions(provider: OrtTrainingProvider, threads: number): ort.InferenceSession.SessionOptions {
  // Idle intra-op threads sleep instead of spinning: the tile worker runs beside them, and spinning
  // threads took its core (fast@316 on 2 cores: 201 ms a step spinning, 170 ms not).
  const base = { ...baseSessionOptions(threads), extra: { session: { intra_op: { allow_spinning: '0' } } } };
  const providers: ort.InferenceSession.SessionOptions['executionProviders'] =
    provider === 'cpu' ? ['cpu'] : [provider, 'cpu'];
  return { ...base, executionProviders: providers };
}

/** Creates a session, turning ONNX Runtime's failures into typed errors that name the provider. */
export async function createSession(model: Uint8Array, provider: OrtTrainingProvider, threads: number): Promise<ort.InferenceSession> {
  try {
    return await ort.InferenceSession.create(model, sessionOptions(provider, threads));
  } catch (error) {
    throw ortError(error, `ONNX Runtime could not start the training graph on ${provider}`);
  }
}

/** An ONNX Runtime failure as a typed error: out-of-memory is told apart, with advice. */
export function ortError(error: unknown, context: string): UnetError {
  if (error instanceof UnetError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (isOutOfMemoryMessage(message)) {
    return new UnetError('OUT_OF_MEMORY', `${context}: out of memory (${firstLine(message)}); use a smaller tile, batch or preset`, { reason: 'out-of-memory' });
  }
  return new UnetError('BACKEND_UNAVAILABLE', `${context}: ${firstLine(message)}`);
}

function firstLine(message: string): string {
  return message.split('\n')[0].slice(0, 500);
}

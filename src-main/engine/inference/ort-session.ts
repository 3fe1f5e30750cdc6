import * as ort from 'onnxruntime-node';
import { UnetError } from '../../../src-shared/contract/errors';
import { baseSessionOptions as baseOptions, cpuCount } from '../ort-train/ort-providers';
import { ortCudaReadiness } from './cuda-probe';

export type InferenceProvider = 'cuda' | 'cpu';

export interface OrtSessionOptions {
  /** 'auto' takes CUDA when it is usable and says why not otherwise; 'cuda' fails rather than fall back. */
  provider?: 'auto' | InferenceProvider;
  /** Intra-op threads; defaults to all cores. */
  threads?: number;
}

export interface OrtSessionHandle {
  session: ort.InferenceSession;
  provider: InferenceProvider;
  threads: number;
  /** Why CUDA is not in use, when it is not. */
  reason?: string;
}

/** Creates an ONNX Runtime session, on CUDA where it is usable; the chosen provider and the reason are reported. */
export async function createOrtSession(model: Uint8Array | string, options: OrtSessionOptions = {}): Promise<OrtSessionHandle> {
  const threads = options.threads ?? cpuCount();
  if (!Number.isInteger(threads) || threads < 1) throw new UnetError('INVALID_ARGUMENT', `threads must be a positive integer, got ${threads}`);
  const wanted = options.provider ?? 'auto';
  let reason: string | undefined;

  if (wanted !== 'cpu') {
    const readiness = await ortCudaReadiness();
    if (readiness.usable) {
      try {
        const session = await open(model, { ...baseOptions(threads), executionProviders: ['cuda', 'cpu'] });
        return { session, provider: 'cuda', threads };
      } catch (error) {
        reason = `the CUDA execution provider failed to start: ${(error as Error).message}`;
      }
    } else {
      reason = `CUDA is not usable: ${readiness.missing.join('; ')}`;
    }
    if (wanted === 'cuda') throw new UnetError('BACKEND_UNAVAILABLE', `ONNX Runtime cannot use CUDA: ${reason}`, { reason });
  }

  const session = await open(model, { ...baseOptions(threads), executionProviders: ['cpu'] });
  return { session, provider: 'cpu', threads, reason };
}

async function open(model: Uint8Array | string, options: ort.InferenceSession.SessionOptions): Promise<ort.InferenceSession> {
  try {
    return typeof model === 'string' ? await ort.InferenceSession.create(model, options) : await ort.InferenceSession.create(model, options);
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    if (typeof model === 'string' && /No such file|does not exist|Load model from .* failed/i.test(message)) {
      throw new UnetError('NOT_FOUND', `cannot open ONNX model ${model}: ${message}`, { file: model });
    }
    throw new UnetError(/protobuf|parse|invalid model|INVALID_GRAPH|INVALID_PROTOBUF/i.test(message) ? 'CORRUPT' : 'BACKEND_UNAVAILABLE', `ONNX Runtime could not load the model: ${message}`);
  }
}

import { UnetError } from '../../../src-shared/contract/errors';
import type { BackendChoice } from '../../../src-shared/contract/training';
import type { UNetMetadata } from '../model-files';
import { unetOnnxFromFolder } from '../onnx/export-unet';
import { createOrtRunner } from './ort-runner';
import type { InferenceProvider } from './ort-session';
import type { TileRunner } from './tile-runner';

export interface OpenRunnerOptions {
  /** 'auto': ONNX Runtime, tfjs if ONNX Runtime cannot run the model (said in `notes`). */
  engine?: 'auto' | 'onnx' | 'tfjs';
  /** Execution provider for ONNX Runtime. */
  provider?: 'auto' | InferenceProvider;
  threads?: number;
  /** tfjs backend for the fallback. */
  tfjsBackend?: BackendChoice;
}

export interface OpenedRunner {
  runner: TileRunner;
  metadata: UNetMetadata;
  engine: 'onnx' | 'tfjs';
  /** ONNX Runtime's execution provider, when the engine is onnx. */
  provider?: InferenceProvider;
  /** Why a better engine or provider is not in use; empty when the best one is. */
  notes: string[];
}

/**
 * Opens a saved model folder for inference. The ONNX graph is built in memory from the stored weights (tens
 * of milliseconds, so nothing is cached on disk and a retrained model can never meet a stale export).
 */
export async function openUnetRunner(modelDir: string, options: OpenRunnerOptions = {}): Promise<OpenedRunner> {
  const engine = options.engine ?? 'auto';
  const notes: string[] = [];
  if (engine !== 'tfjs') {
    try {
      const { bytes, metadata } = await unetOnnxFromFolder(modelDir);
      const runner = await createOrtRunner(bytes, metadata.architecture, { provider: options.provider, threads: options.threads });
      if (runner.providerReason) notes.push(`ONNX Runtime runs on the CPU: ${runner.providerReason}`);
      return { runner, metadata, engine: 'onnx', provider: runner.provider, notes };
    } catch (error) {
      // A missing or broken model folder is the caller's problem whichever engine runs it.
      const code = error instanceof UnetError ? error.code : 'INTERNAL';
      if (engine === 'onnx' || code === 'NOT_FOUND' || code === 'IO_ERROR' || options.provider === 'cuda') throw error;
      notes.push(`ONNX Runtime could not run this model (${(error as Error).message}); using tfjs, which is about 10x slower.`);
    }
  }
  const [{ loadModelFolder }, { initBackend }, { createTfjsRunner }] = await Promise.all([
    import('../model-files'),
    import('../backend'),
    import('./tfjs-runner'),
  ]);
  const backend = await initBackend(options.tfjsBackend ?? 'auto');
  for (const attempt of backend.attempts) if (!attempt.ok) notes.push(`tfjs backend ${attempt.backend} unavailable: ${attempt.reason}`);
  const { model, metadata } = await loadModelFolder(modelDir);
  return { runner: createTfjsRunner(model, metadata.architecture, { ownsModel: true }), metadata, engine: 'tfjs', notes };
}

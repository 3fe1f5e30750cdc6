import { createRequire } from 'node:module';
import os from 'node:os';
import type { ComputeInfo } from '../../src-shared/contract/system';

const require = createRequire(import.meta.url);

function resolvable(name: string): boolean {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
}

function cpuDevice(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model?.trim() || 'unknown CPU';
  return `CPU: ${cpus.length} cores (${model})`;
}

let cached: ComputeInfo | undefined;

/**
 * A quick, side-effect-free answer to "what will compute run on": it looks for the installed
 * backends without loading them (loading tfjs takes seconds and belongs in the engine process).
 */
export function probeComputeInfo(): ComputeInfo {
  if (cached) return cached;
  const notes: string[] = [];
  let training: ComputeInfo['training'] = 'cpu';
  if (resolvable('@tensorflow/tfjs-node-gpu')) training = 'tensorflow-gpu';
  else {
    notes.push('@tensorflow/tfjs-node-gpu is not installed (it needs libtensorflow, CUDA 11.2 and cuDNN 8.1): no GPU training.');
    if (resolvable('@tensorflow/tfjs-node')) training = 'tensorflow';
    else {
      notes.push('@tensorflow/tfjs-node is not installed: training uses the WebAssembly backend.');
      training = resolvable('@tensorflow/tfjs-backend-wasm') ? 'wasm' : 'cpu';
    }
  }
  const inference = resolvable('onnxruntime-node') ? 'ONNX Runtime (CPU)' : 'TensorFlow.js';
  cached = { training, device: training === 'tensorflow-gpu' ? 'GPU (CUDA)' : cpuDevice(), inference, notes };
  return cached;
}

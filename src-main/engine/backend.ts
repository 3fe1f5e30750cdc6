import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
// The union package registers the gradients, chained ops and the cpu backend into tfjs-core (the core
// package alone has no gradients in its Node build).
import '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { UnetError } from '../../src-shared/contract/errors';
import { backendCandidates, type BackendChoice } from '../../src-shared/contract/training';
import { isOnnxRuntimeBackend, type TrainingBackend } from '../../src-shared/contract/system';
import { ortProviderOf, startOrtProvider } from './ort-train/ort-backend';
import { registerWasmTrainingKernels } from './wasm-kernels/register';

export interface BackendAttempt {
  backend: TrainingBackend;
  ok: boolean;
  /** Why it could not be used (the text of the failure, for the GPU doctor). */
  reason?: string;
}

export interface BackendReport {
  requested: BackendChoice;
  active: TrainingBackend;
  device: string;
  attempts: BackendAttempt[];
  /** Intra-op threads of ONNX Runtime on the CPU. */
  threads?: number;
}

export interface BackendOptions {
  /** ONNX Runtime's intra-op threads on the CPU (default: all cores). */
  threads?: number;
}

// Package names in variables: the native packages are optional and may be absent at build time.
const NODE_GPU_PACKAGE = '@tensorflow/tfjs-node-gpu';
const NODE_CPU_PACKAGE = '@tensorflow/tfjs-node';

let current: BackendReport | null = null;
let wasmPathsSet = false;

/**
 * Initialises the training backend. Each candidate of the choice (see backendCandidates) is started in
 * turn and the reason of every failure is kept; a forced choice that fails throws BACKEND_UNAVAILABLE
 * with the reason instead of quietly falling back. For ONNX Runtime the provider is proven by starting a
 * one-node session on it, and tfjs runs on its JavaScript backend (it only holds the model for
 * checkpoints there). Idempotent for the same choice.
 */
export async function initBackend(choice: BackendChoice = 'auto', options: BackendOptions = {}): Promise<BackendReport> {
  if (current && current.requested === choice && current.threads === options.threads && tf.getBackend() === tfjsName(current.active)) return current;
  const order = backendCandidates(choice);
  if (!order?.length) throw new UnetError('INVALID_ARGUMENT', `unknown backend choice ${String(choice)}`);
  // Quiet tfjs's console banners and warnings in the engine; failures still throw.
  tf.env().set('PROD', true);
  const attempts: BackendAttempt[] = [];
  for (const backend of order) {
    try {
      const started = await activate(backend, options);
      attempts.push({ backend, ok: true });
      current = { requested: choice, active: backend, device: started.device, attempts, ...(started.threads ? { threads: started.threads } : {}) };
      return current;
    } catch (error) {
      attempts.push({ backend, ok: false, reason: describe(error) });
    }
  }
  const reasons = attempts.map((a) => `${a.backend}: ${a.reason}`).join('; ');
  throw new UnetError('BACKEND_UNAVAILABLE', `no training backend could be started (${reasons})`, { requested: choice, attempts });
}

function tfjsName(backend: TrainingBackend): string {
  if (isOnnxRuntimeBackend(backend)) return 'cpu';
  return backend === 'tensorflow-gpu' ? 'tensorflow' : backend;
}

async function activate(backend: TrainingBackend, options: BackendOptions): Promise<{ device: string; threads?: number }> {
  if (isOnnxRuntimeBackend(backend)) {
    const started = await startOrtProvider(ortProviderOf(backend), options.threads);
    await setBackendOrThrow('cpu');
    return started;
  }
  return { device: await activateTfjs(backend) };
}

async function activateTfjs(backend: TrainingBackend): Promise<string> {
  switch (backend) {
    case 'tensorflow-gpu': {
      await importNative(NODE_GPU_PACKAGE);
      await setBackendOrThrow('tensorflow');
      // Without a usable CUDA, libtensorflow quietly runs on the CPU: that is not the GPU backend.
      const onGpu = (tf.backend() as unknown as { isUsingGpuDevice?: boolean }).isUsingGpuDevice;
      if (onGpu === false) throw new Error(`${NODE_GPU_PACKAGE} loaded but TensorFlow found no usable GPU and would run on the CPU`);
      return `CUDA GPU via libtensorflow (${NODE_GPU_PACKAGE})`;
    }
    case 'tensorflow':
      await importNative(NODE_CPU_PACKAGE);
      await setBackendOrThrow('tensorflow');
      return `CPU via libtensorflow: ${cpuDescription()}`;
    case 'wasm':
      if (!wasmPathsSet) {
        // Local files only: in Node the wasm loader reads them from disk, nothing is fetched.
        setWasmPaths(wasmDistFolder());
        wasmPathsSet = true;
      }
      registerWasmTrainingKernels();
      await setBackendOrThrow('wasm');
      return `WebAssembly${(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) ? ' SIMD' : ''}, 1 thread: ${cpuDescription()}`;
    case 'cpu':
      await setBackendOrThrow('cpu');
      return `JavaScript: ${cpuDescription()}`;
    default:
      throw new Error(`${backend} is not a tfjs backend`);
  }
}

async function importNative(pkg: string): Promise<void> {
  // A missing package, a missing libtensorflow or a CUDA library that will not load all surface here.
  await import(/* @vite-ignore */ pkg);
  if (!tf.findBackend('tensorflow')) throw new Error(`${pkg} loaded but registered no 'tensorflow' backend`);
}

async function setBackendOrThrow(name: string): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok || tf.getBackend() !== name) throw new Error(`tf.setBackend('${name}') failed`);
  await tf.ready();
}

export function wasmDistFolder(): string {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep;
}

function cpuDescription(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model?.trim() || 'unknown CPU';
  return `${cpus.length} cores (${model})`;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    const first = error.message.split('\n')[0];
    return code ? `${code}: ${first}` : first;
  }
  return String(error);
}

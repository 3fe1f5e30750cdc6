import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
// The union package registers the gradients, chained ops and the cpu backend into tfjs-core (the core
// package alone has no gradients in its Node build).
import '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { UnetError } from '../../src-shared/contract/errors';
import type { BackendChoice } from '../../src-shared/contract/training';
import type { TrainingBackend } from '../../src-shared/contract/system';
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
}

/** Order of preference for 'auto'. */
const AUTO_ORDER: TrainingBackend[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

const FORCED: Record<Exclude<BackendChoice, 'auto'>, TrainingBackend> = {
  gpu: 'tensorflow-gpu',
  node: 'tensorflow',
  wasm: 'wasm',
  cpu: 'cpu',
};

// Package names in variables: the native packages are optional and may be absent at build time.
const NODE_GPU_PACKAGE = '@tensorflow/tfjs-node-gpu';
const NODE_CPU_PACKAGE = '@tensorflow/tfjs-node';

let current: BackendReport | null = null;
let wasmPathsSet = false;

/**
 * Initialises the tfjs backend for training. 'auto' tries tfjs-node-gpu, tfjs-node, wasm and cpu in that
 * order and records why each better one failed; a forced choice that fails throws BACKEND_UNAVAILABLE
 * with the reason instead of quietly falling back. Idempotent for the same choice.
 */
export async function initBackend(choice: BackendChoice = 'auto'): Promise<BackendReport> {
  if (current && current.requested === choice && tf.getBackend() === tfjsName(current.active)) return current;
  const order = choice === 'auto' ? AUTO_ORDER : [FORCED[choice]];
  if (!order[0]) throw new UnetError('INVALID_ARGUMENT', `unknown backend choice ${String(choice)}`);
  // Quiet tfjs's console banners and warnings in the engine; failures still throw.
  tf.env().set('PROD', true);
  const attempts: BackendAttempt[] = [];
  for (const backend of order) {
    try {
      const device = await activate(backend);
      attempts.push({ backend, ok: true });
      current = { requested: choice, active: backend, device, attempts };
      return current;
    } catch (error) {
      attempts.push({ backend, ok: false, reason: describe(error) });
    }
  }
  const reasons = attempts.map((a) => `${a.backend}: ${a.reason}`).join('; ');
  throw new UnetError('BACKEND_UNAVAILABLE', `no training backend could be started (${reasons})`, { requested: choice, attempts });
}

/** The report of the last successful initBackend, if any. */
export function currentBackend(): BackendReport | null {
  return current;
}

function tfjsName(backend: TrainingBackend): string {
  return backend === 'tensorflow-gpu' ? 'tensorflow' : backend;
}

async function activate(backend: TrainingBackend): Promise<string> {
  switch (backend) {
    case 'tensorflow-gpu':
      await importNative(NODE_GPU_PACKAGE);
      await setBackendOrThrow('tensorflow');
      return `CUDA GPU via libtensorflow (${NODE_GPU_PACKAGE})`;
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

import { z } from 'zod';
import { defineService, event, method } from './define';

/**
 * What a run trains on: ONNX Runtime with one execution provider (the training step as one ONNX graph),
 * or a tfjs backend.
 */
export const TRAINING_BACKENDS = [
  'onnxruntime-cuda',
  'onnxruntime-dml',
  'onnxruntime-webgpu',
  'onnxruntime-coreml',
  'onnxruntime-cpu',
  'tensorflow-gpu',
  'tensorflow',
  'wasm',
  'cpu',
] as const;
export type TrainingBackend = (typeof TRAINING_BACKENDS)[number];

export function isOnnxRuntimeBackend(backend: TrainingBackend): boolean {
  return backend.startsWith('onnxruntime-');
}

/** A training backend in words, for the GPU doctor and the Train view. */
export function describeTrainingBackend(backend: TrainingBackend): string {
  switch (backend) {
    case 'onnxruntime-cuda':
      return 'ONNX Runtime on the GPU (CUDA)';
    case 'onnxruntime-dml':
      return 'ONNX Runtime on the GPU (DirectML)';
    case 'onnxruntime-webgpu':
      return 'ONNX Runtime on the GPU (WebGPU)';
    case 'onnxruntime-coreml':
      return 'ONNX Runtime with Core ML';
    case 'onnxruntime-cpu':
      return 'ONNX Runtime on all CPU cores';
    case 'tensorflow-gpu':
      return 'TensorFlow (tfjs-node-gpu) on the GPU';
    case 'tensorflow':
      return 'TensorFlow (tfjs-node) on the CPU';
    case 'wasm':
      return 'WebAssembly (XNNPACK) on the CPU';
    case 'cpu':
      return 'JavaScript on the CPU';
  }
}

/** Whether a backend computes on a GPU (or another accelerator) rather than the CPU. */
export function onGpuBackend(backend: TrainingBackend | undefined): boolean {
  return backend !== undefined && backend !== 'onnxruntime-cpu' && backend !== 'tensorflow' && backend !== 'wasm' && backend !== 'cpu';
}

export interface ComputeInfo {
  /** The training backend that will be used (or is in use). */
  training: TrainingBackend;
  /** Human-readable device, e.g. "CPU: 2 cores (Intel Xeon ...)" or "NVIDIA H100". */
  device: string;
  /** Inference runtime: ONNX Runtime with its execution provider, or tfjs as the fallback. */
  inference: string;
  /** Why a better backend is not used; empty when the best one is active. */
  notes: string[];
}

/** One thing the GPU doctor checked, in words a user can act on. */
export interface GpuFinding {
  level: 'ok' | 'warn' | 'error';
  title: string;
  detail: string;
  fix?: string;
}

/** Which training and inference backends can run here, and why a better one cannot. */
export interface GpuDoctorReport {
  training: {
    active: TrainingBackend;
    device: string;
    attempts: { backend: TrainingBackend; available: boolean; reason?: string }[];
  };
  inference: { provider: 'cuda' | 'cpu'; reason?: string };
  findings: GpuFinding[];
  gpus: { name: string; driver?: string; memoryMiB?: number }[];
}

export interface SystemInfo {
  appName: string;
  appVersion: string;
  mode: 'desktop' | 'browser' | 'cli';
  platform: string;
  versions: Record<string, string>;
  compute: ComputeInfo;
  workspacePath: string;
}

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  time: string;
  source?: string;
}

export const systemService = defineService({
  methods: {
    info: method().returns<SystemInfo>(),
    /** The GPU doctor: what training and inference run on here and, for each better option, what is missing. */
    gpu: method().returns<GpuDoctorReport>(),
    ping: method(z.object({ echo: z.string().max(10_000) })).returns<{ echo: string; time: string }>(),
    recentLogs: method(z.object({ limit: z.number().int().min(1).max(1000).default(100) }).default({ limit: 100 })).returns<LogEntry[]>(),
  },
  events: {
    log: event<LogEntry>(),
  },
});

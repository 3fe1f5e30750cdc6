import { z } from 'zod';
import { defineService, event, method } from './define';

export type TrainingBackend = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

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
    ping: method(z.object({ echo: z.string().max(10_000) })).returns<{ echo: string; time: string }>(),
    recentLogs: method(z.object({ limit: z.number().int().min(1).max(1000).default(100) }).default({ limit: 100 })).returns<LogEntry[]>(),
  },
  events: {
    log: event<LogEntry>(),
  },
});

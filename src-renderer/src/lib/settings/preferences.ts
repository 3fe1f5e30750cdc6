import { BACKEND_CHOICES, PRESET_NAMES, type BackendChoice, type PresetName } from '../../../../src-shared/contract/training';

/**
 * User preferences of this installation. The contract has no settings service, so they live in the
 * browser's localStorage and travel with each call that needs them (the backend as
 * `options.backend` of `training.start`).
 */
export interface Preferences {
  backend: BackendChoice;
  preset: PresetName;
  w0: number;
  sigma: number;
  /** Test-time augmentation when segmenting. */
  tta: boolean;
}

export const DEFAULT_PREFERENCES: Preferences = { backend: 'auto', preset: 'fast', w0: 10, sigma: 5, tta: true };

export const PREFERENCES_KEY = 'unet-studio.preferences';

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** Keeps each stored value that is valid and falls back to the default for the rest (a damaged entry never breaks the app). */
export function sanitizePreferences(raw: unknown): Preferences {
  const p = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const d = DEFAULT_PREFERENCES;
  const inRange = (v: unknown, min: number, max: number, minExclusive = false) =>
    typeof v === 'number' && Number.isFinite(v) && (minExclusive ? v > min : v >= min) && v <= max;
  return {
    backend: (BACKEND_CHOICES as readonly unknown[]).includes(p.backend) ? (p.backend as BackendChoice) : d.backend,
    preset: (PRESET_NAMES as readonly unknown[]).includes(p.preset) ? (p.preset as PresetName) : d.preset,
    w0: inRange(p.w0, 0, 1000) ? (p.w0 as number) : d.w0,
    sigma: inRange(p.sigma, 0, 1000, true) ? (p.sigma as number) : d.sigma,
    tta: typeof p.tta === 'boolean' ? p.tta : d.tta,
  };
}

export function loadPreferences(storage: KeyValueStorage | undefined): Preferences {
  if (!storage) return { ...DEFAULT_PREFERENCES };
  try {
    const text = storage.getItem(PREFERENCES_KEY);
    return sanitizePreferences(text ? JSON.parse(text) : {});
  } catch {
    return { ...DEFAULT_PREFERENCES };
  }
}

export function savePreferences(storage: KeyValueStorage | undefined, prefs: Preferences): void {
  storage?.setItem(PREFERENCES_KEY, JSON.stringify(sanitizePreferences(prefs)));
}

export const BACKEND_LABELS: Record<BackendChoice, { label: string; detail: string }> = {
  auto: { label: 'Automatic', detail: 'The fastest backend that starts: ONNX Runtime on a CUDA GPU, TensorFlow on the GPU, ONNX Runtime on DirectML, then ONNX Runtime on every CPU core.' },
  ort: { label: 'ONNX Runtime', detail: 'The whole training step as one ONNX graph, on the best provider here: CUDA, DirectML, else all CPU cores.' },
  'ort-cpu': { label: 'ONNX Runtime, CPU', detail: 'All CPU cores (MLAS kernels); ships with the app.' },
  'ort-cuda': { label: 'ONNX Runtime, CUDA', detail: 'NVIDIA GPU with CUDA 12 and cuDNN 9; fails with an explanation when they are missing.' },
  'ort-dml': { label: 'ONNX Runtime, DirectML', detail: 'Any DirectX 12 GPU on Windows.' },
  'ort-webgpu': { label: 'ONNX Runtime, WebGPU', detail: 'GPU through WebGPU (Vulkan, Metal or DirectX); experimental.' },
  'ort-coreml': { label: 'ONNX Runtime, Core ML', detail: 'Apple silicon on macOS; experimental.' },
  'tfjs-node-gpu': { label: 'TensorFlow GPU (tfjs-node-gpu)', detail: 'TensorFlow with CUDA 11.2 and cuDNN 8.1; fails with an explanation when they are missing or TensorFlow would run on the CPU.' },
  'tfjs-node': { label: 'TensorFlow CPU (tfjs-node)', detail: 'TensorFlow on the CPU through libtensorflow.' },
  gpu: { label: 'TensorFlow GPU (earlier name)', detail: 'The same as TensorFlow GPU (tfjs-node-gpu).' },
  node: { label: 'TensorFlow CPU (earlier name)', detail: 'The same as TensorFlow CPU (tfjs-node).' },
  wasm: { label: 'WebAssembly (XNNPACK)', detail: 'Ships with the app; one thread; a fallback where ONNX Runtime cannot run.' },
  cpu: { label: 'JavaScript CPU', detail: 'Always available; the slowest, a last resort.' },
};

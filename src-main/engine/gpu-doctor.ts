import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeTrainingBackend, type TrainingBackend } from '../../src-shared/contract/system';
import {
  findLibrary,
  ORT_CUDA_LIBS,
  ortCudaProviderPath,
  packageDir,
  probeNvidiaDriver,
  resetLoaderCache,
  TFJS_GPU_LIBS,
  type DriverInfo,
  type LibraryHit,
} from './inference/cuda-probe';
import { tfjsVersion } from './versions';

/** One thing the doctor checked, in words a user can act on. */
export interface GpuFinding {
  level: 'ok' | 'warn' | 'error';
  title: string;
  detail: string;
  fix?: string;
}

export interface TrainingAttempt {
  backend: TrainingBackend;
  available: boolean;
  /** Why it is not available (or, for tensorflow-gpu, why it would run on the CPU). */
  reason?: string;
}

export interface GpuReport {
  training: { active: TrainingBackend; device: string; attempts: TrainingAttempt[] };
  inference: { provider: 'cuda' | 'cpu'; reason?: string };
  findings: GpuFinding[];
  gpus: Array<{ name: string; driver?: string; memoryMiB?: number }>;
}

export interface GpuDoctorOptions {
  /**
   * What the engine's initBackend really did (its BackendReport), when it has run; otherwise the doctor says which
   * backend would load. Real load failures are more precise than file probes, so their text is kept.
   */
  activeTraining?: { backend: TrainingBackend; device: string; attempts?: Array<{ backend: TrainingBackend; ok: boolean; reason?: string }> };
}

const CUDA11_FIX =
  'Install the CUDA 11.2 runtime and cuDNN 8.1 (NVIDIA archives, or `pip install nvidia-cuda-runtime-cu11 nvidia-cudnn-cu11==8.*`), then add their lib folders to LD_LIBRARY_PATH or run `sudo ldconfig`.';
const CUDA12_FIX =
  'Install the CUDA 12 runtime libraries (cudart, cublas, cufft) and cuDNN 9 (NVIDIA repositories, or `pip install nvidia-cuda-runtime-cu12 nvidia-cublas-cu12 nvidia-cufft-cu12 nvidia-cudnn-cu12`), then add their lib folders to LD_LIBRARY_PATH or run `sudo ldconfig`.';

/**
 * Which training and inference backends can run here and, for each better one that cannot, why and how to
 * fix it. Probes files, the loader cache and nvidia-smi (0.7 s cap); loads no native library. Never throws.
 */
export async function gpuDoctor(options: GpuDoctorOptions = {}): Promise<GpuReport> {
  const findings: GpuFinding[] = [];
  try {
    resetLoaderCache();
    const [driver, cudaDriverLib] = await Promise.all([probeNvidiaDriver(), findLibrary(['libcuda.so.1'])]);
    const hasDriver = checkDriver(driver, cudaDriverLib, findings);
    const attempts = await trainingAttempts(hasDriver, findings);
    for (const real of options.activeTraining?.attempts ?? []) {
      const probed = attempts.find((a) => a.backend === real.backend);
      if (probed && !real.ok) {
        probed.available = false;
        probed.reason = `failed to start: ${real.reason ?? 'unknown error'}${probed.reason ? ` (${probed.reason})` : ''}`;
      }
    }
    const inference = await inferenceProvider(hasDriver, findings);
    const chosen = attempts.find((a) => a.available)?.backend ?? 'cpu';
    const active = options.activeTraining?.backend ?? chosen;
    const device =
      options.activeTraining?.device ??
      (active === 'tensorflow-gpu' || active === 'onnxruntime-cuda' ? (driver.gpus[0]?.name ?? 'NVIDIA GPU') : cpuDevice());
    return { training: { active, device, attempts }, inference, findings, gpus: driver.gpus };
  } catch (error) {
    findings.push({
      level: 'error',
      title: 'The GPU check itself failed',
      detail: (error as Error)?.message ?? String(error),
      fix: 'Report this message; training falls back to the WebAssembly or CPU backend and inference to ONNX Runtime CPU.',
    });
    return {
      training: { active: options.activeTraining?.backend ?? 'cpu', device: options.activeTraining?.device ?? cpuDevice(), attempts: [] },
      inference: { provider: 'cpu', reason: 'the GPU check failed' },
      findings,
      gpus: [],
    };
  }
}

function cpuDevice(): string {
  const cpus = os.cpus();
  return `CPU: ${cpus.length} cores (${cpus[0]?.model?.trim() || 'unknown model'})`;
}

function checkDriver(driver: DriverInfo, lib: LibraryHit | undefined, findings: GpuFinding[]): boolean {
  if (process.platform === 'darwin') {
    findings.push({ level: 'warn', title: 'No CUDA on macOS', detail: 'NVIDIA CUDA is not available on macOS; training and inference run on the CPU.' });
    return false;
  }
  if (driver.gpus.length > 0) {
    const list = driver.gpus.map((g) => `${g.name}${g.memoryMiB ? ` (${g.memoryMiB} MiB)` : ''}`).join(', ');
    findings.push({ level: 'ok', title: 'NVIDIA driver', detail: `Driver ${driver.gpus[0].driver ?? driver.kernelModule ?? '?'}; GPU(s): ${list}.` });
  } else if (driver.kernelModule) {
    findings.push({
      level: 'warn',
      title: 'NVIDIA driver loaded, but no GPU listed',
      detail: `Kernel module ${driver.kernelModule} is loaded; ${driver.smiProblem ?? 'nvidia-smi listed no GPU'}.`,
      fix: 'Run `nvidia-smi` in a terminal to see the error; reinstall the driver if it reports a version mismatch.',
    });
  } else {
    findings.push({
      level: 'warn',
      title: 'No NVIDIA GPU driver',
      detail:
        process.platform === 'linux'
          ? `/proc/driver/nvidia/version does not exist (the nvidia kernel module is not loaded) and ${driver.smiProblem ?? 'nvidia-smi lists no GPU'}. Training and inference run on the CPU.`
          : `${driver.smiProblem ?? 'nvidia-smi lists no GPU'}. Training and inference run on the CPU.`,
      fix: 'On a machine with an NVIDIA GPU, install the NVIDIA driver (Debian/Ubuntu: `sudo apt install nvidia-driver`, then reboot) and check that `nvidia-smi` lists the GPU.',
    });
    return false;
  }
  if (process.platform === 'linux' && !lib?.onLoaderPath) {
    findings.push({
      level: 'error',
      title: 'libcuda.so.1 not found',
      detail: 'The driver user-space library libcuda.so.1 is not on the loader path, so no CUDA program can start.',
      fix: 'Install the driver\'s CUDA library (Debian: `sudo apt install libcuda1`; Ubuntu: `libnvidia-compute-<version>`).',
    });
    return false;
  }
  return true;
}

async function missingLibraries(libs: Record<string, string[]>): Promise<string[]> {
  const missing: string[] = [];
  for (const names of Object.values(libs)) {
    const hit = await findLibrary(names);
    if (!hit) missing.push(`${names[0]} (not found)`);
    else if (!hit.onLoaderPath) missing.push(`${hit.name} (at ${hit.path}, not on the loader path)`);
  }
  return missing;
}

// tfjs-node 4.x keeps its addon in lib/napi-vN/tfjs_binding.node; a failed native install leaves it out.
function tfjsBinding(dir: string): string | undefined {
  try {
    for (const entry of readdirSync(path.join(dir, 'lib'))) {
      const file = path.join(dir, 'lib', entry, 'tfjs_binding.node');
      if (entry.startsWith('napi-v') && existsSync(file)) return file;
    }
  } catch {
    // No lib folder: the install did not finish.
  }
  return undefined;
}

/** ONNX Runtime's training providers, by files only (the engine proves a provider by running it). */
async function ortTrainingAttempts(hasDriver: boolean): Promise<Record<'cuda' | 'dml' | 'cpu' | 'webgpu' | 'coreml', TrainingAttempt>> {
  const installed = !!packageDir('onnxruntime-node');
  const missingPackage = 'onnxruntime-node is not installed';
  let cuda: TrainingAttempt;
  if (!installed) cuda = { backend: 'onnxruntime-cuda', available: false, reason: missingPackage };
  else if (process.platform !== 'linux' && process.platform !== 'win32') cuda = { backend: 'onnxruntime-cuda', available: false, reason: `no CUDA provider on ${process.platform}` };
  else if (!hasDriver) cuda = { backend: 'onnxruntime-cuda', available: false, reason: 'no usable NVIDIA GPU driver' };
  else if (!ortCudaProviderPath()) cuda = { backend: 'onnxruntime-cuda', available: false, reason: 'the ONNX Runtime CUDA provider library is not installed' };
  else {
    const missing = process.platform === 'linux' ? await missingLibraries(ORT_CUDA_LIBS) : [];
    cuda = missing.length ? { backend: 'onnxruntime-cuda', available: false, reason: `missing ${missing.join(', ')}` } : { backend: 'onnxruntime-cuda', available: true };
  }
  const onlyOn = (backend: TrainingBackend, platform: NodeJS.Platform, name: string): TrainingAttempt =>
    !installed ? { backend, available: false, reason: missingPackage } : process.platform === platform ? { backend, available: true } : { backend, available: false, reason: `${name} runs on ${platform} only` };
  return {
    cuda,
    dml: onlyOn('onnxruntime-dml', 'win32', 'DirectML'),
    coreml: onlyOn('onnxruntime-coreml', 'darwin', 'Core ML'),
    cpu: installed ? { backend: 'onnxruntime-cpu', available: true } : { backend: 'onnxruntime-cpu', available: false, reason: missingPackage },
    // WebGPU ships in the package; whether a GPU adapter exists is only known by starting it.
    webgpu: !installed
      ? { backend: 'onnxruntime-webgpu', available: false, reason: missingPackage }
      : hasDriver
        ? { backend: 'onnxruntime-webgpu', available: true }
        : { backend: 'onnxruntime-webgpu', available: false, reason: 'no GPU driver found for WebGPU' },
  };
}

/** Every backend in the order 'auto' tries them (see backendCandidates), then those it never picks. */
async function trainingAttempts(hasDriver: boolean, findings: GpuFinding[]): Promise<TrainingAttempt[]> {
  const ort = await ortTrainingAttempts(hasDriver);
  const tfjs = await tfjsTrainingAttempts(hasDriver, findings);
  const attempts = [ort.cuda, tfjs.gpu, ort.dml, ort.cpu, tfjs.node, tfjs.wasm, tfjs.cpu, ort.webgpu, ort.coreml];
  const active = attempts.find((a) => a.available);
  if (active) findings.push({ level: 'ok', title: 'Training backend', detail: `Training will use ${describeTrainingBackend(active.backend)}.` });
  return attempts;
}

async function tfjsTrainingAttempts(hasDriver: boolean, findings: GpuFinding[]): Promise<Record<'gpu' | 'node' | 'wasm' | 'cpu', TrainingAttempt>> {
  const attempts: TrainingAttempt[] = [];
  const supportedGpuPlatform = (process.platform === 'linux' || process.platform === 'win32') && process.arch === 'x64';

  const gpuDir = packageDir('@tensorflow/tfjs-node-gpu');
  if (!supportedGpuPlatform) {
    attempts.push({ backend: 'tensorflow-gpu', available: false, reason: `no tfjs-node-gpu build for ${process.platform}/${process.arch}` });
  } else if (!gpuDir) {
    attempts.push({ backend: 'tensorflow-gpu', available: false, reason: '@tensorflow/tfjs-node-gpu is not installed' });
    findings.push({
      level: 'warn',
      title: 'GPU training package not installed',
      detail: '@tensorflow/tfjs-node-gpu is an optional dependency and is not installed (its install downloads libtensorflow and may have failed or been skipped). It needs an NVIDIA GPU with CUDA 11.2 and cuDNN 8.1.',
      fix: `On a GPU machine: \`npm install @tensorflow/tfjs-node-gpu@${tfjsVersion()}\` (needs internet access to storage.googleapis.com), with CUDA 11.2 and cuDNN 8.1 installed.`,
    });
  } else if (!tfjsBinding(gpuDir)) {
    attempts.push({ backend: 'tensorflow-gpu', available: false, reason: 'tfjs-node-gpu is installed but its native addon is missing' });
    findings.push({
      level: 'error',
      title: 'tfjs-node-gpu native addon missing',
      detail: `${gpuDir} has no lib/napi-v*/tfjs_binding.node: its install script did not finish (libtensorflow download or build failed).`,
      fix: `Rebuild it: \`npm rebuild @tensorflow/tfjs-node-gpu --build-addon-from-source\` or reinstall \`npm install @tensorflow/tfjs-node-gpu@${tfjsVersion()}\`.`,
    });
  } else {
    const missing = await missingLibraries(TFJS_GPU_LIBS);
    if (!hasDriver || missing.length > 0) {
      const why = !hasDriver ? 'there is no usable NVIDIA driver' : `missing ${missing.join(', ')}`;
      attempts.push({ backend: 'tensorflow-gpu', available: false, reason: `tfjs-node-gpu would run on the CPU: ${why}` });
      if (hasDriver) {
        findings.push({
          level: 'error',
          title: 'CUDA 11.2 / cuDNN 8.1 libraries missing for GPU training',
          detail: `tfjs-node-gpu is installed but ${missing.join(', ')}; TensorFlow would silently use the CPU, so it is not used.`,
          fix: CUDA11_FIX,
        });
      }
    } else {
      attempts.push({ backend: 'tensorflow-gpu', available: true });
      findings.push({ level: 'ok', title: 'GPU training ready', detail: 'tfjs-node-gpu, CUDA 11 and cuDNN 8 libraries were found.' });
    }
  }

  const cpuDir = packageDir('@tensorflow/tfjs-node');
  if (!cpuDir) {
    attempts.push({ backend: 'tensorflow', available: false, reason: '@tensorflow/tfjs-node is not installed' });
    findings.push({
      level: 'ok',
      title: 'TensorFlow CPU package not installed',
      detail: '@tensorflow/tfjs-node (optional dependency) is not installed; CPU training uses ONNX Runtime, which needs nothing more.',
    });
  } else if (!tfjsBinding(cpuDir)) {
    attempts.push({ backend: 'tensorflow', available: false, reason: 'tfjs-node is installed but its native addon is missing' });
    findings.push({
      level: 'error',
      title: 'tfjs-node native addon missing',
      detail: `${cpuDir} has no lib/napi-v*/tfjs_binding.node: its install script did not finish.`,
      fix: `Reinstall: \`npm install @tensorflow/tfjs-node@${tfjsVersion()}\`.`,
    });
  } else {
    attempts.push({ backend: 'tensorflow', available: true });
  }

  const wasmDir = packageDir('@tensorflow/tfjs-backend-wasm');
  const wasmOk = !!wasmDir && existsSync(path.join(wasmDir, 'dist', 'tfjs-backend-wasm-simd.wasm'));
  attempts.push(wasmOk ? { backend: 'wasm', available: true } : { backend: 'wasm', available: false, reason: '@tensorflow/tfjs-backend-wasm or its .wasm files are missing' });
  if (!wasmOk) {
    findings.push({
      level: 'error',
      title: 'WebAssembly backend missing',
      detail: 'The WebAssembly backend ships with the application but was not found; training falls back to the much slower pure JavaScript backend.',
      fix: 'Reinstall the application (or `npm install` in a development checkout).',
    });
  }
  const cpuJs = !!packageDir('@tensorflow/tfjs-backend-cpu');
  attempts.push(cpuJs ? { backend: 'cpu', available: true } : { backend: 'cpu', available: false, reason: '@tensorflow/tfjs-backend-cpu is missing' });
  const [gpu, node, wasm, cpu] = attempts;
  return { gpu, node, wasm, cpu };
}

async function inferenceProvider(hasDriver: boolean, findings: GpuFinding[]): Promise<GpuReport['inference']> {
  if (!packageDir('onnxruntime-node')) {
    findings.push({
      level: 'error',
      title: 'ONNX Runtime missing',
      detail: 'onnxruntime-node is not installed; inference falls back to TensorFlow.js, which is about 10x slower.',
      fix: 'Reinstall the application (or `npm install` in a development checkout).',
    });
    return { provider: 'cpu', reason: 'onnxruntime-node is not installed' };
  }
  if (!hasDriver) {
    findings.push({ level: 'ok', title: 'Inference backend', detail: 'Inference uses ONNX Runtime on the CPU (no usable NVIDIA GPU).' });
    return { provider: 'cpu', reason: 'no usable NVIDIA GPU driver' };
  }
  if (process.platform !== 'linux' && process.platform !== 'win32') return { provider: 'cpu', reason: `no CUDA provider on ${process.platform}` };

  if (!ortCudaProviderPath()) {
    findings.push({
      level: 'error',
      title: 'ONNX Runtime CUDA provider not installed',
      detail: 'onnxruntime-node downloads its CUDA provider (libonnxruntime_providers_cuda) from NuGet at install time; that download did not happen.',
      fix: 'With internet access: `node node_modules/onnxruntime-node/script/install.js --onnxruntime-node-install=cuda12`.',
    });
    return { provider: 'cpu', reason: 'the ONNX Runtime CUDA provider library is not installed' };
  }
  if (process.platform === 'linux') {
    const missing = await missingLibraries(ORT_CUDA_LIBS);
    if (missing.length > 0) {
      findings.push({
        level: 'error',
        title: 'CUDA 12 / cuDNN 9 libraries missing for GPU inference',
        detail: `ONNX Runtime's CUDA provider needs ${missing.join(', ')}.`,
        fix: CUDA12_FIX,
      });
      return { provider: 'cpu', reason: `missing ${missing.join(', ')}` };
    }
  }
  findings.push({ level: 'ok', title: 'GPU inference ready', detail: 'ONNX Runtime will use its CUDA execution provider.' });
  return { provider: 'cuda' };
}

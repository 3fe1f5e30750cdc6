import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * Cheap, non-throwing probes of the CUDA stack: the driver, the shared libraries the dynamic loader can
 * see, and the optional native packages. Nothing here loads a GPU library, so it is fast and safe.
 */

/** How a library was found: on the loader path (usable) or only in a known folder the loader does not search. */
export interface LibraryHit {
  name: string;
  path: string;
  onLoaderPath: boolean;
}

const COMMAND_TIMEOUT_MS = 700;

function run(command: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    try {
      execFile(command, args, { timeout: COMMAND_TIMEOUT_MS, maxBuffer: 8 << 20 }, (error, stdout) => {
        resolve(error ? undefined : stdout);
      });
    } catch {
      resolve(undefined);
    }
  });
}

let loaderCache: Promise<Map<string, string>> | undefined;

/** Forgets the loader cache, so a library installed since the last probe is seen. */
export function resetLoaderCache(): void {
  loaderCache = undefined;
}

/** The loader cache (`ldconfig -p`): library file name -> path. Empty where ldconfig is absent. */
export function loaderCacheEntries(): Promise<Map<string, string>> {
  loaderCache ??= (async () => {
    const map = new Map<string, string>();
    if (process.platform !== 'linux') return map;
    const text = (await run('ldconfig', ['-p'])) ?? (await run('/sbin/ldconfig', ['-p']));
    for (const line of (text ?? '').split('\n')) {
      const m = /^\s*(\S+)\s.*=>\s*(\S+)\s*$/.exec(line);
      if (m && !map.has(m[1])) map.set(m[1], m[2]);
    }
    return map;
  })();
  return loaderCache;
}

/** Folders CUDA installers commonly use, which the loader searches only if configured to. */
function knownLibraryDirs(): string[] {
  const dirs = ['/usr/local/cuda/lib64', '/usr/local/cuda/targets/x86_64-linux/lib', '/opt/cuda/lib64', '/usr/lib/wsl/lib'];
  try {
    for (const entry of readdirSync('/usr/local')) {
      if (/^cuda-\d/.test(entry)) dirs.push(`/usr/local/${entry}/lib64`);
    }
  } catch {
    // No /usr/local: nothing more to look at.
  }
  return dirs;
}

const DEFAULT_LOADER_DIRS = ['/lib', '/usr/lib', '/lib64', '/usr/lib64', '/lib/x86_64-linux-gnu', '/usr/lib/x86_64-linux-gnu'];

/** Finds the first of `names` (exact sonames such as libcudart.so.12) the loader could open, else in a known folder. */
export async function findLibrary(names: string[]): Promise<LibraryHit | undefined> {
  const cache = await loaderCacheEntries();
  const ldPath = (process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean);
  for (const name of names) {
    const cached = cache.get(name);
    if (cached) return { name, path: cached, onLoaderPath: true };
    for (const dir of [...ldPath, ...DEFAULT_LOADER_DIRS]) {
      const file = path.join(dir, name);
      if (existsSync(file)) return { name, path: file, onLoaderPath: true };
    }
  }
  for (const name of names) {
    for (const dir of knownLibraryDirs()) {
      const file = path.join(dir, name);
      if (existsSync(file)) return { name, path: file, onLoaderPath: false };
    }
  }
  return undefined;
}

export interface DriverInfo {
  /** Kernel module version from /proc/driver/nvidia/version, when the module is loaded. */
  kernelModule?: string;
  gpus: Array<{ name: string; driver?: string; memoryMiB?: number }>;
  /** Why nvidia-smi gave nothing, when it did not. */
  smiProblem?: string;
}

export async function probeNvidiaDriver(): Promise<DriverInfo> {
  const info: DriverInfo = { gpus: [] };
  try {
    const text = readFileSync('/proc/driver/nvidia/version', 'utf8');
    const m = /Kernel Module\s+(?:for \S+\s+)?([\d.]+)/.exec(text);
    info.kernelModule = m ? m[1] : text.split('\n')[0].trim();
  } catch {
    // Not loaded (or not Linux): reported by the caller.
  }
  const out = await run('nvidia-smi', ['--query-gpu=name,driver_version,memory.total', '--format=csv,noheader,nounits']);
  if (out === undefined) {
    info.smiProblem = 'nvidia-smi is not installed, failed, or did not answer within 0.7 s';
  } else {
    for (const line of out.split('\n')) {
      const parts = line.split(',').map((s) => s.trim());
      if (parts.length < 3 || !parts[0]) continue;
      const memory = Number(parts[2]);
      info.gpus.push({ name: parts[0], driver: parts[1] || undefined, memoryMiB: Number.isFinite(memory) ? memory : undefined });
    }
  }
  return info;
}

const require = createRequire(import.meta.url);

/** Folder of an installed package, or undefined; never loads the package. */
export function packageDir(name: string): string | undefined {
  try {
    return path.dirname(require.resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}

/** Where onnxruntime-node keeps its native libraries for this platform. */
export function ortBinaryDir(): string | undefined {
  const dir = packageDir('onnxruntime-node');
  return dir ? path.join(dir, 'bin', 'napi-v6', process.platform, process.arch) : undefined;
}

/** The CUDA execution provider library ORT needs; not shipped in the npm tarball, fetched by its install script. */
export function ortCudaProviderPath(): string | undefined {
  const dir = ortBinaryDir();
  if (!dir) return undefined;
  const file = path.join(dir, process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so');
  return existsSync(file) ? file : undefined;
}

/** Sonames ORT 1.22's CUDA provider links against (CUDA 12, cuDNN 9). */
export const ORT_CUDA_LIBS = {
  cudart: ['libcudart.so.12'],
  cublas: ['libcublas.so.12'],
  cublasLt: ['libcublasLt.so.12'],
  cufft: ['libcufft.so.11'],
  cudnn: ['libcudnn.so.9'],
};

/** Sonames tfjs-node-gpu 4.x (TensorFlow 2.9 build) needs: CUDA 11.2 and cuDNN 8.1. */
export const TFJS_GPU_LIBS = {
  cudart: ['libcudart.so.11.0'],
  cublas: ['libcublas.so.11'],
  cufft: ['libcufft.so.10'],
  cudnn: ['libcudnn.so.8'],
};

export interface OrtCudaReadiness {
  usable: boolean;
  /** What is missing, in words a user can act on; empty when usable. */
  missing: string[];
}

/** Whether asking ORT for the CUDA provider can succeed here; says what is missing otherwise. */
export async function ortCudaReadiness(): Promise<OrtCudaReadiness> {
  const missing: string[] = [];
  if (process.platform !== 'linux' && process.platform !== 'win32') {
    return { usable: false, missing: [`ONNX Runtime has no CUDA provider on ${process.platform}`] };
  }
  if (process.platform === 'win32') {
    if (!ortCudaProviderPath()) missing.push('onnxruntime_providers_cuda.dll is not installed');
    return { usable: missing.length === 0, missing };
  }
  if (!ortCudaProviderPath()) missing.push('libonnxruntime_providers_cuda.so is not installed in onnxruntime-node');
  const driver = await findLibrary(['libcuda.so.1']);
  if (!driver?.onLoaderPath) missing.push('the NVIDIA driver library libcuda.so.1 is not found');
  for (const [what, names] of Object.entries(ORT_CUDA_LIBS)) {
    const hit = await findLibrary(names);
    if (!hit) missing.push(`${names[0]} (${what}) is not found`);
    else if (!hit.onLoaderPath) missing.push(`${hit.name} is at ${hit.path} but not on the loader path`);
  }
  return { usable: missing.length === 0, missing };
}

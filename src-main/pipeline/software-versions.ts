import { createRequire } from 'node:module';
import { packageInfo } from '../support/app-info';

const require = createRequire(import.meta.url);

function versionOf(name: string): string | null {
  try {
    return (require(`${name}/package.json`) as { version?: string }).version ?? null;
  } catch {
    return null;
  }
}

/** Versions recorded with a run, read from package manifests (without loading tfjs in this process). */
export function runVersions(): { appVersion: string; tfjsVersion: string; versions: Record<string, string> } {
  const versions: Record<string, string> = { node: process.versions.node };
  for (const name of ['@tensorflow/tfjs-core', '@tensorflow/tfjs-layers', '@tensorflow/tfjs-backend-wasm', 'onnxruntime-node']) {
    const v = versionOf(name);
    if (v) versions[name.replace('@tensorflow/', '')] = v;
  }
  if (process.versions.electron) versions.electron = process.versions.electron;
  return { appVersion: packageInfo().version, tfjsVersion: versions['tfjs-core'] ?? 'unknown', versions };
}

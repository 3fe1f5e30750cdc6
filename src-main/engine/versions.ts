import { createRequire } from 'node:module';
import { packageInfo } from '../support/app-info';

const require = createRequire(import.meta.url);

const RECORDED_PACKAGES = ['@tensorflow/tfjs-core', '@tensorflow/tfjs-layers', '@tensorflow/tfjs-backend-wasm', 'onnxruntime-node'];

/** An installed package's version, read from its manifest (the package is not loaded), or null. */
export function installedVersion(name: string): string | null {
  try {
    return (require(`${name}/package.json`) as { version?: string }).version ?? null;
  } catch {
    return null;
  }
}

/** The tfjs release the app is built on; the optional tfjs-node packages must be installed at it. */
export function tfjsVersion(): string {
  return installedVersion('@tensorflow/tfjs-core') ?? 'unknown';
}

/** Versions recorded with every run and model, so a result can be traced to the software that made it. */
export function softwareVersions(): Record<string, string> {
  const versions: Record<string, string> = { app: packageInfo().version, node: process.versions.node };
  for (const name of RECORDED_PACKAGES) {
    const version = installedVersion(name);
    if (version) versions[name.replace('@tensorflow/', '')] = version;
  }
  if (process.versions.electron) versions.electron = process.versions.electron;
  return versions;
}

/** The versions a run records: app and tfjs in their own columns, and all of them. */
export function runVersions(): { appVersion: string; tfjsVersion: string; versions: Record<string, string> } {
  const versions = softwareVersions();
  return { appVersion: versions.app, tfjsVersion: versions['tfjs-core'] ?? 'unknown', versions };
}

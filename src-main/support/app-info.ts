import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export interface PackageInfo {
  name: string;
  productName: string;
  version: string;
}

let cached: PackageInfo | undefined;

/** The app's name and version from package.json, found by walking up from this file (source or bundle). */
export function packageInfo(): PackageInfo {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Partial<PackageInfo>;
      if (pkg.name === 'unet-studio') {
        cached = { name: pkg.name, productName: pkg.productName ?? 'U-Net Studio', version: pkg.version ?? '0.0.0' };
        return cached;
      }
    } catch {
      // keep walking up
    }
    dir = path.dirname(dir);
  }
  cached = { name: 'unet-studio', productName: 'U-Net Studio', version: '0.0.0' };
  return cached;
}

/** Root of the installed app (the folder holding package.json). */
export function appRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'unet-studio') return dir;
    } catch {
      // keep walking up
    }
    dir = path.dirname(dir);
  }
  return process.cwd();
}

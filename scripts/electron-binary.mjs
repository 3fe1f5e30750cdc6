import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * Finds the Electron binary without triggering the `electron` package's own error (it throws a long
 * message when its download was skipped or failed). Returns { ok, path } or { ok: false, reason }.
 */
export function findElectronBinary(root) {
  const require = createRequire(path.join(root, 'package.json'));
  let pkgDir;
  try {
    pkgDir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return { ok: false, reason: 'the optional "electron" package is not installed (its install downloads the Electron binary from outside the npm registry, which failed or was skipped)' };
  }
  const pathFile = path.join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) return { ok: false, reason: 'the Electron binary was not downloaded during npm install (it comes from outside the npm registry; offline machines cannot fetch it)' };
  const binary = path.join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(binary)) return { ok: false, reason: `the Electron binary is missing (${binary})` };
  return { ok: true, path: binary };
}

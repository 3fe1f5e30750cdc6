import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NewImage } from '../../../src-main/store/images-repository';
import { Workspace } from '../../../src-main/store/workspace';

/** A fresh temporary folder; remove() deletes it. */
export function tempDir(prefix = 'unet-store-'): { path: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { path: dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A workspace in a temporary folder, closed and deleted by dispose(); reassign ws after reopening. */
export function tempWorkspace(): { ws: Workspace; dir: string; dispose(): void } {
  const dir = tempDir();
  return {
    ws: Workspace.open(dir.path),
    dir: dir.path,
    dispose() {
      this.ws.close();
      dir.remove();
    },
  };
}

/** An image row for a file that need not exist (store tests do not read pixels). */
export function fakeImage(datasetId: number, name: string, width = 8, height = 6): NewImage {
  return {
    datasetId,
    path: `/data/${name}`,
    name,
    size: 100,
    mtimeMs: 1_700_000_000_000,
    contentHash: `hash-${name}`,
    width,
    height,
    frames: 1,
    channels: 1,
    dtype: 'uint8',
    pixelSizeUm: null,
  };
}

/** Maps with a recognisable pattern derived from `seed`. */
export function patternMaps(width: number, height: number, seed: number): { classMap: Uint8Array; instanceMap: Uint32Array } {
  const classMap = new Uint8Array(width * height);
  const instanceMap = new Uint32Array(width * height);
  for (let i = 0; i < classMap.length; i++) {
    const fg = (i * 7 + seed * 13) % 5 < 2;
    classMap[i] = fg ? 2 : 1;
    instanceMap[i] = fg ? 1 + ((i + seed) % 3) : 0;
  }
  return { classMap, instanceMap };
}

import path from 'node:path';
import type { Workspace } from './workspace';

const MAX_NAME = 200;

/** A data set name for a folder of images: the folder's name, or its parent's for an `images` folder. */
export function datasetNameFor(imagesDir: string): string {
  const resolved = path.resolve(imagesDir);
  const base = path.basename(resolved);
  const name = base.toLowerCase() === 'images' ? path.basename(path.dirname(resolved)) : base;
  return (name.trim() || 'images').slice(0, MAX_NAME);
}

/** `preferred`, or "preferred 2", "preferred 3", … : the first name no data set has (names ignore case). */
export function freeDatasetName(ws: Workspace, preferred: string): string {
  const taken = new Set(ws.datasets.list().map((d) => d.name.toLowerCase()));
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? '' : ` ${n}`;
    const name = `${preferred.slice(0, MAX_NAME - suffix.length)}${suffix}`;
    if (!taken.has(name.toLowerCase())) return name;
  }
}

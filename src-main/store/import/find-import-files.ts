import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { UnetError } from '../../../src-shared/contract/errors';
import { pathNotAllowed } from '../path-access';

export interface ImportCandidate {
  imagePath: string;
  /** The ground-truth mask matched by name, if any. */
  maskPath: string | null;
}

export interface FindOptions {
  /** Match masks to images (and leave mask files out of the images). */
  masks: boolean;
  /** Descend into subfolders of a given folder. */
  recursive: boolean;
  listImageFiles: (dir: string) => Promise<string[]>;
  isPathAllowed: (path: string) => boolean;
}

const MASKS_FOLDERS = ['masks', 'labels', 'mask', 'gt'];
const MASK_SUFFIX = /[_.-](mask|masks|label|labels|seg|gt)$/i;

function stemOf(file: string): string {
  const base = path.basename(file);
  // Strip one extension, or two for .ome.tif.
  return base.replace(/(\.ome)?\.[^.]+$/i, '');
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/** Files of a folder keyed by lower-case stem (first one wins). */
function byStem(files: string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const file of files) {
    const key = stemOf(file).toLowerCase();
    if (!map.has(key)) map.set(key, file);
  }
  return map;
}

/** The masks folder that belongs to an images folder: `X/masks` next to `X/images`. */
async function masksFolderFor(imagesDir: string): Promise<string | null> {
  if (path.basename(imagesDir).toLowerCase() !== 'images') return null;
  for (const name of MASKS_FOLDERS) {
    const candidate = path.join(path.dirname(imagesDir), name);
    if (await isDirectory(candidate)) return candidate;
  }
  return null;
}

async function pairFolder(imagesDir: string, options: FindOptions, out: ImportCandidate[]): Promise<void> {
  const files = await options.listImageFiles(imagesDir);
  if (!options.masks) {
    for (const file of files) out.push({ imagePath: file, maskPath: null });
    return;
  }
  const masksDir = await masksFolderFor(imagesDir);
  const masks = masksDir && options.isPathAllowed(masksDir) ? byStem(await options.listImageFiles(masksDir)) : new Map<string, string>();
  const siblings = siblingMasks(files);
  const maskFiles = new Set(siblings.values());
  for (const file of files) {
    if (maskFiles.has(file)) continue;
    const key = stemOf(file).toLowerCase();
    out.push({ imagePath: file, maskPath: masks.get(key) ?? siblings.get(key) ?? null });
  }
}

/** Masks stored beside their images (NAME_mask.png, NAME-labels.tif), keyed by the image's stem. */
function siblingMasks(files: string[]): Map<string, string> {
  const stems = new Set(files.map((f) => stemOf(f).toLowerCase()));
  const found = new Map<string, string>();
  for (const file of files) {
    const stem = stemOf(file);
    if (!MASK_SUFFIX.test(stem)) continue;
    const base = stem.replace(MASK_SUFFIX, '').toLowerCase();
    // A NAME_mask file without a NAME image is an image of its own.
    if (stems.has(base) && !found.has(base)) found.set(base, file);
  }
  return found;
}

async function collectFolder(dir: string, options: FindOptions, out: ImportCandidate[], depth: number): Promise<void> {
  const imagesDir = path.join(dir, 'images');
  if (await isDirectory(imagesDir)) {
    // A data set laid out as images/ + masks/.
    await pairFolder(imagesDir, options, out);
    return;
  }
  await pairFolder(dir, options, out);
  if (!options.recursive || depth >= 16) return;
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    if (options.masks && MASKS_FOLDERS.includes(entry.name.toLowerCase())) continue;
    await collectFolder(path.join(dir, entry.name), options, out, depth + 1);
  }
}

/**
 * What an import of these paths would add: image files with their matching masks. A folder with an
 * images/ subfolder is read as images/ + masks/ pairs; an images/ folder finds its masks/ sibling;
 * masks beside images are matched by suffix (NAME_mask.png). Paths are absolute; each one given
 * must be allowed.
 */
export async function findImportFiles(paths: string[], options: FindOptions): Promise<ImportCandidate[]> {
  const out: ImportCandidate[] = [];
  for (const given of paths) {
    const p = path.resolve(given);
    if (!options.isPathAllowed(p)) throw pathNotAllowed(p);
    let info;
    try {
      info = await stat(p);
    } catch {
      throw new UnetError('NOT_FOUND', `${p} does not exist`, { path: p });
    }
    if (info.isDirectory()) {
      await collectFolder(p, options, out, 0);
    } else {
      let maskPath: string | null = null;
      if (options.masks) {
        const dir = path.dirname(p);
        const masksDir = await masksFolderFor(dir);
        const masks = masksDir && options.isPathAllowed(masksDir) ? byStem(await options.listImageFiles(masksDir)) : new Map<string, string>();
        const key = stemOf(p).toLowerCase();
        maskPath = masks.get(key) ?? siblingMasks(await options.listImageFiles(dir)).get(key) ?? null;
      }
      out.push({ imagePath: p, maskPath });
    }
  }
  // The same file given twice (a folder and a file in it) is imported once.
  const seen = new Set<string>();
  return out.filter((c) => !seen.has(c.imagePath) && seen.add(c.imagePath));
}

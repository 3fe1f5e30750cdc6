import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { UnetError } from '../../../src-shared/contract/errors';
import { naturalCompare } from '../../io/list-image-files';
import { matchMasks } from '../../io/image-pairs';
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

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
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

/** The files of the masks folder that belongs to `imagesDir`, when there is one and it may be read. */
async function masksBeside(imagesDir: string, options: FindOptions): Promise<string[]> {
  const masksDir = await masksFolderFor(imagesDir);
  return masksDir && options.isPathAllowed(masksDir) ? options.listImageFiles(masksDir) : [];
}

async function pairFolder(imagesDir: string, options: FindOptions, out: ImportCandidate[]): Promise<void> {
  const files = await options.listImageFiles(imagesDir);
  if (!options.masks) {
    for (const file of files) out.push({ imagePath: file, maskPath: null });
    return;
  }
  for (const { image, mask } of matchMasks(files, await masksBeside(imagesDir, options)).images) out.push({ imagePath: image, maskPath: mask });
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
  for (const entry of entries.sort((a, b) => naturalCompare(a.name, b.name))) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    if (options.masks && MASKS_FOLDERS.includes(entry.name.toLowerCase())) continue;
    await collectFolder(path.join(dir, entry.name), options, out, depth + 1);
  }
}

/**
 * What an import of these paths would add: image files with their matching masks. A folder with an
 * images/ subfolder is read as images/ + masks/ pairs; an images/ folder finds its masks/ sibling;
 * masks beside images are matched by suffix (NAME_mask.png). Masks match images by the rule of
 * io/image-pairs, as `unet-studio train` pairs them. Paths are absolute; each one given must
 * be allowed.
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
        // The mask the file gets when its whole folder is imported.
        const dir = path.dirname(p);
        const folder = matchMasks(await options.listImageFiles(dir), await masksBeside(dir, options)).images;
        maskPath = folder.find((c) => c.image === p)?.mask ?? null;
      }
      out.push({ imagePath: p, maskPath });
    }
  }
  // The same file given twice (a folder and a file in it) is imported once.
  const seen = new Set<string>();
  return out.filter((c) => !seen.has(c.imagePath) && seen.add(c.imagePath));
}

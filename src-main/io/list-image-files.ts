import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { UnetError } from '../../src-shared/contract/errors';
import { formatFromExtension } from './image-format';
import { fileError, fromFsError } from './io-errors';

export interface ListImageFilesOptions {
  /** Descend into sub-folders (hidden ones and symlinked folders are skipped). */
  recursive?: boolean;
  /**
   * List a symbolic link to a file (default true). Browser-mode imports pass false, so that a link
   * cannot reach a file outside the folders they are allowed to read.
   */
  followSymlinks?: boolean;
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** "t2" before "t10"; ties broken by plain code-point order so the result never depends on the locale's whims. */
export function naturalCompare(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

function isHidden(name: string): boolean {
  // Also skips macOS "._name.tif" resource forks, which carry an image extension but no image.
  return name.startsWith('.');
}

async function isFileEntry(dir: string, entry: Dirent, followSymlinks: boolean): Promise<boolean> {
  if (entry.isFile()) return true;
  if (!followSymlinks || !entry.isSymbolicLink()) return false;
  try {
    return (await stat(join(dir, entry.name))).isFile();
  } catch {
    return false;
  }
}

/**
 * Supported image files (.tif, .tiff, .png, .jpg, .jpeg, any case) in `dir`, as full paths sorted
 * naturally by their path relative to `dir`. Does not open the files.
 */
export async function listImageFiles(dir: string, options: ListImageFilesOptions = {}): Promise<string[]> {
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) throw fileError('INVALID_ARGUMENT', dir, 'is not a folder');
  } catch (error) {
    if (error instanceof UnetError) throw error;
    throw fromFsError(dir, error as NodeJS.ErrnoException);
  }
  const found: string[] = [];
  const visit = async (folder: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      throw fromFsError(folder, error as NodeJS.ErrnoException);
    }
    for (const entry of entries) {
      if (isHidden(entry.name)) continue;
      if (entry.isDirectory()) {
        if (options.recursive) await visit(join(folder, entry.name));
      } else if (formatFromExtension(entry.name) && await isFileEntry(folder, entry, options.followSymlinks ?? true)) {
        found.push(join(folder, entry.name));
      }
    }
  };
  await visit(dir);
  return found
    .map((path) => ({ path, key: relative(dir, path) }))
    .sort((a, b) => naturalCompare(a.key, b.key))
    .map((f) => f.path);
}

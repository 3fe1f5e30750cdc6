import { randomBytes } from 'node:crypto';
import { mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fromFsError } from './io-errors';

/**
 * Writes next to the target and renames, so a crash never leaves a half-written file under the real
 * name. `makeFolder` creates the target's folder first. File-system failures become typed errors
 * (DISK_FULL, READ_ONLY, NOT_FOUND, IO_ERROR) naming the file.
 */
export async function writeFileAtomically(file: string, bytes: Uint8Array, options: { makeFolder?: boolean } = {}): Promise<void> {
  const temporary = `${file}.${randomBytes(6).toString('hex')}.partial`;
  try {
    if (options.makeFolder) await mkdir(path.dirname(path.resolve(file)), { recursive: true });
    await writeFile(temporary, bytes);
    await rename(temporary, file);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw fromFsError(file, error as NodeJS.ErrnoException);
  }
}

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { UnetError } from '../../src-shared/contract/errors';

/** sha256 of a file's bytes, hex, streamed so that large images need no big buffer. */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UnetError(code === 'ENOENT' ? 'NOT_FOUND' : 'IO_ERROR', `cannot read ${path}: ${(error as Error).message}`, { path });
  }
  return hash.digest('hex');
}

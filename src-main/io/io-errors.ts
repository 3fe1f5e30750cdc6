import { UnetError, type ErrorCode } from '../../src-shared/contract/errors';
import { isOutOfMemoryMessage } from '../../src-shared/contract/out-of-memory';

/** An error about one file: the message starts with the path so a log line alone says which file failed. */
export function fileError(code: ErrorCode, path: string, reason: string, details?: Record<string, unknown>): UnetError {
  return new UnetError(code, `${path}: ${reason}`, { path, ...details });
}

export function corrupt(path: string, reason: string, details?: Record<string, unknown>): UnetError {
  return fileError('CORRUPT', path, reason, details);
}

export function unsupported(path: string, reason: string, details?: Record<string, unknown>): UnetError {
  return fileError('UNSUPPORTED', path, reason, details);
}

/** Maps a Node file-system error (errno code) to the contract's codes. */
export function fromFsError(path: string, error: NodeJS.ErrnoException): UnetError {
  switch (error.code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return fileError('NOT_FOUND', path, 'no such file', { errno: error.code });
    case 'EISDIR':
      return fileError('INVALID_ARGUMENT', path, 'is a directory, not an image file', { errno: error.code });
    case 'EACCES':
    case 'EPERM':
      return fileError('IO_ERROR', path, 'permission denied', { errno: error.code });
    case 'ENOSPC':
      return fileError('DISK_FULL', path, 'no space left on device', { errno: error.code });
    case 'EROFS':
      return fileError('READ_ONLY', path, 'read-only file system', { errno: error.code });
    default:
      return fileError('IO_ERROR', path, error.message, { errno: error.code });
  }
}

function isErrno(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string'
    && /^E[A-Z]+$/.test((error as NodeJS.ErrnoException).code as string);
}

/**
 * Turns whatever a decoder threw into a UnetError. Decoders fed malformed bytes fail with RangeError,
 * TypeError or plain Error deep inside third-party code; to the caller that is a corrupt file.
 */
export function toImageError(path: string, error: unknown): UnetError {
  if (error instanceof UnetError) return error;
  if (isErrno(error)) return fromFsError(path, error);
  const message = error instanceof Error ? error.message : String(error);
  if (isOutOfMemoryMessage(message)) {
    return fileError('OUT_OF_MEMORY', path, `not enough memory to decode (${message})`);
  }
  return corrupt(path, `cannot be decoded (${message})`);
}

/** Runs `work` so that every failure leaves as a UnetError naming `path`. */
export async function withImageErrors<T>(path: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toImageError(path, error);
  }
}

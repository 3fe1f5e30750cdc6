import { UnetError } from '../../src-shared/contract/errors';
import { toStoreError } from './database';

/** Maps a file-system failure of the workspace (errno code) to the API's codes. */
export function fsStoreError(error: unknown, context: string): UnetError {
  if (error instanceof UnetError) return error;
  const errno = (error as NodeJS.ErrnoException | null)?.code;
  const text = `${context}: ${error instanceof Error ? error.message : String(error)}`;
  const details = errno ? { errno } : undefined;
  switch (errno) {
    case 'EROFS':
    case 'EACCES':
    case 'EPERM':
      return new UnetError('READ_ONLY', text, details);
    case 'ENOSPC':
    case 'EDQUOT':
      return new UnetError('DISK_FULL', text, details);
    case 'ENOENT':
    case 'ENOTDIR':
      return new UnetError('NOT_FOUND', text, details);
    default:
      return new UnetError('IO_ERROR', text, details);
  }
}

/**
 * The repository with every method's SQLite failures (disk full, read-only, corrupt, busy) turned
 * into typed errors. Repository methods are synchronous (better-sqlite3), so wrapping each call
 * catches everything, including failures at commit.
 */
export function mapStoreErrors<T extends object>(repository: T, context: string): T {
  return new Proxy(repository, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        try {
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        } catch (error) {
          throw toStoreError(error, context);
        }
      };
    },
  });
}

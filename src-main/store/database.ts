import Database from 'better-sqlite3';
import { UnetError } from '../../src-shared/contract/errors';

export type Db = Database.Database;

/** 'UNET' in ASCII: marks a SQLite file as a U-Net Studio workspace. */
export const APPLICATION_ID = 0x554e4554;

/** How long a connection waits for another connection's write lock before giving up. */
export const BUSY_TIMEOUT_MS = 5000;

export interface OpenDatabaseOptions {
  readonly?: boolean;
  /** Fail instead of creating the file (used when reopening an existing workspace). */
  mustExist?: boolean;
}

/**
 * Opens a workspace database with the settings every connection needs:
 * - WAL: readers never block the writer and the writer never blocks readers;
 * - synchronous=FULL: in WAL mode every commit is fsynced before it returns, so an acknowledged
 *   annotation save survives a crash of the process *and* of the machine (NORMAL survives only
 *   the former); writes are few and small (autosaves, curve points), so the fsync costs little;
 * - foreign_keys: the schema's cascades and references are enforced;
 * - busy_timeout: a second writer (a CLI next to the app) waits instead of failing at once.
 */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Db {
  let db: Db;
  try {
    db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.mustExist ?? options.readonly ?? false });
  } catch (error) {
    throw toStoreError(error, `cannot open ${file}`);
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (!options.readonly) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    return db;
  } catch (error) {
    db.close();
    throw toStoreError(error, `cannot open ${file}`);
  }
}

/** Maps SQLite failures to the API's error codes; other errors pass through unchanged. */
export function toStoreError(error: unknown, context: string): unknown {
  if (error instanceof UnetError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code !== 'string') return error;
  const text = `${context}: ${message}`;
  if (code === 'SQLITE_FULL') return new UnetError('DISK_FULL', text, { sqlite: code });
  if (code.startsWith('SQLITE_READONLY')) return new UnetError('READ_ONLY', text, { sqlite: code });
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) return new UnetError('CORRUPT', text, { sqlite: code });
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return new UnetError('CONFLICT', `${text} (the workspace is busy)`, { sqlite: code });
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_PERM')) return new UnetError('IO_ERROR', text, { sqlite: code });
  return error;
}

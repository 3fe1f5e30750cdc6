import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { UnetError } from '../../src-shared/contract/errors';
import type { RunSummary, Split } from '../../src-shared/contract/records';
import { AnnotationsRepository } from './annotations-repository';
import { openDatabase, toStoreError, type Db } from './database';
import { DatasetsRepository } from './datasets-repository';
import { ImagesRepository, type TrainingItem } from './images-repository';
import { migrate, schemaVersionOf } from './migrate';
import { SCHEMA_VERSION } from './migrations/index';
import { ResultsRepository } from './results-repository';
import { RunsRepository } from './runs-repository';
import { fsStoreError, mapStoreErrors } from './store-errors';

export const DATABASE_FILE = 'workspace.sqlite';
export const WORKSPACE_FOLDERS = ['models', 'exports', 'cache'] as const;

export interface WorkspaceOpenOptions {
  /** Create the folder and database when missing (default true). */
  create?: boolean;
}

/**
 * A workspace folder and its one database connection. All writes of the app go through this
 * connection (the engine process reports to main, main writes), so SQLite sees a single writer;
 * other processes may read at any time thanks to WAL.
 */
export class Workspace {
  readonly datasets: DatasetsRepository;
  readonly images: ImagesRepository;
  readonly annotations: AnnotationsRepository;
  readonly runs: RunsRepository;
  readonly results: ResultsRepository;
  /** Runs found queued/running at open whose process was gone; they are now interrupted. */
  readonly recoveredRuns: RunSummary[];
  readonly migratedFrom: number;
  private closed = false;

  private constructor(
    readonly path: string,
    readonly db: Db,
  ) {
    // A full disk or a read-only file system reaches callers as DISK_FULL / READ_ONLY, not INTERNAL.
    const context = `the workspace ${path}`;
    this.datasets = mapStoreErrors(new DatasetsRepository(db), context);
    this.images = mapStoreErrors(new ImagesRepository(db), context);
    this.annotations = mapStoreErrors(new AnnotationsRepository(db), context);
    this.runs = mapStoreErrors(new RunsRepository(db), context);
    this.results = mapStoreErrors(new ResultsRepository(db), context);
    const outcome = migrate(db);
    this.migratedFrom = outcome.from;
    this.recoveredRuns = this.runs.recoverInterrupted();
  }

  /**
   * Opens (by default creating) the workspace in `dir`: checks the schema version (a newer one is
   * refused with UNSUPPORTED), migrates an older one after saving a copy next to it, and marks
   * crashed runs interrupted.
   */
  static open(dir: string, options: WorkspaceOpenOptions = {}): Workspace {
    const root = path.resolve(dir);
    const create = options.create ?? true;
    const dbFile = path.join(root, DATABASE_FILE);
    if (existsSync(root) && !statSync(root).isDirectory()) throw new UnetError('INVALID_ARGUMENT', `${root} is not a folder`);
    if (!create && !existsSync(dbFile)) throw new UnetError('NOT_FOUND', `${root} is not a workspace (no ${DATABASE_FILE})`);
    try {
      mkdirSync(root, { recursive: true });
      for (const folder of WORKSPACE_FOLDERS) mkdirSync(path.join(root, folder), { recursive: true });
      // SQLite alone would only say "unable to open database file" for a read-only folder or file.
      for (const target of existsSync(dbFile) ? [root, dbFile] : [root]) accessSync(target, constants.W_OK);
    } catch (error) {
      throw fsStoreError(error, `the workspace ${root} cannot be written`);
    }
    const db = openDatabase(dbFile);
    try {
      backupBeforeMigration(db, root);
      return new Workspace(root, db);
    } catch (error) {
      db.close();
      throw toStoreError(error, `cannot open workspace ${root}`);
    }
  }

  get databasePath(): string {
    return path.join(this.path, DATABASE_FILE);
  }

  get modelsDir(): string {
    return path.join(this.path, 'models');
  }

  get exportsDir(): string {
    return path.join(this.path, 'exports');
  }

  get cacheDir(): string {
    return path.join(this.path, 'cache');
  }

  get schemaVersion(): number {
    return schemaVersionOf(this.db);
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** The annotated images of a split with their latest annotation version ids. */
  trainingSet(datasetId: number, split: Split): TrainingItem[] {
    this.datasets.get(datasetId);
    return this.images.trainingSet(datasetId, split);
  }

  /** Runs `fn` in one immediate write transaction (all or nothing). */
  transaction<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn).immediate();
    } catch (error) {
      throw toStoreError(error, 'workspace write failed');
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      // Fold the WAL back into the main file so that the folder can be copied as one file.
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // A reader elsewhere may hold the WAL; the next open checkpoints it.
    }
    this.db.close();
  }
}

/** Before an existing database is upgraded, a consistent copy of it is kept beside it. */
function backupBeforeMigration(db: Db, root: string): void {
  const version = schemaVersionOf(db);
  if (version === 0) return;
  if (version >= SCHEMA_VERSION) return;
  const target = path.join(root, `${DATABASE_FILE}.v${version}.bak`);
  if (existsSync(target)) return;
  db.prepare('VACUUM INTO ?').run(target);
}

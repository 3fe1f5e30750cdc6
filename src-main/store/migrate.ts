import { UnetError } from '../../src-shared/contract/errors';
import { APPLICATION_ID, type Db } from './database';
import { MIGRATIONS, SCHEMA_VERSION, type Migration } from './migrations/index';

export interface MigrationOutcome {
  from: number;
  to: number;
}

export function schemaVersionOf(db: Db): number {
  return Number(db.pragma('user_version', { simple: true }));
}

/**
 * Refuses a database this build cannot use: another application's file, or a schema newer than the
 * newest migration known here (opening it could corrupt data that a newer version wrote).
 */
export function checkCompatible(db: Db, known = SCHEMA_VERSION): number {
  const version = schemaVersionOf(db);
  const applicationId = Number(db.pragma('application_id', { simple: true }));
  if (applicationId !== 0 && applicationId !== APPLICATION_ID) {
    throw new UnetError('UNSUPPORTED', 'this database is not a U-Net Studio workspace', { applicationId });
  }
  if (version === 0) {
    const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number };
    if (tables.n > 0) throw new UnetError('UNSUPPORTED', 'this database is not a U-Net Studio workspace (it holds foreign tables)');
  }
  if (version > known) {
    throw new UnetError(
      'UNSUPPORTED',
      `this workspace was written by a newer version of U-Net Studio (schema ${version}; this version knows up to ${known}); update the app to open it`,
      { schemaVersion: version, knownVersion: known },
    );
  }
  return version;
}

/**
 * Brings the schema up to `target`, one numbered migration per transaction, each bumping
 * user_version in the same transaction so that a crash leaves the database at a whole version.
 */
export function migrate(db: Db, target = SCHEMA_VERSION, migrations: readonly Migration[] = MIGRATIONS): MigrationOutcome {
  const from = checkCompatible(db, migrations[migrations.length - 1]?.version ?? 0);
  for (const m of migrations) {
    if (m.version <= from || m.version > target) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
  return { from, to: Math.max(from, Math.min(target, migrations[migrations.length - 1]?.version ?? 0)) };
}

import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { UnetError } from '../../../src-shared/contract/errors';
import { openDatabase, type Db } from '../../../src-main/store/database';
import { migrate, schemaVersionOf } from '../../../src-main/store/migrate';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../src-main/store/migrations/index';
import { DATABASE_FILE, Workspace } from '../../../src-main/store/workspace';
import { tempDir } from './temp-workspace';

function schemaOf(db: Db): string[] {
  return (db.prepare("SELECT type || ' ' || name || ': ' || sql AS s FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name").all() as { s: string }[]).map((r) => r.s);
}

function fresh(): Db {
  const db = openDatabase(':memory:');
  migrate(db);
  return db;
}

describe('migrate', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
  });

  it('numbers migrations 1..N without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('brings an empty database to the current version', () => {
    const db = openDatabase(':memory:');
    expect(migrate(db)).toEqual({ from: 0, to: SCHEMA_VERSION });
    expect(schemaVersionOf(db)).toBe(SCHEMA_VERSION);
    expect(migrate(db)).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION });
    db.close();
  });

  for (let previous = 1; previous < SCHEMA_VERSION; previous++) {
    it(`upgrades from version ${previous} to the same schema as a fresh database`, () => {
      const db = openDatabase(':memory:');
      migrate(db, previous);
      expect(schemaVersionOf(db)).toBe(previous);
      expect(migrate(db)).toEqual({ from: previous, to: SCHEMA_VERSION });
      const reference = fresh();
      expect(schemaOf(db)).toEqual(schemaOf(reference));
      db.close();
      reference.close();
    });
  }

  it('rolls a failing migration back whole, leaving the previous version', () => {
    const db = openDatabase(':memory:');
    const broken = [
      ...MIGRATIONS,
      { version: SCHEMA_VERSION + 1, name: 'broken', up: (d: Db) => d.exec('CREATE TABLE half (x); SELECT * FROM no_such_table;') },
    ];
    expect(() => migrate(db, SCHEMA_VERSION + 1, broken)).toThrow();
    expect(schemaVersionOf(db)).toBe(SCHEMA_VERSION);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
    db.close();
  });

  it('refuses a workspace written by a newer version with a clear UNSUPPORTED error', () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    Workspace.open(dir.path).close();
    const raw = new Database(path.join(dir.path, DATABASE_FILE));
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    let error: unknown;
    try {
      Workspace.open(dir.path);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnetError);
    expect((error as UnetError).code).toBe('UNSUPPORTED');
    expect((error as UnetError).message).toMatch(/newer version/);
    expect((error as UnetError).details).toEqual({ schemaVersion: SCHEMA_VERSION + 1, knownVersion: SCHEMA_VERSION });
  });

  it('refuses databases of other applications and files that are not databases', () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    const foreign = new Database(path.join(dir.path, DATABASE_FILE));
    foreign.exec('CREATE TABLE notes (text TEXT)');
    foreign.close();
    expect(() => Workspace.open(dir.path)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));

    const other = tempDir();
    cleanups.push(other.remove);
    writeFileSync(path.join(other.path, DATABASE_FILE), 'this is not a database, just text that is long enough to have a header'.repeat(20));
    expect(() => Workspace.open(other.path)).toThrow(expect.objectContaining({ code: 'CORRUPT' }));
  });

  it('keeps a copy of an older database before upgrading it', () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    const db = openDatabase(path.join(dir.path, DATABASE_FILE));
    migrate(db, 1);
    db.prepare("INSERT INTO datasets (name, created_at, updated_at) VALUES ('old', 't', 't')").run();
    db.close();
    const ws = Workspace.open(dir.path);
    expect(ws.migratedFrom).toBe(1);
    expect(ws.schemaVersion).toBe(SCHEMA_VERSION);
    expect(ws.datasets.list().map((d) => d.name)).toEqual(['old']);
    ws.close();
    const backup = path.join(dir.path, `${DATABASE_FILE}.v1.bak`);
    expect(existsSync(backup)).toBe(true);
    const copy = new Database(backup, { readonly: true });
    expect(copy.pragma('user_version', { simple: true })).toBe(1);
    copy.close();
  });
});

import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src-main/store/database';
import type { Workspace } from '../../../src-main/store/workspace';
import { fakeImage, patternMaps, tempWorkspace } from './temp-workspace';

/**
 * WAL lets a second connection (another process, the CLI) read while the app's connection writes:
 * the reader sees the last committed state, never a half-written one, and is never blocked.
 */
describe('reads during writes', () => {
  let t: ReturnType<typeof tempWorkspace>;
  let ws: Workspace;
  let reader: Db;
  let imageId: number;
  beforeEach(() => {
    t = tempWorkspace();
    ws = t.ws;
    const d = ws.datasets.create({ name: 'd' });
    imageId = ws.images.insert(fakeImage(d.id, 'a.png', 32, 32)).id;
    ws.annotations.save(imageId, patternMaps(32, 32, 1));
    reader = openDatabase(ws.databasePath, { readonly: true });
  });
  afterEach(() => {
    reader.close();
    t.dispose();
  });

  const latestVersion = () => (reader.prepare('SELECT max(version) AS v FROM annotation_versions WHERE image_id = ?').get(imageId) as { v: number }).v;

  it('a reader sees committed data while a write transaction is open, and the new data after commit', () => {
    ws.db.exec('BEGIN IMMEDIATE');
    ws.db.prepare("INSERT INTO datasets (name, created_at, updated_at) VALUES ('in flight', 't', 't')").run();
    const seen = reader.prepare('SELECT name FROM datasets ORDER BY id').all();
    expect(seen).toEqual([{ name: 'd' }]);
    ws.db.exec('COMMIT');
    expect(reader.prepare('SELECT name FROM datasets ORDER BY id').all()).toEqual([{ name: 'd' }, { name: 'in flight' }]);
  });

  it('a long read keeps its snapshot while the writer commits several versions', () => {
    reader.exec('BEGIN');
    expect(latestVersion()).toBe(1);
    for (let seed = 2; seed <= 5; seed++) ws.annotations.save(imageId, patternMaps(32, 32, seed));
    expect(latestVersion()).toBe(1);
    reader.exec('COMMIT');
    expect(latestVersion()).toBe(5);
  });

  it('interleaved reads and writes always see whole versions', () => {
    for (let seed = 2; seed <= 20; seed++) {
      ws.annotations.save(imageId, patternMaps(32, 32, seed));
      const row = reader.prepare('SELECT version, content_hash FROM annotation_versions WHERE image_id = ? ORDER BY version DESC LIMIT 1').get(imageId) as {
        version: number;
        content_hash: string;
      };
      expect(row.version).toBe(seed);
      expect(row.content_hash).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('a second writer waits for the first instead of failing, then gives up with a busy error after its timeout', () => {
    const other = new Database(ws.databasePath);
    other.pragma('busy_timeout = 100');
    ws.db.exec('BEGIN IMMEDIATE');
    const started = Date.now();
    expect(() => other.prepare("INSERT INTO datasets (name, created_at, updated_at) VALUES ('x', 't', 't')").run()).toThrow(/busy|locked/i);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    ws.db.exec('COMMIT');
    other.prepare("INSERT INTO datasets (name, created_at, updated_at) VALUES ('x', 't', 't')").run();
    other.close();
    expect(ws.datasets.list().map((d) => d.name)).toEqual(['d', 'x']);
  });
});

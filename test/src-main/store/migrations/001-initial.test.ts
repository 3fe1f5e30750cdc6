import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APPLICATION_ID, openDatabase, type Db } from '../../../../src-main/store/database';
import { migrate } from '../../../../src-main/store/migrate';

function columns(db: Db, table: string): string[] {
  return (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
}

describe('migration 001-initial', () => {
  let db: Db;
  beforeEach(() => {
    db = openDatabase(':memory:');
    migrate(db, 1);
  });
  afterEach(() => db.close());

  it('creates the data tables on an empty database and marks it as a workspace', () => {
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(columns(db, 'datasets')).toEqual(['id', 'name', 'description', 'created_at', 'updated_at']);
    expect(columns(db, 'dataset_classes')).toEqual(['dataset_id', 'value', 'name', 'color']);
    expect(columns(db, 'images')).toEqual(
      expect.arrayContaining(['path', 'size', 'mtime_ms', 'content_hash', 'width', 'height', 'frames', 'channels', 'dtype', 'pixel_size_um', 'split', 'latest_annotation_id']),
    );
    expect(columns(db, 'annotation_versions')).toEqual(expect.arrayContaining(['image_id', 'version', 'class_map', 'instance_map', 'author', 'created_at']));
    const runsTable = db.prepare("SELECT name FROM sqlite_master WHERE name = 'runs'").get();
    expect(runsTable).toBeUndefined();
  });

  it('keeps latest_annotation_id current and cascades deletes', () => {
    db.prepare("INSERT INTO datasets (id, name, created_at, updated_at) VALUES (1, 'd', 't', 't')").run();
    db.prepare("INSERT INTO images (id, dataset_id, path, name, size, mtime_ms, content_hash, width, height, dtype, added_at) VALUES (1, 1, '/a', 'a', 1, 1, 'h', 2, 2, 'uint8', 't')").run();
    const insertVersion = db.prepare(
      "INSERT INTO annotation_versions (image_id, version, width, height, class_map, instance_map, content_hash, labeled_pixels, instance_count, class_counts, source, created_at) VALUES (1, ?, 2, 2, x'00', x'00', 'h', 0, 0, '{}', 'paint', 't')",
    );
    const v1 = insertVersion.run(1).lastInsertRowid;
    expect(db.prepare('SELECT latest_annotation_id AS id FROM images').get()).toEqual({ id: Number(v1) });
    const v2 = insertVersion.run(2).lastInsertRowid;
    expect(db.prepare('SELECT latest_annotation_id AS id FROM images').get()).toEqual({ id: Number(v2) });
    expect(() => insertVersion.run(2)).toThrow(/UNIQUE/);
    db.prepare('DELETE FROM datasets WHERE id = 1').run();
    expect(db.prepare('SELECT count(*) AS n FROM annotation_versions').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM images').get()).toEqual({ n: 0 });
  });

  it('rejects values outside the schema', () => {
    db.prepare("INSERT INTO datasets (id, name, created_at, updated_at) VALUES (1, 'd', 't', 't')").run();
    expect(() => db.prepare("INSERT INTO datasets (name, created_at, updated_at) VALUES ('D', 't', 't')").run()).toThrow(/UNIQUE/);
    expect(() =>
      db.prepare("INSERT INTO images (dataset_id, path, name, size, mtime_ms, content_hash, width, height, dtype, split, added_at) VALUES (1, '/a', 'a', 1, 1, 'h', 2, 2, 'uint8', 'holdout', 't')").run(),
    ).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO dataset_classes VALUES (1, 0, 'unlabelled', '#000000')").run()).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO dataset_classes VALUES (2, 1, 'bg', '#000000')").run()).toThrow(/FOREIGN KEY/);
  });
});

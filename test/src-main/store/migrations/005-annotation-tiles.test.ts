import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../../src-main/store/database';
import { migrate } from '../../../../src-main/store/migrate';

describe('migration 005-annotation-tiles', () => {
  let db: Db;
  beforeEach(() => {
    db = openDatabase(':memory:');
    migrate(db, 4);
    // A version-4 workspace with an annotation stored whole must survive the upgrade.
    db.prepare("INSERT INTO datasets (id, name, created_at, updated_at) VALUES (1, 'cells', 't', 't')").run();
    db.prepare("INSERT INTO images (id, dataset_id, path, name, size, mtime_ms, content_hash, width, height, dtype, added_at) VALUES (1, 1, '/a', 'a', 1, 1, 'h', 2, 2, 'uint8', 't')").run();
    db.prepare(
      "INSERT INTO annotation_versions (image_id, version, width, height, class_map, instance_map, content_hash, labeled_pixels, instance_count, class_counts, source, created_at) VALUES (1, 1, 2, 2, x'01', x'02', 'h', 4, 0, '{}', 'paint', 't')",
    ).run();
    migrate(db, 5);
  });
  afterEach(() => db.close());

  it('adds the tile table and the tile columns, and keeps versions stored whole as they were', () => {
    expect(db.pragma('user_version', { simple: true })).toBe(5);
    expect(db.prepare('SELECT class_map, tile_size, tile_ids FROM annotation_versions').get()).toEqual({ class_map: Buffer.from([1]), tile_size: null, tile_ids: null });
    const columns = (db.prepare('PRAGMA table_info(annotation_tiles)').all() as { name: string }[]).map((c) => c.name);
    expect(columns).toEqual(['id', 'image_id', 'hash', 'width', 'height', 'class_map', 'instance_map', 'class_counts', 'instance_ids']);
  });

  it('keeps one row per content and image, and cascades with the image', () => {
    const insert = db.prepare("INSERT INTO annotation_tiles (image_id, hash, width, height, class_map, instance_map, class_counts, instance_ids) VALUES (1, ?, 2, 2, x'', x'', '{}', x'')");
    insert.run('u:0:0:2x2');
    expect(() => insert.run('u:0:0:2x2')).toThrow(/UNIQUE/);
    expect(() => db.prepare("UPDATE annotation_versions SET tile_size = 0").run()).toThrow(/CHECK/);
    db.prepare('DELETE FROM images WHERE id = 1').run();
    expect(db.prepare('SELECT count(*) AS n FROM annotation_tiles').get()).toEqual({ n: 0 });
  });
});

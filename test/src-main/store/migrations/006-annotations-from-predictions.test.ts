import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../../src-main/store/database';
import { migrate } from '../../../../src-main/store/migrate';

const insertVersion = (db: Db, values: string) =>
  db
    .prepare(
      `INSERT INTO annotation_versions (id, image_id, version, width, height, class_map, instance_map, content_hash, labeled_pixels, instance_count,
                                        class_counts, source, created_at) VALUES (${values})`,
    )
    .run();

describe('migration 006-annotations-from-predictions', () => {
  let db: Db;
  beforeEach(() => {
    db = openDatabase(':memory:');
    migrate(db, 5);
    // A version-5 workspace with an annotation that a run and its evaluations reference.
    db.prepare("INSERT INTO datasets (id, name, created_at, updated_at) VALUES (1, 'cells', 't', 't')").run();
    db.prepare("INSERT INTO images (id, dataset_id, path, name, size, mtime_ms, content_hash, width, height, dtype, split, added_at) VALUES (1, 1, '/a', 'a', 1, 1, 'h', 2, 2, 'uint8', 'train', 't')").run();
    insertVersion(db, "7, 1, 1, 2, 2, x'01', x'02', 'h', 4, 1, '{}', 'paint', 't'");
    db.prepare(
      "INSERT INTO runs (id, dataset_id, name, status, config, seed, backend, device, app_version, tfjs_version, created_at, updated_at) VALUES (1, 1, 'r', 'succeeded', '{}', 1, 'cpu', 'cpu', '0', '4', 't', 't')",
    ).run();
    db.prepare("INSERT INTO run_images VALUES (1, 1, 'train', 7)").run();
    db.prepare("INSERT INTO evaluations (run_id, image_id, metric, value, annotation_version_id, created_at) VALUES (1, 1, 'iou', 0.8, 7, 't')").run();
    migrate(db, 6);
  });
  afterEach(() => db.close());

  it('keeps every version, its id and what references it', () => {
    expect(db.pragma('user_version', { simple: true })).toBe(6);
    expect(db.prepare('SELECT id, version, source, prediction_run_id FROM annotation_versions').all()).toEqual([{ id: 7, version: 1, source: 'paint', prediction_run_id: null }]);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.prepare('SELECT annotation_version_id FROM run_images').get()).toEqual({ annotation_version_id: 7 });
    // The references still protect the version a run used, and still name the rebuilt table.
    expect(() => db.prepare('DELETE FROM annotation_versions WHERE id = 7').run()).toThrow(/FOREIGN KEY/);
    const runImages = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'run_images'").get() as { sql: string };
    expect(runImages.sql).toContain('REFERENCES annotation_versions(id)');
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name LIKE '%before_5%'").get()).toEqual({ n: 0 });
  });

  it('accepts versions from a prediction with their run, and keeps the latest version cached on the image', () => {
    db.prepare(
      `INSERT INTO annotation_versions (id, image_id, version, width, height, class_map, instance_map, content_hash, labeled_pixels, instance_count,
                                        class_counts, source, created_at, prediction_run_id) VALUES (8, 1, 2, 2, 2, x'01', x'02', 'h2', 4, 1, '{}', 'prediction', 't', 1)`,
    ).run();
    expect(db.prepare('SELECT latest_annotation_id FROM images').get()).toEqual({ latest_annotation_id: 8 });
    // A run is named only on versions that came from a prediction.
    expect(() => insertVersion(db, "9, 1, 3, 2, 2, x'01', x'02', 'h3', 4, 1, '{}', 'guess', 't'")).toThrow(/CHECK/);
    expect(() =>
      db
        .prepare(
          `INSERT INTO annotation_versions (image_id, version, width, height, class_map, instance_map, content_hash, labeled_pixels, instance_count,
                                            class_counts, source, created_at, prediction_run_id) VALUES (1, 3, 2, 2, x'01', x'02', 'h3', 4, 1, '{}', 'paint', 't', 1)`,
        )
        .run(),
    ).toThrow(/CHECK/);
    // Deleting the image still removes its versions.
    db.prepare('DELETE FROM evaluations').run();
    db.prepare('DELETE FROM run_images').run();
    db.prepare('DELETE FROM images WHERE id = 1').run();
    expect(db.prepare('SELECT count(*) AS n FROM annotation_versions').get()).toEqual({ n: 0 });
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../../src-main/store/database';
import { migrate } from '../../../../src-main/store/migrate';

describe('migration 002-runs-and-results', () => {
  let db: Db;
  beforeEach(() => {
    db = openDatabase(':memory:');
    migrate(db, 1);
    // Data written by version 1 must survive the upgrade.
    db.prepare("INSERT INTO datasets (id, name, created_at, updated_at) VALUES (1, 'cells', 't', 't')").run();
    db.prepare("INSERT INTO images (id, dataset_id, path, name, size, mtime_ms, content_hash, width, height, dtype, split, added_at) VALUES (1, 1, '/a', 'a', 1, 1, 'h', 2, 2, 'uint8', 'train', 't')").run();
    db.prepare(
      "INSERT INTO annotation_versions (id, image_id, version, width, height, class_map, instance_map, content_hash, labeled_pixels, instance_count, class_counts, source, created_at) VALUES (7, 1, 1, 2, 2, x'01', x'02', 'h', 4, 1, '{}', 'paint', 't')",
    ).run();
    migrate(db, 2);
  });
  afterEach(() => db.close());

  it('upgrades a version-1 database without touching its data', () => {
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(db.prepare('SELECT name FROM datasets').all()).toEqual([{ name: 'cells' }]);
    expect(db.prepare('SELECT split, latest_annotation_id FROM images').get()).toEqual({ split: 'train', latest_annotation_id: 7 });
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['runs', 'run_images', 'run_curves', 'checkpoints', 'predictions', 'evaluations']));
  });

  it('protects the images and annotation versions a run used, and cascades with the data set', () => {
    db.prepare(
      "INSERT INTO runs (id, dataset_id, name, status, config, seed, backend, device, app_version, tfjs_version, created_at, updated_at) VALUES (1, 1, 'r', 'running', '{}', 1, 'cpu', 'cpu', '0', '4', 't', 't')",
    ).run();
    db.prepare("INSERT INTO run_images VALUES (1, 1, 'train', 7)").run();
    db.prepare("INSERT INTO run_curves (run_id, step, loss, recorded_at) VALUES (1, 0, 0.7, 't')").run();
    db.prepare("INSERT INTO evaluations (run_id, image_id, metric, value, annotation_version_id, created_at) VALUES (1, 1, 'iou', 0.8, 7, 't')").run();
    expect(() => db.prepare('DELETE FROM images WHERE id = 1').run()).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("INSERT INTO runs (dataset_id, name, status, config, seed, backend, device, app_version, tfjs_version, created_at, updated_at) VALUES (1, 'r', 'paused', '{}', 1, 'c', 'c', '0', '4', 't', 't')").run()).toThrow(/CHECK/);
    db.prepare('DELETE FROM datasets WHERE id = 1').run();
    for (const table of ['runs', 'run_images', 'run_curves', 'evaluations', 'images', 'annotation_versions']) {
      expect(db.prepare(`SELECT count(*) AS n FROM ${table}`).get(), table).toEqual({ n: 0 });
    }
  });

  it('keeps one curve row per step', () => {
    db.prepare(
      "INSERT INTO runs (id, dataset_id, name, status, config, seed, backend, device, app_version, tfjs_version, created_at, updated_at) VALUES (1, 1, 'r', 'running', '{}', 1, 'cpu', 'cpu', '0', '4', 't', 't')",
    ).run();
    db.prepare("INSERT INTO run_curves (run_id, step, recorded_at) VALUES (1, 5, 't')").run();
    expect(() => db.prepare("INSERT INTO run_curves (run_id, step, recorded_at) VALUES (1, 5, 't')").run()).toThrow(/UNIQUE|PRIMARY/);
  });
});

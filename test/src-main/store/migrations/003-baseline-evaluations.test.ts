import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../../src-main/store/database';
import { migrate } from '../../../../src-main/store/migrate';

describe('migration 003-baseline-evaluations', () => {
  let db: Db;
  beforeEach(() => {
    db = openDatabase(':memory:');
    migrate(db, 2);
    // A version-2 workspace with a run and one evaluation must survive the upgrade.
    db.prepare("INSERT INTO datasets (id, name, created_at, updated_at) VALUES (1, 'cells', 't', 't')").run();
    db.prepare("INSERT INTO images (id, dataset_id, path, name, size, mtime_ms, content_hash, width, height, dtype, added_at) VALUES (1, 1, '/a', 'a', 1, 1, 'h', 2, 2, 'uint8', 't')").run();
    db.prepare(
      "INSERT INTO runs (id, dataset_id, name, status, config, seed, backend, device, app_version, tfjs_version, created_at, updated_at) VALUES (1, 1, 'r', 'succeeded', '{}', 1, 'cpu', 'cpu', '0', '4', 't', 't')",
    ).run();
    db.prepare("INSERT INTO evaluations (run_id, image_id, metric, value, created_at) VALUES (1, 1, 'iou', 0.5, 't')").run();
    migrate(db, 3);
  });
  afterEach(() => db.close());

  it('adds the baseline table and keeps what version 2 wrote', () => {
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    expect(db.prepare('SELECT value FROM evaluations').get()).toEqual({ value: 0.5 });
    const columns = (db.prepare('PRAGMA table_info(baseline_evaluations)').all() as { name: string }[]).map((c) => c.name);
    expect(columns).toEqual(['run_id', 'image_id', 'baseline', 'metric', 'value', 'settings', 'annotation_version_id', 'created_at']);
  });

  it('knows only the baselines it names, one value per run, image, baseline and metric, and cascades with the run', () => {
    const insert = db.prepare("INSERT INTO baseline_evaluations (run_id, image_id, baseline, metric, value, created_at) VALUES (?, 1, ?, 'iou', 0.4, 't')");
    insert.run(1, 'otsu');
    expect(() => insert.run(1, 'otsu')).toThrow(/UNIQUE|PRIMARY/);
    expect(() => insert.run(1, 'kmeans')).toThrow(/CHECK/);
    expect(() => insert.run(2, 'otsu')).toThrow(/FOREIGN KEY/);
    db.prepare('DELETE FROM runs WHERE id = 1').run();
    expect(db.prepare('SELECT count(*) AS n FROM baseline_evaluations').get()).toEqual({ n: 0 });
  });
});

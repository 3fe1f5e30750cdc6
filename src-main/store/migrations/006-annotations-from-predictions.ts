import type { Migration } from './migration';

/**
 * Annotation versions accepted from a run's prediction: source 'prediction', and the run it came from
 * in prediction_run_id (a plain number, so the record stays readable after the run is deleted).
 *
 * SQLite cannot change a CHECK constraint in place, so the table is rebuilt. Migrations run in a
 * transaction with foreign keys on, where they cannot be switched off; deferred, the references of
 * run_images and evaluations that the drop breaks are mended, row by row, when the same ids return in
 * the new table, and the commit checks that none is left broken.
 */
export const migration006: Migration = {
  version: 6,
  name: 'annotations-from-predictions',
  up(db) {
    db.pragma('defer_foreign_keys = ON');
    db.exec(`
      CREATE TEMP TABLE annotation_versions_before_6 AS SELECT * FROM annotation_versions;
      DROP TABLE annotation_versions;
      CREATE TABLE annotation_versions (
        id INTEGER PRIMARY KEY,
        image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
        version INTEGER NOT NULL CHECK (version >= 1),
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        class_map BLOB NOT NULL,
        instance_map BLOB NOT NULL,
        content_hash TEXT NOT NULL,
        labeled_pixels INTEGER NOT NULL,
        instance_count INTEGER NOT NULL,
        class_counts TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('paint', 'import', 'restore', 'prediction')),
        author TEXT NOT NULL DEFAULT '',
        message TEXT NOT NULL DEFAULT '',
        restored_from INTEGER,
        created_at TEXT NOT NULL,
        prediction_run_id INTEGER CHECK (prediction_run_id IS NULL OR source = 'prediction'),
        tile_size INTEGER CHECK (tile_size IS NULL OR tile_size > 0),
        tile_ids BLOB,
        UNIQUE (image_id, version)
      );
      INSERT INTO annotation_versions (id, image_id, version, width, height, class_map, instance_map, content_hash, labeled_pixels,
                                       instance_count, class_counts, source, author, message, restored_from, created_at, tile_size, tile_ids)
        SELECT id, image_id, version, width, height, class_map, instance_map, content_hash, labeled_pixels,
               instance_count, class_counts, source, author, message, restored_from, created_at, tile_size, tile_ids
        FROM annotation_versions_before_6;
      DROP TABLE annotation_versions_before_6;
      CREATE TRIGGER annotation_versions_latest AFTER INSERT ON annotation_versions
      BEGIN
        UPDATE images SET latest_annotation_id = NEW.id WHERE id = NEW.image_id;
      END;
    `);
    const broken = db.pragma('foreign_key_check') as unknown[];
    if (broken.length > 0) throw new Error(`rebuilding annotation_versions broke ${broken.length} reference(s)`);
  },
};

import { APPLICATION_ID } from '../database';
import type { Migration } from './migration';

/**
 * Data sets, their class palettes, images referenced by path, and versioned annotations.
 * Times are ISO-8601 UTC text; ids are integer row ids.
 */
export const migration001: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.exec(`
      CREATE TABLE datasets (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
        description TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      -- The palette: 1 = background, 2.. = classes (0 = unlabelled is implicit and never stored).
      CREATE TABLE dataset_classes (
        dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        value INTEGER NOT NULL CHECK (value BETWEEN 1 AND 255),
        name TEXT NOT NULL,
        color TEXT NOT NULL,
        PRIMARY KEY (dataset_id, value)
      ) WITHOUT ROWID;

      -- Images stay where they are; size, mtime and content hash detect moved or changed files.
      -- split is the image's train/validation/test membership (NULL = unassigned).
      -- latest_annotation_id caches the newest version (kept by a trigger) so that listing and
      -- filtering by "annotated" need no aggregate.
      CREATE TABLE images (
        id INTEGER PRIMARY KEY,
        dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        name TEXT NOT NULL COLLATE NOCASE,
        size INTEGER NOT NULL,
        mtime_ms INTEGER NOT NULL,
        content_hash TEXT NOT NULL,
        width INTEGER NOT NULL CHECK (width > 0),
        height INTEGER NOT NULL CHECK (height > 0),
        frames INTEGER NOT NULL DEFAULT 1 CHECK (frames > 0),
        channels INTEGER NOT NULL DEFAULT 1 CHECK (channels > 0),
        dtype TEXT NOT NULL,
        pixel_size_um REAL,
        split TEXT CHECK (split IN ('train', 'validation', 'test')),
        file_status TEXT NOT NULL DEFAULT 'ok' CHECK (file_status IN ('ok', 'missing', 'changed')),
        verified_at TEXT,
        added_at TEXT NOT NULL,
        latest_annotation_id INTEGER,
        UNIQUE (dataset_id, path)
      );
      -- Paging indexes: they carry the filter columns, so a page's ids are found in the index alone.
      CREATE INDEX images_by_name ON images (dataset_id, name, id, split, latest_annotation_id);
      CREATE INDEX images_by_split ON images (dataset_id, split, name, id, latest_annotation_id);
      CREATE INDEX images_by_hash ON images (content_hash);

      -- Every save is a new row; nothing is overwritten. The maps are deflated raw arrays:
      -- class_map = Uint8 per pixel, instance_map = little-endian Uint32 per pixel.
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
        source TEXT NOT NULL CHECK (source IN ('paint', 'import', 'restore')),
        author TEXT NOT NULL DEFAULT '',
        message TEXT NOT NULL DEFAULT '',
        restored_from INTEGER,
        created_at TEXT NOT NULL,
        UNIQUE (image_id, version)
      );

      CREATE TRIGGER annotation_versions_latest AFTER INSERT ON annotation_versions
      BEGIN
        UPDATE images SET latest_annotation_id = NEW.id WHERE id = NEW.image_id;
      END;
    `);
  },
};

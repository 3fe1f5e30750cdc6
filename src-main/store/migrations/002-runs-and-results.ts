import type { Migration } from './migration';

/**
 * The record of training and evaluation: runs with the exact images and annotation versions they
 * used, their curves and checkpoints, predictions, and per-image metrics.
 */
export const migration002: Migration = {
  version: 2,
  name: 'runs-and-results',
  up(db) {
    db.exec(`
      -- config and versions are JSON; error is an ErrorInfo as JSON; owner is "host:pid" of the
      -- process that set the run running (used to tell a crashed run from a live one at open).
      CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        notes TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
        config TEXT NOT NULL,
        seed INTEGER NOT NULL,
        backend TEXT NOT NULL,
        device TEXT NOT NULL,
        app_version TEXT NOT NULL,
        tfjs_version TEXT NOT NULL,
        versions TEXT NOT NULL DEFAULT '{}',
        owner TEXT,
        resumed_from INTEGER REFERENCES runs(id) ON DELETE SET NULL,
        error TEXT,
        created_at TEXT NOT NULL,
        started_at TEXT,
        finished_at TEXT,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX runs_by_dataset ON runs (dataset_id, id);
      CREATE INDEX runs_by_status ON runs (status);
      CREATE INDEX runs_by_resumed_from ON runs (resumed_from);

      -- Membership of a run, frozen at its start: which image, in which split, with which
      -- annotation version. Images and versions referenced here cannot be deleted on their own.
      CREATE TABLE run_images (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        image_id INTEGER NOT NULL REFERENCES images(id),
        split TEXT NOT NULL CHECK (split IN ('train', 'validation', 'test')),
        annotation_version_id INTEGER REFERENCES annotation_versions(id),
        PRIMARY KEY (run_id, image_id)
      ) WITHOUT ROWID;
      CREATE INDEX run_images_by_image ON run_images (image_id);
      CREATE INDEX run_images_by_annotation ON run_images (annotation_version_id);

      -- One row per step; training loss and validation metrics reported for the same step merge.
      CREATE TABLE run_curves (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step INTEGER NOT NULL CHECK (step >= 0),
        loss REAL,
        metrics TEXT NOT NULL DEFAULT '{}',
        elapsed_ms INTEGER,
        recorded_at TEXT NOT NULL,
        PRIMARY KEY (run_id, step)
      ) WITHOUT ROWID;

      CREATE TABLE checkpoints (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step INTEGER NOT NULL CHECK (step >= 0),
        path TEXT NOT NULL,
        metric_name TEXT,
        metric_value REAL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX checkpoints_by_run ON checkpoints (run_id, step);

      -- Outputs written for one input (a data set image, or any file segmented with the run's model).
      CREATE TABLE predictions (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        image_id INTEGER REFERENCES images(id) ON DELETE SET NULL,
        input_path TEXT NOT NULL,
        labels_path TEXT,
        instances_path TEXT,
        probabilities_path TEXT,
        created_at TEXT NOT NULL,
        UNIQUE (run_id, input_path)
      );
      CREATE INDEX predictions_by_image ON predictions (image_id);

      -- Per-image metric values (iou, seg, vRand, vInfo, randError, pixelError, ap50, ...), with the
      -- annotation version used as ground truth. A NULL value means undefined (e.g. an empty union).
      CREATE TABLE evaluations (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
        metric TEXT NOT NULL,
        value REAL,
        annotation_version_id INTEGER REFERENCES annotation_versions(id),
        created_at TEXT NOT NULL,
        PRIMARY KEY (run_id, image_id, metric)
      ) WITHOUT ROWID;
      CREATE INDEX evaluations_by_image ON evaluations (image_id);
      CREATE INDEX evaluations_by_annotation ON evaluations (annotation_version_id);
    `);
  },
};

import type { Migration } from './migration';

/**
 * The scores of a baseline method (an Otsu threshold) on the same images and ground truth as a run's
 * evaluations, so every score can be shown beside what the baseline reaches. `settings` (JSON) says
 * how the baseline was computed, e.g. {"sigma":1,"polarity":"bright","rule":"training annotations"}.
 */
export const migration003: Migration = {
  version: 3,
  name: 'baseline-evaluations',
  up(db) {
    db.exec(`
      CREATE TABLE baseline_evaluations (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
        baseline TEXT NOT NULL CHECK (baseline IN ('otsu')),
        metric TEXT NOT NULL,
        value REAL,
        settings TEXT NOT NULL DEFAULT '{}',
        annotation_version_id INTEGER REFERENCES annotation_versions(id),
        created_at TEXT NOT NULL,
        PRIMARY KEY (run_id, image_id, baseline, metric)
      ) WITHOUT ROWID;
      CREATE INDEX baseline_evaluations_by_image ON baseline_evaluations (image_id);
      CREATE INDEX baseline_evaluations_by_annotation ON baseline_evaluations (annotation_version_id);
    `);
  },
};

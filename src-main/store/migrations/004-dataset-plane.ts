import type { Migration } from './migration';

/**
 * The plane of a data set's images (0-based channel, focal plane and time point of OME-TIFF / ImageJ
 * hyperstacks, or a sample of colour images) that is shown, annotated, trained on and segmented.
 * plane_c NULL keeps the behaviour of earlier versions: the first plane with all its samples.
 */
export const migration004: Migration = {
  version: 4,
  name: 'dataset-plane',
  up(db) {
    db.exec(`
      ALTER TABLE datasets ADD COLUMN plane_c INTEGER CHECK (plane_c IS NULL OR plane_c >= 0);
      ALTER TABLE datasets ADD COLUMN plane_z INTEGER NOT NULL DEFAULT 0 CHECK (plane_z >= 0);
      ALTER TABLE datasets ADD COLUMN plane_t INTEGER NOT NULL DEFAULT 0 CHECK (plane_t >= 0);
    `);
  },
};

import type { Migration } from './migration';

/**
 * Annotation versions stored as tiles: a save writes only the tiles that differ from every tile the
 * image already has (same content, same row), and a version lists its tiles' row ids. Versions written
 * before keep their whole deflated maps (tile_size NULL); both kinds read back as whole maps.
 *
 * annotation_tiles: class_map / instance_map are raw DEFLATE of the tile's Uint8 and little-endian
 * Uint32 pixels; hash names the content (sha256 of both, or "u:<class>:<instance>:<w>x<h>" for a tile
 * of one value); class_counts is JSON {class: pixels}; instance_ids the tile's distinct non-zero ids
 * (little-endian Uint32), from which a version's object count is found without decoding pixels.
 * annotation_versions.tile_ids: the tiles' row ids, row-major over the grid, as little-endian Float64.
 */
export const migration005: Migration = {
  version: 5,
  name: 'annotation-tiles',
  up(db) {
    db.exec(`
      CREATE TABLE annotation_tiles (
        id INTEGER PRIMARY KEY,
        image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
        hash TEXT NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        class_map BLOB NOT NULL,
        instance_map BLOB NOT NULL,
        class_counts TEXT NOT NULL,
        instance_ids BLOB NOT NULL,
        UNIQUE (image_id, hash)
      );
      ALTER TABLE annotation_versions ADD COLUMN tile_size INTEGER CHECK (tile_size IS NULL OR tile_size > 0);
      ALTER TABLE annotation_versions ADD COLUMN tile_ids BLOB;
    `);
  },
};

import path from 'node:path';
import { UnetError } from '../../src-shared/contract/errors';
import type { AnnotationSource, ImageFileStatus, ImagePage, ImageRecord, Split } from '../../src-shared/contract/records';
import { nowIso } from './clock';
import type { Db } from './database';

export interface NewImage {
  datasetId: number;
  path: string;
  name: string;
  size: number;
  mtimeMs: number;
  contentHash: string;
  width: number;
  height: number;
  frames: number;
  channels: number;
  dtype: string;
  pixelSizeUm: number | null;
  split?: Split | null;
}

export interface ImageQuery {
  datasetId: number;
  offset?: number;
  limit?: number;
  /** true: only images with an annotation; false: only those without. */
  annotated?: boolean;
  /** A split, or 'none' for images in no split. */
  split?: Split | 'none';
  /** Case-insensitive substring of the file name. */
  name?: string;
}

/** An annotated image of a split with the exact annotation version to train or evaluate on. */
export interface TrainingItem {
  imageId: number;
  name: string;
  path: string;
  width: number;
  height: number;
  split: Split;
  annotationVersionId: number;
  annotationVersion: number;
}

export interface FileState {
  path?: string;
  size: number;
  mtimeMs: number;
  contentHash?: string;
  fileStatus: ImageFileStatus;
}

interface ImageRow {
  id: number;
  dataset_id: number;
  path: string;
  name: string;
  size: number;
  mtime_ms: number;
  content_hash: string;
  width: number;
  height: number;
  frames: number;
  channels: number;
  dtype: string;
  pixel_size_um: number | null;
  split: Split | null;
  file_status: ImageFileStatus;
  verified_at: string | null;
  added_at: string;
  annotation_version: number | null;
  annotated_at: string | null;
  annotation_source: AnnotationSource | null;
  prediction_run_id: number | null;
}

const SELECT_IMAGES = `
  SELECT i.id, i.dataset_id, i.path, i.name, i.size, i.mtime_ms, i.content_hash, i.width, i.height,
         i.frames, i.channels, i.dtype, i.pixel_size_um, i.split, i.file_status, i.verified_at, i.added_at,
         a.version AS annotation_version, a.created_at AS annotated_at, a.source AS annotation_source,
         -- The newest version that did not start from what was there: a prediction accepted, or a mask imported.
         (SELECT s.prediction_run_id FROM annotation_versions s
          WHERE s.image_id = i.id AND s.source IN ('prediction', 'import') ORDER BY s.version DESC LIMIT 1) AS prediction_run_id
  FROM images i LEFT JOIN annotation_versions a ON a.id = i.latest_annotation_id`;

export const MAX_PAGE = 1000;

function toRecord(row: ImageRow): ImageRecord {
  return {
    id: row.id,
    datasetId: row.dataset_id,
    name: row.name,
    path: row.path,
    size: row.size,
    mtimeMs: row.mtime_ms,
    contentHash: row.content_hash,
    width: row.width,
    height: row.height,
    frames: row.frames,
    channels: row.channels,
    dtype: row.dtype,
    pixelSizeUm: row.pixel_size_um,
    split: row.split,
    fileStatus: row.file_status,
    verifiedAt: row.verified_at,
    addedAt: row.added_at,
    annotationVersion: row.annotation_version ?? 0,
    annotatedAt: row.annotated_at,
    annotationSource: row.annotation_source,
    predictionRunId: row.prediction_run_id,
  };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Images of data sets: file identity, metadata, split membership. */
export class ImagesRepository {
  constructor(private readonly db: Db) {}

  insert(image: NewImage): ImageRecord {
    try {
      const id = this.db
        .prepare(
          `INSERT INTO images (dataset_id, path, name, size, mtime_ms, content_hash, width, height, frames, channels, dtype,
                               pixel_size_um, split, added_at)
           VALUES (@datasetId, @path, @name, @size, @mtimeMs, @contentHash, @width, @height, @frames, @channels, @dtype,
                   @pixelSizeUm, @split, @addedAt)`,
        )
        .run({ ...image, split: image.split ?? null, mtimeMs: Math.round(image.mtimeMs), addedAt: nowIso() }).lastInsertRowid;
      return this.get(Number(id));
    } catch (error) {
      const code = (error as { code?: string } | null)?.code;
      if (code === 'SQLITE_CONSTRAINT_UNIQUE') throw new UnetError('CONFLICT', `${image.path} is already in this data set`, { path: image.path });
      if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw new UnetError('NOT_FOUND', `no data set with id ${image.datasetId}`);
      throw error;
    }
  }

  find(id: number): ImageRecord | null {
    const row = this.db.prepare(`${SELECT_IMAGES} WHERE i.id = ?`).get(id) as ImageRow | undefined;
    return row ? toRecord(row) : null;
  }

  get(id: number): ImageRecord {
    const found = this.find(id);
    if (!found) throw new UnetError('NOT_FOUND', `no image with id ${id}`, { imageId: id });
    return found;
  }

  findByPath(datasetId: number, path: string): ImageRecord | null {
    const row = this.db.prepare(`${SELECT_IMAGES} WHERE i.dataset_id = ? AND i.path = ?`).get(datasetId, path) as ImageRow | undefined;
    return row ? toRecord(row) : null;
  }

  /** One page of a data set's images, sorted by name, with the total that matches the filters. */
  list(query: ImageQuery): ImagePage {
    const offset = Math.max(0, Math.floor(query.offset ?? 0));
    const limit = Math.min(MAX_PAGE, Math.max(1, Math.floor(query.limit ?? 100)));
    const where = ['i.dataset_id = @datasetId'];
    const params: Record<string, unknown> = { datasetId: query.datasetId, limit, offset };
    if (query.annotated === true) where.push('i.latest_annotation_id IS NOT NULL');
    if (query.annotated === false) where.push('i.latest_annotation_id IS NULL');
    if (query.split === 'none') where.push('i.split IS NULL');
    else if (query.split) {
      where.push('i.split = @split');
      params.split = query.split;
    }
    if (query.name) {
      where.push("i.name LIKE @name ESCAPE '\\'");
      params.name = `%${escapeLike(query.name)}%`;
    }
    const clause = where.join(' AND ');
    const total = (this.db.prepare(`SELECT count(*) AS n FROM images i WHERE ${clause}`).get(params) as { n: number }).n;
    // The page's ids come from a covering index; only those rows are then read and joined.
    const rows = this.db
      .prepare(
        `WITH page AS (SELECT i.id FROM images i WHERE ${clause} ORDER BY i.name, i.id LIMIT @limit OFFSET @offset)
         ${SELECT_IMAGES} JOIN page p ON p.id = i.id ORDER BY i.name, i.id`,
      )
      .all(params) as ImageRow[];
    return { total, offset, limit, items: rows.map(toRecord) };
  }

  /**
   * The image before or after this one in its data set's name order (the Library's), or null at either
   * end. With `unannotated`, the nearest one without an annotation, searching on from the other end.
   */
  neighbour(id: number, direction: 'previous' | 'next', unannotated = false): number | null {
    const image = this.db.prepare('SELECT dataset_id, name FROM images WHERE id = ?').get(id) as { dataset_id: number; name: string } | undefined;
    if (!image) throw new UnetError('NOT_FOUND', `no image with id ${id}`, { imageId: id });
    const filter = unannotated ? 'AND latest_annotation_id IS NULL' : '';
    const [after, order] = direction === 'next' ? ['>', 'ASC'] : ['<', 'DESC'];
    const params = { datasetId: image.dataset_id, name: image.name, id };
    const beyond = this.db
      .prepare(
        `SELECT id FROM images WHERE dataset_id = @datasetId ${filter} AND (name ${after} @name OR (name = @name AND id ${after} @id))
         ORDER BY name ${order}, id ${order} LIMIT 1`,
      )
      .get(params) as { id: number } | undefined;
    if (beyond || !unannotated) return beyond?.id ?? null;
    const wrapped = this.db
      .prepare(`SELECT id FROM images WHERE dataset_id = @datasetId ${filter} AND id <> @id ORDER BY name ${order}, id ${order} LIMIT 1`)
      .get(params) as { id: number } | undefined;
    return wrapped?.id ?? null;
  }

  /** All images of a data set, in name order (for verification and export). */
  all(datasetId: number): ImageRecord[] {
    return (this.db.prepare(`${SELECT_IMAGES} WHERE i.dataset_id = ? ORDER BY i.name, i.id`).all(datasetId) as ImageRow[]).map(toRecord);
  }

  count(datasetId: number): number {
    return (this.db.prepare('SELECT count(*) AS n FROM images WHERE dataset_id = ?').get(datasetId) as { n: number }).n;
  }

  /** Puts images in a split (null: in none). Returns how many images changed. */
  setSplit(ids: readonly number[], split: Split | null): number {
    const update = this.db.prepare('UPDATE images SET split = ? WHERE id = ? AND split IS NOT ?');
    const exists = this.db.prepare('SELECT 1 FROM images WHERE id = ?');
    return this.db.transaction(() => {
      let changed = 0;
      for (const id of ids) {
        if (!exists.get(id)) throw new UnetError('NOT_FOUND', `no image with id ${id}`, { imageId: id });
        changed += update.run(split, id, split).changes;
      }
      return changed;
    }).immediate();
  }

  /** Records what verification found about an image's file. */
  updateFile(id: number, state: FileState): void {
    this.db
      .prepare(
        `UPDATE images SET path = coalesce(@path, path), name = coalesce(@name, name), size = @size, mtime_ms = @mtimeMs,
                content_hash = coalesce(@contentHash, content_hash), file_status = @fileStatus, verified_at = @verifiedAt
         WHERE id = @id`,
      )
      .run({ id, path: state.path ?? null, name: state.path ? path.basename(state.path) : null, size: state.size, mtimeMs: Math.round(state.mtimeMs), contentHash: state.contentHash ?? null, fileStatus: state.fileStatus, verifiedAt: nowIso() });
  }

  markStatus(id: number, fileStatus: ImageFileStatus): void {
    this.db.prepare('UPDATE images SET file_status = ?, verified_at = ? WHERE id = ?').run(fileStatus, nowIso(), id);
  }

  /** Ids of the runs that used any of these images (such images are part of the record). */
  runsUsing(ids: readonly number[]): number[] {
    const query = this.db.prepare('SELECT DISTINCT run_id FROM run_images WHERE image_id = ?');
    const runs = new Set<number>();
    for (const id of ids) for (const row of query.all(id) as { run_id: number }[]) runs.add(row.run_id);
    return [...runs].sort((a, b) => a - b);
  }

  /** Removes images and their annotations; refuses images that a run used. */
  remove(ids: readonly number[]): number {
    return this.db.transaction(() => {
      const runs = this.runsUsing(ids);
      if (runs.length > 0) {
        throw new UnetError('CONFLICT', `these images are part of the record of run(s) ${runs.join(', ')}; delete those runs first`, { runIds: runs });
      }
      const del = this.db.prepare('DELETE FROM images WHERE id = ?');
      let removed = 0;
      for (const id of ids) removed += del.run(id).changes;
      return removed;
    }).immediate();
  }

  /**
   * The annotated images of a split, each with its latest annotation version: what a training run
   * records as its membership.
   */
  trainingSet(datasetId: number, split: Split): TrainingItem[] {
    return this.db
      .prepare(
        `SELECT i.id AS imageId, i.name, i.path, i.width, i.height, i.split,
                a.id AS annotationVersionId, a.version AS annotationVersion
         FROM images i JOIN annotation_versions a ON a.id = i.latest_annotation_id
         WHERE i.dataset_id = ? AND i.split = ?
         ORDER BY i.name, i.id`,
      )
      .all(datasetId, split) as TrainingItem[];
  }
}

import { UnetError } from '../../src-shared/contract/errors';
import type { AnnotationData, AnnotationSaveResult, AnnotationSource, AnnotationVersionInfo } from '../../src-shared/contract/records';
import { decodeMaps, encodeMaps } from './annotation-codec';
import { nowIso } from './clock';
import type { Db } from './database';

/** A decoded annotation version with its row id (what runs and evaluations reference). */
export interface StoredAnnotation extends AnnotationData {
  id: number;
}

export interface AnnotationInput {
  classMap: Uint8Array;
  instanceMap: Uint32Array;
  /** The version the maps were edited from (0 = none): a newer latest version is a CONFLICT. Omit to skip the check. */
  baseVersion?: number;
  source?: AnnotationSource;
  author?: string;
  message?: string;
  restoredFrom?: number | null;
  /** The run whose prediction the maps are (source 'prediction'). */
  predictionRunId?: number | null;
}

interface VersionRow {
  id: number;
  image_id: number;
  version: number;
  width: number;
  height: number;
  labeled_pixels: number;
  instance_count: number;
  class_counts: string;
  source: AnnotationSource;
  author: string;
  message: string;
  restored_from: number | null;
  prediction_run_id: number | null;
  created_at: string;
  content_hash: string;
}

interface MapsRow extends VersionRow {
  class_map: Buffer;
  instance_map: Buffer;
}

const INFO_COLUMNS = 'id, image_id, version, width, height, labeled_pixels, instance_count, class_counts, source, author, message, restored_from, prediction_run_id, created_at, content_hash';

function toInfo(row: VersionRow): AnnotationVersionInfo {
  return {
    id: row.id,
    imageId: row.image_id,
    version: row.version,
    width: row.width,
    height: row.height,
    labeledPixels: row.labeled_pixels,
    instanceCount: row.instance_count,
    classCounts: JSON.parse(row.class_counts) as Record<string, number>,
    source: row.source,
    author: row.author,
    message: row.message,
    restoredFrom: row.restored_from,
    predictionRunId: row.prediction_run_id,
    createdAt: row.created_at,
  };
}

function toStored(row: MapsRow): StoredAnnotation {
  const maps = decodeMaps(row.class_map, row.instance_map, row.width, row.height);
  return {
    id: row.id,
    imageId: row.image_id,
    version: row.version,
    width: row.width,
    height: row.height,
    classMap: maps.classMap,
    instanceMap: maps.instanceMap,
    createdAt: row.created_at,
    author: row.author,
    source: row.source,
    predictionRunId: row.prediction_run_id,
  };
}

/** Versioned annotations: every save adds a row, nothing is overwritten. */
export class AnnotationsRepository {
  constructor(private readonly db: Db) {}

  /** The newest version of an image's annotation, or null when there is none. */
  latest(imageId: number): StoredAnnotation | null {
    const row = this.db
      .prepare(`SELECT ${INFO_COLUMNS}, class_map, instance_map FROM annotation_versions WHERE image_id = ? ORDER BY version DESC LIMIT 1`)
      .get(imageId) as MapsRow | undefined;
    return row ? toStored(row) : null;
  }

  version(imageId: number, version: number): StoredAnnotation {
    const row = this.db
      .prepare(`SELECT ${INFO_COLUMNS}, class_map, instance_map FROM annotation_versions WHERE image_id = ? AND version = ?`)
      .get(imageId, version) as MapsRow | undefined;
    if (!row) throw new UnetError('NOT_FOUND', `image ${imageId} has no annotation version ${version}`, { imageId, version });
    return toStored(row);
  }

  /** A version by its row id, as referenced by runs and evaluations. */
  byId(versionId: number): StoredAnnotation {
    const row = this.db.prepare(`SELECT ${INFO_COLUMNS}, class_map, instance_map FROM annotation_versions WHERE id = ?`).get(versionId) as MapsRow | undefined;
    if (!row) throw new UnetError('NOT_FOUND', `no annotation version with id ${versionId}`, { annotationVersionId: versionId });
    return toStored(row);
  }

  latestVersion(imageId: number): number {
    const row = this.db.prepare('SELECT max(version) AS v FROM annotation_versions WHERE image_id = ?').get(imageId) as { v: number | null };
    return row.v ?? 0;
  }

  history(imageId: number): AnnotationVersionInfo[] {
    return (this.db.prepare(`SELECT ${INFO_COLUMNS} FROM annotation_versions WHERE image_id = ? ORDER BY version DESC`).all(imageId) as VersionRow[]).map(toInfo);
  }

  /**
   * Saves the maps as a new version in one transaction; when this returns, the version is committed
   * (and, with synchronous=FULL, on disk). Maps equal to the latest version add nothing.
   */
  save(imageId: number, input: AnnotationInput): AnnotationSaveResult {
    const image = this.db.prepare('SELECT width, height, dataset_id FROM images WHERE id = ?').get(imageId) as
      | { width: number; height: number; dataset_id: number }
      | undefined;
    if (!image) throw new UnetError('NOT_FOUND', `no image with id ${imageId}`, { imageId });
    const pixels = image.width * image.height;
    if (!(input.classMap instanceof Uint8Array) || input.classMap.length !== pixels) {
      throw new UnetError('INVALID_ARGUMENT', `classMap must be a Uint8Array of ${image.width}x${image.height} = ${pixels} values`);
    }
    if (!(input.instanceMap instanceof Uint32Array) || input.instanceMap.length !== pixels) {
      throw new UnetError('INVALID_ARGUMENT', `instanceMap must be a Uint32Array of ${image.width}x${image.height} = ${pixels} values`);
    }
    // Compress outside the write transaction so that the lock is held only for the insert.
    const encoded = encodeMaps(input.classMap, input.instanceMap);
    this.checkClasses(image.dataset_id, encoded.classCounts);
    return this.db.transaction((): AnnotationSaveResult => {
      const latest = this.db
        .prepare('SELECT version, content_hash, created_at FROM annotation_versions WHERE image_id = ? ORDER BY version DESC LIMIT 1')
        .get(imageId) as { version: number; content_hash: string; created_at: string } | undefined;
      const latestVersion = latest?.version ?? 0;
      if (input.baseVersion !== undefined && input.baseVersion !== latestVersion) {
        throw new UnetError('CONFLICT', `annotation of image ${imageId} changed since version ${input.baseVersion} (now version ${latestVersion})`, {
          imageId,
          baseVersion: input.baseVersion,
          latestVersion,
        });
      }
      if (latest && latest.content_hash === encoded.contentHash) {
        return { imageId, version: latest.version, createdAt: latest.created_at, unchanged: true };
      }
      const createdAt = nowIso();
      const version = latestVersion + 1;
      this.db
        .prepare(
          `INSERT INTO annotation_versions (image_id, version, width, height, class_map, instance_map, content_hash, labeled_pixels,
                                            instance_count, class_counts, source, author, message, restored_from, prediction_run_id, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          imageId,
          version,
          image.width,
          image.height,
          encoded.classMap,
          encoded.instanceMap,
          encoded.contentHash,
          encoded.labeledPixels,
          encoded.instanceCount,
          JSON.stringify(encoded.classCounts),
          input.source ?? 'paint',
          input.author ?? '',
          input.message ?? '',
          input.restoredFrom ?? null,
          input.source === 'prediction' ? (input.predictionRunId ?? null) : null,
          createdAt,
        );
      return { imageId, version, createdAt, unchanged: false };
    }).immediate();
  }

  /** Makes an old version the newest again, as a new version (history is never rewritten). */
  restore(imageId: number, version: number, options: { baseVersion?: number; author?: string } = {}): AnnotationSaveResult {
    const old = this.version(imageId, version);
    return this.save(imageId, {
      classMap: old.classMap,
      instanceMap: old.instanceMap,
      baseVersion: options.baseVersion,
      source: 'restore',
      author: options.author,
      message: `restored version ${version}`,
      restoredFrom: version,
    });
  }

  /** Painted class values must be in the data set's palette (0 = unlabelled is always allowed). */
  private checkClasses(datasetId: number, classCounts: Record<string, number>): void {
    const palette = new Set((this.db.prepare('SELECT value FROM dataset_classes WHERE dataset_id = ?').all(datasetId) as { value: number }[]).map((r) => r.value));
    const unknown = Object.keys(classCounts).map(Number).filter((v) => !palette.has(v));
    if (unknown.length > 0) {
      throw new UnetError('INVALID_ARGUMENT', `class value(s) ${unknown.join(', ')} are not in the data set's palette`, { unknownClasses: unknown });
    }
  }
}

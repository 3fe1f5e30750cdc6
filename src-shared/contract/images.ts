import { z } from 'zod';
import { defineService, event, method } from './define';
import { fsPath, rowId, SPLITS, type DatasetDetail, type ImagePage, type ImagePixels, type ImageRecord, type Thumbnail, type VerifyReport } from './records';
import type { JobOf } from './jobs';

const split = z.enum(SPLITS);
const idList = z.array(rowId).min(1).max(100_000);

export interface ImportResult {
  datasetId: number;
  /** Images added to the data set. */
  imported: number;
  /** Files already in the data set (same path). */
  skipped: number;
  /** Imported images that got an annotation from a matching mask. */
  annotated: number;
  /** Files that could not be read, and masks that did not fit their image. */
  failures: { path: string; error: string }[];
}

/** Counts of an import so far, after each file. */
export interface ImportCounts {
  done: number;
  total: number;
  imported: number;
  annotated: number;
  failed: number;
}

/** Live data of an import job: its data set, and the counts once the first file is done. */
export type ImportProgress = { datasetId: number } & Partial<ImportCounts>;

/** A data set created for an import, and the import job filling it. */
export interface DatasetImport {
  dataset: DatasetDetail;
  job: JobOf<'import'>;
}

const importSource = {
  paths: z.array(fsPath).min(1).max(100_000),
  masks: z.boolean().default(true),
  recursive: z.boolean().default(false),
};

export interface ImagesImported {
  datasetId: number;
  jobId: string;
  imported: number;
  annotated: number;
}

export interface ImagesChanged {
  datasetId: number;
  ids: number[];
  reason: 'split' | 'removed' | 'verified' | 'thumbnails';
}

export const imagesService = defineService({
  methods: {
    /** One page of a data set's images in name order, filtered by annotation state, split and name. */
    list: method(
      z.object({
        datasetId: rowId,
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(100),
        annotated: z.boolean().optional(),
        split: z.union([split, z.literal('none')]).optional(),
        name: z.string().max(200).optional(),
      }),
    ).returns<ImagePage>(),
    get: method(z.object({ id: rowId })).returns<ImageRecord>(),
    /**
     * The image before or after this one in its data set's name order, or null at either end. With
     * `unannotated`, the nearest image without an annotation in that direction, wrapping round once.
     */
    neighbour: method(z.object({ id: rowId, direction: z.enum(['previous', 'next']), unannotated: z.boolean().default(false) })).returns<{ imageId: number | null }>(),
    /** A small PNG of the image at its data set's plane, contrast-stretched; cached in the workspace. */
    thumbnail: method(z.object({ id: rowId, size: z.number().int().min(16).max(1024).default(256) })).returns<Thumbnail>(),
    /** Pixels of one frame, or of a region of it; without a frame, of the data set's plane (datasets.setPlane). */
    read: method(
      z.object({
        id: rowId,
        frame: z.number().int().min(0).optional(),
        region: z
          .object({ x: z.number().int().min(0), y: z.number().int().min(0), width: z.number().int().min(1), height: z.number().int().min(1) })
          .optional(),
      }),
    ).returns<ImagePixels>(),
    /**
     * A stored reduced-resolution copy of a frame of a pyramidal TIFF (OME SubIFDs or reduced pages):
     * the smallest whose longer side is at least minSide, for a quick first look at a large image;
     * null when the file stores none that large. `region` is the whole frame in image coordinates. Without
     * a frame: the data set's plane, as `read`.
     */
    readLevel: method(z.object({ id: rowId, frame: z.number().int().min(0).optional(), minSide: z.number().int().min(1).max(65_536) })).returns<
      (ImagePixels & { level: number }) | null
    >(),
    /** Puts images in a split (null: in none). */
    setSplit: method(z.object({ ids: idList, split: split.nullable() })).returns<{ updated: number }>(),
    /**
     * Checks image files against their recorded size, mtime and hash. Missing files are looked for
     * (by content) under searchFolders; with relocate, found files get their new path recorded.
     */
    verify: method(
      z.object({
        datasetId: rowId.optional(),
        ids: idList.optional(),
        searchFolders: z.array(fsPath).max(20).default([]),
        relocate: z.boolean().default(false),
      }),
    ).returns<VerifyReport>(),
    /**
     * Adds image files and folders to a data set, as a job. A folder holding images/ (and masks/)
     * is read as pairs; masks matched by name (masks/NAME, NAME_mask.EXT) become annotations.
     */
    import: method(z.object({ datasetId: rowId, ...importSource })).returns<JobOf<'import'>>(),
    /**
     * The first import's single step: creates a data set named after the (first) folder, or `name`
     * ("NAME 2" when taken), and imports into it as `import` does. Refused before anything is
     * created when the paths hold no image.
     */
    importAsDataset: method(z.object({ ...importSource, name: z.string().trim().min(1).max(200).optional() })).returns<DatasetImport>(),
    /** Removes images (and their annotations) from their data set; images a run used are refused. */
    remove: method(z.object({ ids: idList })).returns<{ removed: number }>(),
  },
  events: {
    imported: event<ImagesImported>(),
    changed: event<ImagesChanged>(),
  },
});

import { z } from 'zod';
import { defineService, event, method } from './define';
import { fsPath, rowId, type ClassDef, type DatasetDetail, type DatasetSummary, imagePlane } from './records';
import type { JobOf, JobInfo } from './jobs';
import type { PlaneSizes } from '../imaging/image-plane';
import type { DatasetImport } from './images';

export const classDefSchema = z.object({
  value: z.number().int().min(1).max(255),
  name: z.string().trim().min(1).max(100),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, "colour must be '#rrggbb'"),
});

const datasetName = z.string().trim().min(1).max(200);
const datasetId = z.object({ id: rowId });

export interface DatasetsChanged {
  id: number;
  reason: 'created' | 'renamed' | 'described' | 'classes' | 'deleted' | 'images' | 'plane';
}

/** Result of the exportAnnotations job. */
export interface AnnotationExportResult {
  datasetId: number;
  folder: string;
  /** Images whose class and instance maps were written. */
  written: number;
  /** Images without an annotation. */
  skipped: number;
}

export interface DatasetDeleted {
  id: number;
  runsDeleted: number;
}

export const datasetsService = defineService({
  methods: {
    list: method().returns<DatasetSummary[]>(),
    /** A data set with its class palette. */
    get: method(datasetId).returns<DatasetDetail>(),
    create: method(
      z.object({ name: datasetName, description: z.string().max(10_000).default(''), classes: z.array(classDefSchema).min(1).max(255).optional() }),
    ).returns<DatasetDetail>(),
    rename: method(z.object({ id: rowId, name: datasetName })).returns<DatasetDetail>(),
    setDescription: method(z.object({ id: rowId, description: z.string().max(10_000) })).returns<DatasetDetail>(),
    /** Deletes a data set with its images and annotations; one with runs needs force (its runs go too). */
    delete: method(z.object({ id: rowId, force: z.boolean().default(false) })).returns<DatasetDeleted>(),
    /** Replaces the palette; it must include background (1). */
    setClasses: method(z.object({ id: rowId, classes: z.array(classDefSchema).min(1).max(255) })).returns<ClassDef[]>(),
    /** How many channels, focal planes and time points every image of the data set has: the planes setPlane accepts. */
    planeSizes: method(datasetId).returns<PlaneSizes>(),
    /**
     * Chooses the plane of every image (channel, z, t of OME-TIFF / ImageJ hyperstacks, or a sample of
     * colour images) that is shown, annotated, trained on and segmented. Every image must have it. With
     * annotated images the change needs force (CONFLICT otherwise): their annotations then go with it.
     */
    setPlane: method(z.object({ id: rowId, plane: imagePlane, force: z.boolean().default(false) })).returns<DatasetDetail>(),
    /**
     * Imports the bundled demo (12 DSB 2018 nuclei images with their masks) as a job, into a data set
     * of its own, then puts them in their splits: 6 train, 2 validation, 4 test (held out). Opening it
     * again fills up the same data set.
     */
    openDemo: method().returns<DatasetImport>(),
    /**
     * Writes every image's latest annotation as label images (classes/ and instances/ subfolders)
     * into `folder` or a new folder under the workspace's exports/. A job; its result says where.
     */
    exportAnnotations: method(
      z.object({ id: rowId, format: z.enum(['tiff', 'png']).default('tiff'), folder: fsPath.optional() }),
    ).returns<JobOf<'export-annotations'>>(),
  },
  events: {
    changed: event<DatasetsChanged>(),
  },
});

import { z } from 'zod';
import { defineService, event, method } from './define';
import { rowId, type AnnotationData, type AnnotationSaveResult, type AnnotationSource, type AnnotationTiles, type AnnotationVersionInfo } from './records';

/** Most tiles one call carries: a 65536² image's grid of 256² tiles. */
export const MAX_TILES_PER_CALL = 65_536;

const labelTile = z.object({
  tx: z.number().int().min(0),
  ty: z.number().int().min(0),
  classMap: z.instanceof(Uint8Array),
  instanceMap: z.instanceof(Uint32Array),
});

export interface AnnotationsSaved {
  imageId: number;
  datasetId: number;
  version: number;
  source: AnnotationSource;
}

/** A run's prediction saved as an image's annotation: the new version and its maps, as stored. */
export interface AcceptedPrediction extends AnnotationSaveResult {
  runId: number;
  width: number;
  height: number;
  classMap: Uint8Array;
  instanceMap: Uint32Array;
}

export const annotationsService = defineService({
  methods: {
    /** The latest version, or the one asked for; version 0 with empty maps when nothing was saved. */
    get: method(z.object({ imageId: rowId, version: z.number().int().min(1).optional() })).returns<AnnotationData>(),
    /**
     * Saves the maps as a new version; returns once committed to disk. baseVersion is the version
     * the edit started from (0 = none): if someone saved since, the answer is CONFLICT.
     */
    save: method(
      z.object({
        imageId: rowId,
        baseVersion: z.number().int().min(0),
        classMap: z.instanceof(Uint8Array),
        instanceMap: z.instanceof(Uint32Array),
        author: z.string().max(200).default(''),
        message: z.string().max(2000).default(''),
      }),
    ).returns<AnnotationSaveResult>(),
    /**
     * The latest version (or the one asked for) as the tiles that hold labels: what an editor loads,
     * at the cost of what was painted rather than of the image.
     */
    tiles: method(z.object({ imageId: rowId, version: z.number().int().min(1).optional() })).returns<AnnotationTiles>(),
    /**
     * Saves an edit as the tiles it changed (`LABEL_TILE_SIZE` grid; a uniform tile may carry one
     * value per map); the other tiles stay as in baseVersion, which must be the latest (else CONFLICT).
     */
    saveTiles: method(
      z.object({
        imageId: rowId,
        baseVersion: z.number().int().min(0),
        tiles: z.array(labelTile).min(1).max(MAX_TILES_PER_CALL),
        author: z.string().max(200).default(''),
        message: z.string().max(2000).default(''),
      }),
    ).returns<AnnotationSaveResult>(),
    /**
     * Makes a run's prediction of the image its annotation, to be corrected: a new version with source
     * 'prediction' that records the run. The prediction is computed first when the run has none of this
     * image. Predicted classes the data set's palette lacks become unlabelled. baseVersion as for `save`.
     */
    acceptPrediction: method(
      z.object({ imageId: rowId, runId: rowId, baseVersion: z.number().int().min(0).optional(), author: z.string().max(200).default('') }),
    ).returns<AcceptedPrediction>(),
    /** All versions of an image's annotation, newest first, without the maps. */
    history: method(z.object({ imageId: rowId })).returns<AnnotationVersionInfo[]>(),
    /** Makes an earlier version the latest again (as a new version). */
    restore: method(
      z.object({ imageId: rowId, version: z.number().int().min(1), baseVersion: z.number().int().min(0).optional(), author: z.string().max(200).default('') }),
    ).returns<AnnotationSaveResult>(),
  },
  events: {
    saved: event<AnnotationsSaved>(),
  },
});

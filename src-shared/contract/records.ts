import type { ImagePlane } from '../imaging/image-plane';
import type { LabelTile } from '../imaging/label-tiles';
import type { StackAxes } from '../imaging/stack-axes';
import { z } from 'zod';
import type { ErrorInfo } from './errors';

/**
 * Domain records of the workspace as they cross the API: data sets, images, annotations, runs and
 * their results. Ids are the store's integer row ids; times are ISO-8601 UTC strings.
 */

/** Store row ids as they appear in method inputs. */
export const rowId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** A file-system path given by a caller. */
export const fsPath = z.string().min(1).max(4096);

const planeIndex = z.number().int().min(0).max(100_000);

/** An image plane as callers give it (see `ImagePlane`): 0-based channel (null: all), focal plane and time point. */
export const imagePlane = z.object({ c: planeIndex.nullable(), z: planeIndex, t: planeIndex });

export const SPLITS = ['train', 'validation', 'test'] as const;
export type Split = (typeof SPLITS)[number];

/** One entry of a data set's palette. 0 (unlabelled) is implicit; 1 is background; 2.. are classes. */
export interface ClassDef {
  value: number;
  name: string;
  /** '#rrggbb' */
  color: string;
}

export const UNLABELED_CLASS = 0;
export const BACKGROUND_CLASS = 1;
export const FIRST_OBJECT_CLASS = 2;

export interface DatasetSummary {
  id: number;
  name: string;
  description: string;
  imageCount: number;
  annotatedCount: number;
  /** Images per split; `none` counts images in no split. */
  splitCounts: Record<Split | 'none', number>;
  /** The plane of every image that is shown, annotated, trained on and segmented. */
  plane: ImagePlane;
  createdAt: string;
  updatedAt: string;
}

export interface DatasetDetail extends DatasetSummary {
  classes: ClassDef[];
}

/** Result of the last check of an image file against what was recorded at import. */
export type ImageFileStatus = 'ok' | 'missing' | 'changed';

export interface ImageRecord {
  id: number;
  datasetId: number;
  /** File name (without folders), used for sorting and matching masks. */
  name: string;
  path: string;
  size: number;
  mtimeMs: number;
  /** sha256 of the file's bytes, hex. */
  contentHash: string;
  width: number;
  height: number;
  frames: number;
  channels: number;
  dtype: string;
  /** Physical pixel size in micrometres, when the file states it. */
  pixelSizeUm: number | null;
  split: Split | null;
  fileStatus: ImageFileStatus;
  verifiedAt: string | null;
  addedAt: string;
  /** Latest annotation version; 0 when nothing was saved yet. */
  annotationVersion: number;
  annotatedAt: string | null;
  /** How the latest version was made; null when nothing was saved yet. */
  annotationSource: AnnotationSource | null;
  /**
   * The run whose prediction the annotation was accepted from (then maybe corrected by hand), or null
   * when it was painted from scratch or imported since.
   */
  predictionRunId: number | null;
}

export interface ImagePage {
  total: number;
  offset: number;
  limit: number;
  items: ImageRecord[];
}

export interface ImagePixels {
  width: number;
  height: number;
  channels: number;
  dtype: string;
  /** Interleaved (HWC) samples of one frame, or of the requested region. */
  data: Uint8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array | Int8Array;
  frame: number;
  frames: number;
  /** How the frames of an OME-TIFF or ImageJ hyperstack map to channel, focal plane and time; null for plain stacks. */
  axes: StackAxes | null;
  /** The region read, in image coordinates (the whole frame when none was asked for). */
  region: { x: number; y: number; width: number; height: number };
}

export interface Thumbnail {
  imageId: number;
  width: number;
  height: number;
  mime: 'image/png';
  /** PNG file bytes. */
  data: Uint8Array;
}

export interface VerifyReport {
  checked: number;
  ok: number;
  /** Files whose bytes differ from the recorded hash. */
  changed: { id: number; path: string }[];
  /** Files no longer at their path (and not found elsewhere). */
  missing: { id: number; path: string }[];
  /** Missing files found with identical content under one of the search folders. */
  moved: { id: number; from: string; to: string; updated: boolean }[];
}

/** How an annotation version was made: painted, imported from a mask, restored, or accepted from a run's prediction. */
export type AnnotationSource = 'paint' | 'import' | 'restore' | 'prediction';

export interface AnnotationData {
  imageId: number;
  /** 0 when the image has no annotation yet (the maps are then all zero). */
  version: number;
  width: number;
  height: number;
  /** 0 = unlabelled, 1 = background, 2.. = classes. */
  classMap: Uint8Array;
  /** 0 = none, 1.. = one id per object. */
  instanceMap: Uint32Array;
  createdAt: string | null;
  author: string | null;
  source: AnnotationSource | null;
  /** The run whose prediction this version is (source 'prediction'), else null. */
  predictionRunId: number | null;
}

/** An annotation version as the tiles that hold labels (`LABEL_TILE_SIZE` grid); all other tiles are 0. */
export interface AnnotationTiles {
  imageId: number;
  /** 0 when the image has no annotation yet (then there are no tiles). */
  version: number;
  width: number;
  height: number;
  tileSize: number;
  tiles: LabelTile[];
  createdAt: string | null;
  author: string | null;
  source: AnnotationSource | null;
}

export interface AnnotationVersionInfo {
  id: number;
  imageId: number;
  version: number;
  width: number;
  height: number;
  labeledPixels: number;
  instanceCount: number;
  /** Pixels per class value. */
  classCounts: Record<string, number>;
  source: AnnotationSource;
  author: string;
  message: string;
  restoredFrom: number | null;
  /** The run whose prediction this version is (source 'prediction'), else null. */
  predictionRunId: number | null;
  createdAt: string;
}

export interface AnnotationSaveResult {
  imageId: number;
  version: number;
  createdAt: string;
  /** True when the maps equalled the latest version and no new version was written. */
  unchanged: boolean;
}

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface CheckpointRecord {
  id: number;
  runId: number;
  step: number;
  path: string;
  metricName: string | null;
  metricValue: number | null;
  createdAt: string;
}

export interface RunSummary {
  id: number;
  datasetId: number;
  datasetName: string;
  name: string;
  status: RunStatus;
  backend: string;
  device: string;
  seed: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Highest step with a curve point, null before the first. */
  lastStep: number | null;
  lastLoss: number | null;
  error: ErrorInfo | null;
}

export interface RunImage {
  imageId: number;
  imageName: string;
  split: Split;
  annotationVersionId: number | null;
  annotationVersion: number | null;
}

/** A model a run can start from: a previous run's, a model folder (an imported one), or a starter model shipped with the app. */
export type RunStartSource = { kind: 'run'; runId: number } | { kind: 'model'; dir: string } | { kind: 'starter'; name: string };

/** What a fine-tuning run records of the model it started from. */
export interface RunStart {
  source: RunStartSource;
  /** "run #3 (name)", "starter nuclei", or the model folder. */
  label: string;
  /** The starting model's training step and validation IoU when it was saved. */
  step: number;
  validationIou: number | null;
}

export interface RunDetail extends RunSummary {
  notes: string;
  config: Record<string, unknown>;
  appVersion: string;
  tfjsVersion: string;
  versions: Record<string, string>;
  resumedFrom: number | null;
  /**
   * Where the run's weights came from, nearest first: the model it started from, then the one that
   * model's run started from, and so on. Empty for random initialisation (the paper).
   */
  lineage: RunStart[];
  images: RunImage[];
  checkpointCount: number;
  lastCheckpoint: CheckpointRecord | null;
}

export interface CurvePoint {
  step: number;
  loss: number | null;
  /** Validation metrics and other per-step values (valLoss, iou, learningRate...). */
  metrics: Record<string, number>;
  elapsedMs: number | null;
  recordedAt: string;
}

export interface InterruptedRun {
  run: RunSummary;
  /** The checkpoint a resume continues from (maybe of a run this one continued); else the run's last recorded one. */
  lastCheckpoint: CheckpointRecord | null;
  /** training.resume finds a checkpoint to continue from. */
  resumable: boolean;
}

export interface PredictionRecord {
  id: number;
  runId: number;
  imageId: number | null;
  imageName: string | null;
  inputPath: string;
  labelsPath: string | null;
  instancesPath: string | null;
  probabilitiesPath: string | null;
  createdAt: string;
}

export interface EvaluationRow {
  imageId: number;
  imageName: string;
  split: Split | null;
  /** Metric name -> value; null when undefined for this image. */
  values: Record<string, number | null>;
  /** The same metrics of the baseline (see EvaluationTable.baseline) on this image, when it was scored. */
  baseline?: Record<string, number | null>;
}

/**
 * A baseline scored on the same images and ground truth as a run: an Otsu threshold of the image
 * smoothed by a Gaussian of sigma 1, its objects the 4-connected components of its foreground.
 */
export interface BaselineSummary {
  method: 'otsu';
  /** How it was computed: sigma, polarity ('bright' | 'dark') and the rule that chose the polarity. */
  settings: Record<string, unknown>;
  /** Mean over the images with a defined value, per metric. */
  mean: Record<string, number | null>;
  count: Record<string, number>;
}

export interface EvaluationTable {
  runId: number;
  metrics: string[];
  rows: EvaluationRow[];
  /** Mean over the images with a defined value. */
  mean: Record<string, number | null>;
  /** Number of images with a defined value, per metric. */
  count: Record<string, number>;
  /** The baseline's scores on the same images, when they were computed (see EvaluationRow.baseline). */
  baseline?: BaselineSummary;
}

export interface RunComparison {
  metrics: string[];
  runs: { runId: number; name: string; status: RunStatus; mean: Record<string, number | null>; count: Record<string, number> }[];
  /** Images evaluated by at least one run; values[runId][metric]. */
  images: { imageId: number; imageName: string; values: Record<string, Record<string, number | null>> }[];
}

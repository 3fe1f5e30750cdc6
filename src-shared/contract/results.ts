import { z } from 'zod';
import { defineService, method } from './define';
import { rowId, SPLITS, type EvaluationTable, type PredictionRecord, type RunComparison } from './records';

const metricNames = z.array(z.string().min(1).max(64)).min(1).max(100).optional();
const runIds = z.array(rowId).min(1).max(50);

export interface CsvExport {
  /** Where the CSV was written (under the workspace's exports/). */
  path: string;
  csv: string;
  rows: number;
}

/** `zip`: ImageJ / Fiji ROI set per image; `geojson`: QuPath GeoJSON per image. */
export const ROI_EXPORT_FORMATS = ['zip', 'geojson'] as const;
export type RoiExportFormat = (typeof ROI_EXPORT_FORMATS)[number];

export interface RoiSetExport {
  /** The folder under the workspace's exports/ that holds one file per segmented image. */
  folder: string;
  format: RoiExportFormat;
  files: { imageName: string; path: string; objects: number }[];
  /** Objects over all files. */
  objects: number;
  /** Predictions whose mask file could not be read, with the reason. */
  skipped: { imageName: string; reason: string }[];
}

export const resultsService = defineService({
  methods: {
    predictions: method(z.object({ runId: rowId })).returns<PredictionRecord[]>(),
    /** Per-image metrics of a run and their means. */
    evaluations: method(z.object({ runId: rowId, split: z.enum(SPLITS).optional(), metrics: metricNames })).returns<EvaluationTable>(),
    /** Several runs side by side: mean per metric and per-image values. */
    compare: method(z.object({ runIds, split: z.enum(SPLITS).optional(), metrics: metricNames })).returns<RunComparison>(),
    /** Per-image metrics of one or more runs as CSV (one row per run and image, then a mean row per run). */
    exportCsv: method(z.object({ runIds, split: z.enum(SPLITS).optional(), metrics: metricNames })).returns<CsvExport>(),
    /**
     * The objects of a run's predictions as ImageJ ROI sets or QuPath GeoJSON, one file per image: the
     * instance labels where they were written, else the connected components of the predicted foreground.
     */
    exportRois: method(z.object({ runId: rowId, format: z.enum(ROI_EXPORT_FORMATS) })).returns<RoiSetExport>(),
  },
  events: {},
});

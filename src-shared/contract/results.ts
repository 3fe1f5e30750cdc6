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

export const resultsService = defineService({
  methods: {
    predictions: method(z.object({ runId: rowId })).returns<PredictionRecord[]>(),
    /** Per-image metrics of a run and their means. */
    evaluations: method(z.object({ runId: rowId, split: z.enum(SPLITS).optional(), metrics: metricNames })).returns<EvaluationTable>(),
    /** Several runs side by side: mean per metric and per-image values. */
    compare: method(z.object({ runIds, split: z.enum(SPLITS).optional(), metrics: metricNames })).returns<RunComparison>(),
    /** Per-image metrics of one or more runs as CSV (one row per run and image, then a mean row per run). */
    exportCsv: method(z.object({ runIds, split: z.enum(SPLITS).optional(), metrics: metricNames })).returns<CsvExport>(),
  },
  events: {},
});

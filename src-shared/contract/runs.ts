import { z } from 'zod';
import { defineService, event, method } from './define';
import { rowId, RUN_STATUSES, type CheckpointRecord, type CurvePoint, type InterruptedRun, type RunDetail, type RunStatus, type RunSummary } from './records';

export interface RunsChanged {
  id: number;
  status: RunStatus;
  reason: 'updated' | 'deleted';
}

export const runsService = defineService({
  methods: {
    /** Runs, newest first. */
    list: method(
      z
        .object({
          datasetId: rowId.optional(),
          status: z.enum(RUN_STATUSES).optional(),
          offset: z.number().int().min(0).default(0),
          limit: z.number().int().min(1).max(1000).default(200),
        })
        .default({ offset: 0, limit: 200 }),
    ).returns<RunSummary[]>(),
    /** A run with its config, membership (images, splits, annotation versions) and last checkpoint. */
    get: method(z.object({ id: rowId })).returns<RunDetail>(),
    /** Loss and validation curves, optionally from a step on and thinned to maxPoints. */
    curves: method(
      z.object({ id: rowId, fromStep: z.number().int().min(0).optional(), maxPoints: z.number().int().min(2).max(100_000).optional() }),
    ).returns<CurvePoint[]>(),
    checkpoints: method(z.object({ id: rowId })).returns<CheckpointRecord[]>(),
    /** Runs stopped by a crash, with the checkpoint they could resume from. */
    interrupted: method().returns<InterruptedRun[]>(),
    update: method(z.object({ id: rowId, name: z.string().trim().min(1).max(200).optional(), notes: z.string().max(10_000).optional() })).returns<RunDetail>(),
    delete: method(z.object({ id: rowId })).returns<{ deleted: number }>(),
  },
  events: {
    changed: event<RunsChanged>(),
  },
});

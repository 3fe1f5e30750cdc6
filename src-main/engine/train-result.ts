import { toErrorInfo, type ErrorInfo } from '../../src-shared/contract/errors';
import type { BackendReport } from './backend';
import type { TrainingState } from './checkpoint';
import { isOutOfMemoryMessage } from '../../src-shared/contract/out-of-memory';
import type { TrainConfig } from './train-config';
import type { TrainResult, TrainStatus } from './trainer';

/** What a result says about a run, however far it got (a run that failed while starting knows little). */
export interface RunSoFar {
  backend?: BackendReport;
  config?: TrainConfig;
  state?: TrainingState;
  latestDir: string | null;
  bestDir: string | null;
  elapsedSeconds: number;
}

export function trainResult(status: TrainStatus, run: RunSoFar, stopReason?: TrainResult['stopReason'], error?: ErrorInfo): TrainResult {
  const { state } = run;
  return {
    status,
    ...(error ? { error } : {}),
    ...(stopReason && status === 'succeeded' ? { stopReason } : {}),
    // Without validation data the latest weights are the best we know.
    bestCheckpoint: run.bestDir ?? (status === 'succeeded' ? run.latestDir : null),
    latestCheckpoint: run.latestDir,
    steps: state?.step ?? 0,
    metrics: { curve: state?.curve ?? [], validation: state?.validation ?? [], best: state?.best ?? null },
    ...(run.backend ? { backend: run.backend } : {}),
    ...(run.config ? { config: run.config } : {}),
    elapsedSeconds: run.elapsedSeconds,
  };
}

/** A failure as the result reports it: an untyped error whose message says memory ran out is OUT_OF_MEMORY. */
export function failureInfo(error: unknown): ErrorInfo {
  const info = toErrorInfo(error);
  const message = info.message ?? '';
  if (info.code === 'INTERNAL' && isOutOfMemoryMessage(message)) {
    info.code = 'OUT_OF_MEMORY';
  }
  return info;
}

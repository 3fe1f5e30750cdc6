import type { GpuDoctorReport } from '../../../src-shared/contract/system';
import type { TrainRequest, TrainResult } from '../../../src-main/engine/trainer';
import { ComputeReporter } from '../../../src-main/pipeline/compute-report';
import type { StartEngineTraining } from '../../../src-main/pipeline/engine-training';

/** A doctor's report that needs no GPU probe. */
export class FixedCompute extends ComputeReporter {
  override report(): Promise<GpuDoctorReport> {
    return Promise.resolve({
      training: { active: 'cpu', device: 'CPU', attempts: [{ backend: 'cpu', available: true }] },
      inference: { provider: 'cpu' },
      findings: [],
      gpus: [],
    });
  }
}

/** An engine that records what it was asked and ends at once with the status the test chooses. */
export function fakeEngine(): { start: StartEngineTraining; requests: TrainRequest[]; endWith: { status: 'interrupted' | 'cancelled' } } {
  const requests: TrainRequest[] = [];
  const endWith = { status: 'interrupted' as 'interrupted' | 'cancelled' };
  const start: StartEngineTraining = (request) => {
    requests.push(request);
    const result: TrainResult = {
      status: endWith.status,
      ...(endWith.status === 'interrupted' ? { error: { code: 'INTERNAL' as const, message: 'the engine process was killed by SIGKILL' } } : {}),
      bestCheckpoint: null,
      latestCheckpoint: null,
      steps: 0,
      metrics: { curve: [], validation: [], best: null },
      elapsedSeconds: 0,
    };
    return { done: Promise.resolve(result), cancel: () => undefined };
  };
  return { start, requests, endWith };
}

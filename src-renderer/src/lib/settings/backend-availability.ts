import type { TrainingBackend } from '../../../../src-shared/contract/system';
import type { BackendChoice } from '../../../../src-shared/contract/training';
import type { GpuDoctorReport } from './gpu-report';

const BACKEND_OF: Record<Exclude<BackendChoice, 'auto'>, TrainingBackend> = { gpu: 'tensorflow-gpu', node: 'tensorflow', wasm: 'wasm', cpu: 'cpu' };

/** Whether a backend choice can load here, from the GPU doctor's attempts (undefined: not known). */
export function backendAvailability(choice: BackendChoice, report: GpuDoctorReport | undefined): { available?: boolean; reason?: string } {
  if (!report) return {};
  if (choice === 'auto') return { available: true, reason: `Would use ${report.training.active} on ${report.training.device}.` };
  const attempt = report.training.attempts.find((a) => a.backend === BACKEND_OF[choice]);
  if (!attempt) return {};
  return { available: attempt.available, reason: attempt.available ? undefined : attempt.reason };
}

export interface PlannedBackend {
  backend: TrainingBackend | undefined;
  /** The user forced this backend in Settings. */
  forced: boolean;
  /** Why a forced backend will not load here, when the doctor says so. */
  problem?: string;
}

/** The training backend a run will ask for: the detected one under 'auto', else the one forced in Settings. */
export function plannedBackend(choice: BackendChoice, detected: TrainingBackend | undefined, report: GpuDoctorReport | undefined): PlannedBackend {
  if (choice === 'auto') return { backend: detected, forced: false };
  const availability = backendAvailability(choice, report);
  return { backend: BACKEND_OF[choice], forced: true, problem: availability.available === false ? availability.reason : undefined };
}

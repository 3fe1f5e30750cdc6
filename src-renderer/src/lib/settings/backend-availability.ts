import type { TrainingBackend } from '../../../../src-shared/contract/system';
import { backendCandidates, type BackendChoice } from '../../../../src-shared/contract/training';
import type { GpuDoctorReport } from './gpu-report';

/** The backend a forced choice will start here: its first candidate the doctor does not rule out. */
function backendOf(choice: Exclude<BackendChoice, 'auto'>, report: GpuDoctorReport | undefined): TrainingBackend {
  const candidates = backendCandidates(choice);
  return candidates.find((b) => report?.training.attempts.find((a) => a.backend === b)?.available !== false) ?? candidates[candidates.length - 1];
}

/** Whether a backend choice can load here, from the GPU doctor's attempts (undefined: not known). */
export function backendAvailability(choice: BackendChoice, report: GpuDoctorReport | undefined): { available?: boolean; reason?: string } {
  if (!report) return {};
  if (choice === 'auto') return { available: true, reason: `Would use ${report.training.active} on ${report.training.device}.` };
  const attempt = report.training.attempts.find((a) => a.backend === backendOf(choice, report));
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
  return { backend: backendOf(choice, report), forced: true, problem: availability.available === false ? availability.reason : undefined };
}

import os from 'node:os';
import { UnetError } from '../../src-shared/contract/errors';
import type { TrainingBackend } from '../../src-shared/contract/system';
import { backendCandidates, type BackendChoice } from '../../src-shared/contract/training';
import type { ComputeReporter } from './compute-report';

/**
 * The backend a run will most likely use, for its record; a forced backend that the doctor already
 * knows to be unavailable is refused now rather than after the data is loaded into the engine.
 */
export async function expectedBackend(compute: ComputeReporter, choice: BackendChoice): Promise<{ backend: TrainingBackend; device: string }> {
  const report = await compute.report();
  if (choice === 'auto') return { backend: report.training.active, device: report.training.device };
  const candidates = backendCandidates(choice);
  const usable = candidates.filter((b) => report.training.attempts.find((a) => a.backend === b)?.available !== false);
  const wanted = usable[0];
  if (!wanted) {
    const reasons = candidates.map((b) => `${b}: ${report.training.attempts.find((a) => a.backend === b)?.reason ?? 'unknown reason'}`).join('; ');
    throw new UnetError('BACKEND_UNAVAILABLE', `the ${choice} backend is not available: ${reasons}`, { backend: candidates[0] });
  }
  const cpus = os.cpus();
  const onGpu = wanted === 'tensorflow-gpu' || wanted === 'onnxruntime-cuda';
  const device = onGpu ? (report.gpus[0]?.name ?? 'NVIDIA GPU') : `CPU: ${cpus.length} cores (${cpus[0]?.model?.trim() || 'unknown model'})`;
  return { backend: wanted, device };
}

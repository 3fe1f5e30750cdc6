import type { ComputeInfo, GpuDoctorReport, TrainingBackend } from '../../src-shared/contract/system';
import { gpuDoctor, type GpuReport } from '../engine/gpu-doctor';

/** The contract's report type and the doctor's must stay the same shape. */
const sameShape = (r: GpuReport): GpuDoctorReport => r;

/**
 * What compute runs on, from the GPU doctor: asked once and cached (it runs nvidia-smi), refreshed on
 * demand, and corrected once the engine has really initialised a training backend.
 */
export class ComputeReporter {
  private pending: Promise<GpuDoctorReport> | null = null;
  private active: { backend: TrainingBackend; device: string } | undefined;

  report(refresh = false): Promise<GpuDoctorReport> {
    if (!this.pending || refresh) {
      this.pending = gpuDoctor({ activeTraining: this.active }).then(sameShape);
    }
    return this.pending;
  }

  /** The engine reported the backend it initialised: later reports say so instead of guessing. */
  noteActiveTraining(backend: TrainingBackend, device: string): void {
    if (this.active?.backend === backend && this.active.device === device) return;
    this.active = { backend, device };
    this.pending = null;
  }

  async computeInfo(): Promise<ComputeInfo> {
    return computeInfoFrom(await this.report());
  }
}

export function computeInfoFrom(report: GpuDoctorReport): ComputeInfo {
  const inference =
    report.inference.provider === 'cuda' ? 'ONNX Runtime (CUDA)' : report.findings.some((f) => f.title === 'ONNX Runtime missing') ? 'TensorFlow.js' : 'ONNX Runtime (CPU)';
  const notes = report.training.attempts.filter((a) => !a.available && a.reason).map((a) => `${a.backend}: ${a.reason}`);
  if (report.inference.reason) notes.push(`GPU inference: ${report.inference.reason}`);
  return { training: report.training.active, device: report.training.device, inference, notes };
}

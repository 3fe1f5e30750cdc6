import type { UnetApi } from '../../../../src-shared/contract/index';
import type { GpuDoctorReport, GpuFinding, TrainingBackend } from '../../../../src-shared/contract/system';

export type { GpuDoctorReport, GpuFinding };

/** The GPU doctor's report (`system.gpu()`): which backends load here and why better ones do not. */
export function fetchGpuReport(api: UnetApi = window.unet): Promise<GpuDoctorReport> {
  return api.system.gpu();
}

const RANK = { error: 0, warn: 1, ok: 2 } as const;

/** Findings worth showing next to the Train button: problems only, the worst first. */
export function adviceFindings(report: GpuDoctorReport | undefined): GpuFinding[] {
  if (!report) return [];
  return report.findings.filter((f) => f.level !== 'ok').sort((a, b) => RANK[a.level] - RANK[b.level]);
}

/** All findings, the worst first (the Settings view lists them). */
export function sortedFindings(report: GpuDoctorReport): GpuFinding[] {
  return [...report.findings].sort((a, b) => RANK[a.level] - RANK[b.level]);
}

export { describeTrainingBackend } from '../../../../src-shared/contract/system';

import { describe, expect, it } from 'vitest';
import type { GpuDoctorReport } from '../../../src-shared/contract/system';
import { backendAvailability } from '../../../src-renderer/src/lib/settings/backend-availability';
import { adviceFindings, sortedFindings } from '../../../src-renderer/src/lib/settings/gpu-report';

const report: GpuDoctorReport = {
  training: {
    active: 'wasm',
    device: 'CPU: 2 cores',
    attempts: [
      { backend: 'tensorflow-gpu', available: false, reason: '@tensorflow/tfjs-node-gpu is not installed' },
      { backend: 'tensorflow', available: false, reason: '@tensorflow/tfjs-node is not installed' },
      { backend: 'wasm', available: true },
      { backend: 'cpu', available: true },
    ],
  },
  inference: { provider: 'cpu', reason: 'no usable NVIDIA GPU driver' },
  findings: [
    { level: 'ok', title: 'Training backend', detail: 'wasm' },
    { level: 'warn', title: 'No NVIDIA GPU driver', detail: 'none', fix: 'install it' },
    { level: 'error', title: 'libcuda missing', detail: 'x' },
  ],
  gpus: [],
};

describe('GPU doctor findings', () => {
  it('shows problems, the worst first, as advice', () => {
    expect(adviceFindings(report).map((f) => f.level)).toEqual(['error', 'warn']);
    expect(adviceFindings(undefined)).toEqual([]);
    expect(sortedFindings(report).map((f) => f.level)).toEqual(['error', 'warn', 'ok']);
  });
});

describe('backendAvailability', () => {
  it('maps choices to the doctor attempts', () => {
    expect(backendAvailability('gpu', report)).toEqual({ available: false, reason: '@tensorflow/tfjs-node-gpu is not installed' });
    expect(backendAvailability('wasm', report)).toEqual({ available: true, reason: undefined });
    expect(backendAvailability('auto', report)).toMatchObject({ available: true });
    expect(backendAvailability('node', undefined)).toEqual({});
  });
});

describe('plannedBackend', () => {
  it('follows detection under auto and the forced choice otherwise', async () => {
    const { plannedBackend } = await import('../../../src-renderer/src/lib/settings/backend-availability');
    expect(plannedBackend('auto', 'wasm', report)).toEqual({ backend: 'wasm', forced: false });
    expect(plannedBackend('cpu', 'wasm', report)).toEqual({ backend: 'cpu', forced: true, problem: undefined });
    expect(plannedBackend('gpu', 'wasm', report)).toEqual({ backend: 'tensorflow-gpu', forced: true, problem: '@tensorflow/tfjs-node-gpu is not installed' });
    expect(plannedBackend('node', 'wasm', undefined)).toEqual({ backend: 'tensorflow', forced: true, problem: undefined });
  });
});

import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { gpuDoctor } from '../../../src-main/engine/gpu-doctor';
import { backendCandidates } from '../../../src-shared/contract/training';

const hasNvidiaDriver = existsSync('/proc/driver/nvidia/version');

describe('GPU doctor', () => {
  const savedPath = process.env.PATH;
  afterEach(() => {
    process.env.PATH = savedPath;
  });

  it('answers fast with a complete report', async () => {
    const start = performance.now();
    const report = await gpuDoctor();
    expect(performance.now() - start).toBeLessThan(1000);
    // The order 'auto' tries them in, then the providers it never picks by itself.
    expect(report.training.attempts.map((a) => a.backend)).toEqual([...backendCandidates('auto'), 'onnxruntime-webgpu', 'onnxruntime-coreml']);
    expect(backendCandidates('auto')).toContain(report.training.active);
    // Every backend better than the active one says why it is not used.
    const activeIndex = report.training.attempts.findIndex((a) => a.backend === report.training.active);
    for (const attempt of report.training.attempts.slice(0, activeIndex)) {
      expect(attempt.available).toBe(false);
      expect(attempt.reason).toBeTruthy();
    }
    for (const f of report.findings) {
      expect(['ok', 'warn', 'error']).toContain(f.level);
      expect(f.title.length).toBeGreaterThan(0);
      expect(f.detail.length).toBeGreaterThan(0);
      if (f.level !== 'ok') expect(f.fix, f.title).toBeTruthy();
    }
  });

  it.skipIf(hasNvidiaDriver)('reports no GPU on a machine without an NVIDIA driver, with the reason', async () => {
    const report = await gpuDoctor();
    expect(report.gpus).toEqual([]);
    expect(report.inference.provider).toBe('cpu');
    expect(report.inference.reason).toMatch(/driver/i);
    expect(report.training.active).toBe('onnxruntime-cpu');
    expect(report.training.attempts.find((a) => a.backend === 'onnxruntime-cuda')?.reason).toMatch(/driver/i);
    const driver = report.findings.find((f) => /driver/i.test(f.title));
    expect(driver?.level).toBe('warn');
    expect(driver?.detail).toMatch(/nvidia/i);
  });

  it('says so when the native training packages are absent', async () => {
    const report = await gpuDoctor();
    const gpu = report.training.attempts.find((a) => a.backend === 'tensorflow-gpu') as (typeof report.training.attempts)[number];
    if (!gpu.available && /not installed/.test(gpu.reason ?? '')) {
      // The install advice names the tfjs release the app is built on.
      expect(report.findings.some((f) => f.title.includes('GPU training package') && f.fix?.includes(`@tensorflow/tfjs-node-gpu@${tf.version_core}`))).toBe(true);
    }
  });

  it('never throws, even when no system tool can be run', async () => {
    process.env.PATH = '/nonexistent';
    const report = await gpuDoctor({ activeTraining: { backend: 'cpu', device: 'test CPU' } });
    expect(report.training.active).toBe('cpu');
    expect(report.training.device).toBe('test CPU');
    expect(report.inference.provider === 'cpu' || report.inference.provider === 'cuda').toBe(true);
  });
});

describe('GPU doctor with the engine report', () => {
  it('keeps the text of a real backend failure', async () => {
    const report = await gpuDoctor({
      activeTraining: {
        backend: 'wasm',
        device: 'WebAssembly',
        attempts: [
          { backend: 'tensorflow', ok: false, reason: 'libtensorflow.so.2: cannot open shared object file' },
          { backend: 'wasm', ok: true },
        ],
      },
    });
    const native = report.training.attempts.find((a) => a.backend === 'tensorflow');
    expect(native?.available).toBe(false);
    expect(native?.reason).toContain('libtensorflow.so.2');
    expect(report.training.active).toBe('wasm');
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTraining } from '../../../src-main/engine/engine-client';
import type { TrainProgress, TrainRequest } from '../../../src-main/engine/trainer';
import { blobSample } from './trainer-data';

const TRAIN = [blobSample(1, 96), blobSample(2, 96)];
const VALIDATION = [blobSample(100, 96)];

describe('engine process', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'unet-engine-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const request = (name: string, steps: number): TrainRequest => ({
    config: { preset: 'tiny', backend: 'wasm', steps, validateEvery: 3, seed: 2 },
    train: TRAIN,
    validation: VALIDATION,
    outDir: path.join(root, name),
  });

  it('trains in a child process and reports start, progress, checkpoints and the result', async () => {
    const progress: TrainProgress[] = [];
    const checkpoints: string[] = [];
    let backend = '';
    const handle = startTraining(request('ok', 6), {
      onStart: (info) => (backend = info.backend.active),
      onProgress: (p) => progress.push(p),
      onCheckpoint: (c) => checkpoints.push(`${c.kind}@${c.step}`),
    });
    const result = await handle.done;
    expect(result.status).toBe('succeeded');
    expect(backend).toBe('wasm');
    expect(progress.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(progress[2].validation?.iou).toBeTypeOf('number');
    expect(checkpoints).toContain('latest@6');
    expect(result.latestCheckpoint).toBe(path.join(root, 'ok', 'latest'));
    expect(result.metrics.curve.map((c) => c.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(handle.pid).toBeTypeOf('number');
  }, 60_000);

  it('cancels: the engine stops after the current step and saves latest', async () => {
    let handle: ReturnType<typeof startTraining> | null = null;
    handle = startTraining(request('cancel', 10_000), {
      onProgress: (p) => {
        if (p.step === 2) handle?.cancel();
      },
    });
    const result = await handle.done;
    expect(result.status).toBe('cancelled');
    expect(result.steps).toBeGreaterThanOrEqual(2);
    expect(result.steps).toBeLessThan(10_000);
    expect(result.latestCheckpoint).toBe(path.join(root, 'cancel', 'latest'));
  }, 60_000);

  it('reports a SIGKILLed engine as interrupted, and the parent goes on training', async () => {
    let killedAt = 0;
    const handle = startTraining(request('killed', 10_000), {
      onCheckpoint: (c) => {
        // Killed from outside, as the out-of-memory killer would, once a checkpoint exists.
        if (killedAt === 0 && c.kind === 'latest' && handle.pid) {
          killedAt = c.step;
          process.kill(handle.pid, 'SIGKILL');
        }
      },
    });
    const result = await handle.done;
    expect(result.status).toBe('interrupted');
    expect(result.error?.message).toMatch(/SIGKILL/);
    expect(result.error?.details).toMatchObject({ signal: 'SIGKILL' });
    expect(result.steps).toBeGreaterThanOrEqual(killedAt);
    expect(result.latestCheckpoint).toBe(path.join(root, 'killed', 'latest'));

    const again = await startTraining(request('after-kill', 2)).done;
    expect(again.status).toBe('succeeded');
  }, 90_000);

  it('reports an engine whose JavaScript heap ran out as OUT_OF_MEMORY, from what V8 printed', async () => {
    // A heap far too small for the engine's modules and data: V8 aborts, as it would on a huge network.
    const result = await startTraining(request('small-heap', 2), {}, { env: { NODE_OPTIONS: '--max-old-space-size=16' } }).done;
    expect(result.status).toBe('interrupted');
    expect(result.error?.code).toBe('OUT_OF_MEMORY');
    expect(result.error?.message).toMatch(/^the engine process (was killed by SIGABRT|exited with code \d+) \(its JavaScript heap ran out of memory\): .*heap out of memory/s);
  }, 60_000);
});

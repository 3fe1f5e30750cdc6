import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../src-main/engine/backend';
import { loadModelFolder, readMetadata, saveModelFolder, writeFolderAtomically, METADATA_FORMAT, type UNetMetadata } from '../../../src-main/engine/model-files';
import { buildUNet } from '../../../src-main/engine/unet-model';
import type { UNetArchitecture } from '../../../src-main/engine/unet-architecture';
import { readModelMetadataLight } from '../../../src-main/engine/onnx/export-unet';

const ARCH: UNetArchitecture = { depth: 2, baseChannels: 4, inChannels: 1, numClasses: 3, dropout: 0.5 };

function metadata(step: number): UNetMetadata {
  return {
    format: METADATA_FORMAT,
    formatVersion: 1,
    architecture: ARCH,
    tile: { input: 92, output: 52, halo: 20 },
    classNames: ['unlabeled', 'background', 'cell'],
    normalization: { kind: 'percentile', lowPct: 1, highPct: 99.8, low: 3, high: 250 },
    training: { step, dataHash: 'd', configHash: 'c', backend: 'cpu' },
    versions: { 'tfjs-core': tf.version_core },
    createdAt: '2025-01-01T00:00:00.000Z',
  };
}

describe('model folders', () => {
  let dir: string;
  beforeAll(async () => {
    await initBackend('cpu');
    dir = await mkdtemp(path.join(os.tmpdir(), 'unet-model-files-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips weights, topology and metadata in the tfjs layers format', async () => {
    const model = buildUNet(ARCH, { seed: 3, inputSize: 92 });
    const target = path.join(dir, 'model');
    await saveModelFolder(target, model, metadata(12));
    expect((await readdir(target)).sort()).toEqual(['model.json', 'unet.json', 'weights.bin']);
    const json = JSON.parse(await readFile(path.join(target, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    expect(json.weightsManifest[0].weights.map((w: { name: string }) => w.name)).toContain('dec1_up/kernel');

    const loaded = await loadModelFolder(target);
    expect(loaded.metadata).toEqual(metadata(12));
    const before = model.getWeights().map((w) => Array.from(w.dataSync()));
    const after = loaded.model.getWeights().map((w) => Array.from(w.dataSync()));
    expect(after).toEqual(before);
    const x = tf.randomNormal([1, 92, 92, 1], 0, 1, 'float32', 5);
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(model.predict(x) as tf.Tensor, loaded.model.predict(x) as tf.Tensor))).dataSync()[0]);
    expect(diff).toBe(0);
    tf.dispose(x);
    model.dispose();
    loaded.model.dispose();
  });

  it('replaces an existing folder atomically and leaves no temporary folders', async () => {
    const model = buildUNet(ARCH, { seed: 4, inputSize: 92 });
    const target = path.join(dir, 'replace');
    await saveModelFolder(target, model, metadata(1));
    await writeFile(path.join(target, 'stale.txt'), 'from the old checkpoint');
    await saveModelFolder(target, model, metadata(2));
    expect(await readdir(target)).not.toContain('stale.txt');
    expect((await loadModelFolder(target)).metadata.training.step).toBe(2);
    expect((await readdir(dir)).filter((n) => n.startsWith('.'))).toEqual([]);
    model.dispose();
  });

  it('reports a truncated weights file as CORRUPT and a missing folder as NOT_FOUND', async () => {
    const model = buildUNet(ARCH, { seed: 5, inputSize: 92 });
    const target = path.join(dir, 'broken');
    await saveModelFolder(target, model, metadata(1));
    const bytes = await readFile(path.join(target, 'weights.bin'));
    await writeFile(path.join(target, 'weights.bin'), bytes.subarray(0, bytes.length - 8));
    await expect(loadModelFolder(target)).rejects.toMatchObject({ code: 'CORRUPT' });
    await expect(loadModelFolder(path.join(dir, 'nothing-here'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    model.dispose();
  });

  it('reads a border class only as the last class after a foreground class, else reports the description CORRUPT', async () => {
    const folder = path.join(dir, 'border-meta');
    mkdirSync(folder, { recursive: true });
    const write = (m: object) => writeFile(path.join(folder, 'unet.json'), JSON.stringify(m));
    const four = { ...metadata(1), architecture: { ...ARCH, numClasses: 4 }, classNames: ['unlabeled', 'background', 'cell', 'border'] };
    await write({ ...four, borderClass: 3 });
    expect((await readMetadata(folder)).borderClass).toBe(3);
    for (const bad of [2, 4, 1.5, 'border']) {
      await write({ ...four, borderClass: bad });
      await expect(readMetadata(folder)).rejects.toMatchObject({ code: 'CORRUPT', message: expect.stringMatching(/borderClass/) });
    }
    await write({ ...metadata(1), borderClass: 2 });
    await expect(readMetadata(folder)).rejects.toMatchObject({ code: 'CORRUPT' });
  });

  it('reads the factor a model enlarges images by, and reports another value CORRUPT', async () => {
    const folder = path.join(dir, 'upscale-meta');
    mkdirSync(folder, { recursive: true });
    const write = (m: object) => writeFile(path.join(folder, 'unet.json'), JSON.stringify(m));
    await write({ ...metadata(1), upscale: 2 });
    expect((await readMetadata(folder)).upscale).toBe(2);
    expect((await readModelMetadataLight(folder)).upscale).toBe(2);
    for (const bad of [0, 1.5, 9, '2']) {
      await write({ ...metadata(1), upscale: bad });
      await expect(readMetadata(folder)).rejects.toMatchObject({ code: 'CORRUPT', message: expect.stringMatching(/upscale/) });
      await expect(readModelMetadataLight(folder)).rejects.toMatchObject({ code: 'CORRUPT', message: expect.stringMatching(/upscale/) });
    }
  });
});

describe('abandoned temporary folders', () => {
  it('removes a dead writer\'s .NAME.tmp-PID-* folder and keeps a live one\'s', async () => {
    const parent = mkdtempSync(path.join(os.tmpdir(), 'atomic-'));
    const dead = path.join(parent, '.latest.tmp-2147483646-1');
    const live = path.join(parent, `.latest.tmp-${process.pid}-1`);
    const other = path.join(parent, '.best.tmp-2147483646-1');
    for (const dir of [dead, live, other]) {
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'weights.bin'), 'x');
    }
    await writeFolderAtomically(path.join(parent, 'latest'), [['a.txt', 'hello']]);
    expect(existsSync(path.join(parent, 'latest', 'a.txt'))).toBe(true);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(other)).toBe(true);
  });
});

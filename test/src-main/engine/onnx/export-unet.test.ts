import '@tensorflow/tfjs-backend-cpu';
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../../../src-shared/imaging/rng';
import { haloFor, legalInputSizes, outputSizeFor } from '../../../../src-shared/imaging/tile-geometry';
import { openUnetRunner } from '../../../../src-main/engine/inference/open-runner';
import { createOrtRunner } from '../../../../src-main/engine/inference/ort-runner';
import { createTfjsRunner } from '../../../../src-main/engine/inference/tfjs-runner';
import { modelProtoType } from '../../../../src-main/engine/onnx/onnx-proto';
import { exportUnetToOnnx } from '../../../../src-main/engine/onnx/export-unet';
import { loadModelFolder, saveModelFolder, type UNetMetadata } from '../../../../src-main/engine/model-files';
import type { UNetArchitecture } from '../../../../src-main/engine/unet-architecture';
import { buildUNet } from '../../../../src-main/engine/unet-model';
import { unetLayers } from '../../../../src-main/engine/unet-architecture';
import { blobImage, maxAbsDiff } from '../inference/tiny-unet';

const arch: UNetArchitecture = { depth: 2, baseChannels: 4, inChannels: 1, numClasses: 3, dropout: 0.5 };
const tile = legalInputSizes(2, 84, 100)[0];

function metadata(): UNetMetadata {
  return {
    format: 'unet-studio-model',
    formatVersion: 1,
    architecture: arch,
    tile: { input: tile, output: outputSizeFor(tile, arch.depth), halo: haloFor(arch.depth) },
    classNames: ['unlabeled', 'background', 'cell'],
    normalization: { kind: 'percentile', lowPct: 1, highPct: 99.8, low: 10, high: 200 },
    training: { step: 3, dataHash: 'd', configHash: 'c', backend: 'cpu' },
    versions: {},
    createdAt: new Date(0).toISOString(),
  };
}

describe('exportUnetToOnnx', () => {
  let dir: string;
  let modelDir: string;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    dir = await mkdtemp(path.join(os.tmpdir(), 'unet-export-'));
    modelDir = path.join(dir, 'model');
    const model = buildUNet(arch, { seed: 5, inputSize: tile });
    // Non-zero biases, so a bias that is dropped or misplaced shows.
    const rng = createRng(6);
    for (const info of unetLayers(arch)) {
      const layer = model.getLayer(info.name);
      const [kernel, bias] = layer.getWeights();
      const b = tf.tensor1d(Float32Array.from({ length: bias.size }, () => rng.uniform(-0.2, 0.2)));
      layer.setWeights([kernel, b]);
      b.dispose();
    }
    await saveModelFolder(modelDir, model, metadata());
    model.dispose();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes an ONNX file whose probabilities match the saved tfjs model', async () => {
    const file = path.join(dir, 'unet.onnx');
    const { bytes } = await exportUnetToOnnx(modelDir, file);
    expect(bytes).toBeGreaterThan(0);
    const ort = await createOrtRunner(file, arch, { provider: 'cpu' });
    const { model } = await loadModelFolder(modelDir);
    const ref = createTfjsRunner(model, arch, { ownsModel: true });
    try {
      for (const size of [tile, legalInputSizes(2, 120, 140)[0]]) {
        const input = blobImage(size, size, 1, size);
        expect(maxAbsDiff(await ort.runTile(input, size), await ref.runTile(input, size))).toBeLessThan(1e-4);
      }
    } finally {
      await ort.dispose();
      await ref.dispose();
    }
    // The metadata a consumer needs travels inside the file.
    const decoded = modelProtoType().toObject(modelProtoType().decode(await readFile(file))) as { metadataProps: Array<{ key: string; value: string }> };
    const props = Object.fromEntries(decoded.metadataProps.map((p) => [p.key, p.value]));
    expect(JSON.parse(props.architecture)).toEqual(arch);
    expect(JSON.parse(props.normalization).high).toBe(200);
    expect(props.halo).toBe(String(haloFor(2)));
  });

  it('opens a model folder for inference on ONNX Runtime without tfjs', async () => {
    const opened = await openUnetRunner(modelDir, { engine: 'onnx', provider: 'cpu' });
    try {
      expect(opened.engine).toBe('onnx');
      expect(opened.provider).toBe('cpu');
      expect(opened.metadata.classNames).toEqual(['unlabeled', 'background', 'cell']);
      expect(opened.runner.numClasses).toBe(3);
    } finally {
      await opened.runner.dispose();
    }
  });

  it('reports missing and damaged model folders with typed errors', async () => {
    await expect(exportUnetToOnnx(path.join(dir, 'nope'), path.join(dir, 'x.onnx'))).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const broken = path.join(dir, 'broken');
    await saveModelFolder(broken, buildUNet(arch, { seed: 1, inputSize: tile }), metadata());
    await truncate(path.join(broken, 'weights.bin'), 100);
    await expect(exportUnetToOnnx(broken, path.join(dir, 'y.onnx'))).rejects.toMatchObject({ code: 'CORRUPT' });

    await writeFile(path.join(broken, 'unet.json'), '{"format": "something else"}');
    await expect(exportUnetToOnnx(broken, path.join(dir, 'z.onnx'))).rejects.toMatchObject({ code: 'CORRUPT' });
    await writeFile(path.join(broken, 'unet.json'), 'not json');
    await expect(exportUnetToOnnx(broken, path.join(dir, 'z.onnx'))).rejects.toMatchObject({ code: 'CORRUPT' });
  });
});

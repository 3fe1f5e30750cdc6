import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { modelDataClasses, type UNetMetadata } from '../../../src-main/engine/model-files';
import { optionsFromStartingModel, parseStartingModel, resolveStartingModel, starterModelNames, type StartingModel } from '../../../src-main/pipeline/starting-model';
import type { Workspace } from '../../../src-main/store/workspace';

const METADATA: UNetMetadata = {
  format: 'unet-studio-model',
  formatVersion: 1,
  architecture: { depth: 4, baseChannels: 16, inChannels: 1, numClasses: 3, dropout: 0.5 },
  tile: { input: 316, output: 132, halo: 92 },
  classNames: ['unlabeled', 'background', 'nucleus'],
  normalization: null,
  training: { step: 2500, dataHash: 'd', configHash: 'c', backend: 'onnxruntime-cpu', validation: { step: 2500, loss: 0.1, iou: 0.87 } },
  versions: {},
  createdAt: '2026-01-01T00:00:00.000Z',
} as UNetMetadata;

const model: StartingModel = { source: { kind: 'starter', name: 'nuclei' }, label: 'starter nuclei', modelDir: '/x', metadata: METADATA };

describe('starting models', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'unet-starters-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads starter names, run ids and folders', () => {
    expect(parseStartingModel('starter:nuclei')).toEqual({ kind: 'starter', name: 'nuclei' });
    expect(parseStartingModel('run:3')).toEqual({ kind: 'run', runId: 3 });
    expect(parseStartingModel(' 12 ')).toEqual({ kind: 'run', runId: 12 });
    expect(parseStartingModel('#4')).toEqual({ kind: 'run', runId: 4 });
    expect(parseStartingModel('/models/a')).toEqual({ kind: 'model', dir: '/models/a' });
    expect(() => parseStartingModel('  ')).toThrow(/empty/);
  });

  it('lists the starters that hold a model, and names them when one is missing', async () => {
    mkdirSync(path.join(dir, 'nuclei'));
    writeFileSync(path.join(dir, 'nuclei', 'unet.json'), JSON.stringify(METADATA));
    mkdirSync(path.join(dir, 'empty'));
    expect(starterModelNames(dir)).toEqual(['nuclei']);
    const ws = {} as Workspace;
    await expect(resolveStartingModel(ws, { kind: 'starter', name: 'cells' }, dir)).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/the starter models are: nuclei/) });
    const found = await resolveStartingModel(ws, { kind: 'starter', name: 'nuclei' }, dir);
    expect(found).toMatchObject({ label: 'starter nuclei', modelDir: path.join(dir, 'nuclei') });
    expect(found.metadata.architecture.baseChannels).toBe(16);
  });

  it('refuses a run that is missing or still training', async () => {
    const runs = { find: (id: number) => (id === 1 ? { id: 1, name: 'r', status: 'running' } : null) };
    const ws = { runs, modelsDir: dir } as unknown as Workspace;
    await expect(resolveStartingModel(ws, { kind: 'run', runId: 9 }, dir)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(resolveStartingModel(ws, { kind: 'run', runId: 1 }, dir)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/still running/) });
  });

  it('takes the architecture, tile and normalisation from the model; refuses what conflicts', () => {
    expect(optionsFromStartingModel({ preset: 'fast' }, model, 3)).toMatchObject({ depth: 4, baseChannels: 16, tile: 316, normalization: 'per-image', learningRate: 3e-4, batchNorm: false });
    expect(optionsFromStartingModel({ preset: 'fast', batchNorm: true }, model, 3)).toMatchObject({ batchNorm: true });
    // Images are enlarged as the model learned them, unless the run says otherwise.
    expect('upscale' in optionsFromStartingModel({ preset: 'fast' }, model, 3)).toBe(false);
    const enlarging = { ...model, metadata: { ...model.metadata, upscale: 2 } };
    expect(optionsFromStartingModel({ preset: 'fast' }, enlarging, 3)).toMatchObject({ upscale: 2 });
    expect(optionsFromStartingModel({ preset: 'fast', upscale: 1 }, enlarging, 3)).toMatchObject({ upscale: 1 });
    expect(optionsFromStartingModel({ preset: 'fast', tile: 188, normalization: 'dataset', learningRate: 3e-4 }, model, 2)).toMatchObject({ tile: 188, normalization: 'dataset', learningRate: 3e-4 });
    expect(() => optionsFromStartingModel({ preset: 'fast', baseChannels: 64 }, model, 3)).toThrow(/keeps its architecture.*base channels 64/);
    expect(() => optionsFromStartingModel({ preset: 'fast' }, model, 4)).toThrow(expect.objectContaining({ code: 'CONFLICT', message: expect.stringMatching(/predicts 2 class\(es\) \(background, nucleus\); this data set has 3/) }));
  });

  it('keeps a model\'s border class, which is not one of the data\'s classes', () => {
    const bordered: StartingModel = {
      ...model,
      metadata: { ...METADATA, architecture: { ...METADATA.architecture, numClasses: 4 }, classNames: [...METADATA.classNames, 'border'], borderClass: 3 },
    };
    expect(modelDataClasses(bordered.metadata)).toBe(3);
    expect(modelDataClasses(METADATA)).toBe(3);
    expect(optionsFromStartingModel({ preset: 'fast' }, bordered, 3)).toMatchObject({ borderClass: true });
    expect(optionsFromStartingModel({ preset: 'fast' }, model, 3)).toMatchObject({ borderClass: false });
    // The border is not a fourth class of the data set.
    expect(() => optionsFromStartingModel({ preset: 'fast' }, bordered, 4)).toThrow(expect.objectContaining({ code: 'CONFLICT', message: expect.stringMatching(/predicts 2 class\(es\) \(background, nucleus\); this data set has 3/) }));
    expect(() => optionsFromStartingModel({ preset: 'fast', borderClass: true }, model, 3)).toThrow(/border class \(the model has none\)/);
  });
});

import { describe, expect, it } from 'vitest';
import { learningRateAt } from '../../../src-main/engine/lr-schedule';
import { borderClassOf, classWeightingOf, resolveTrainConfig, trainsBorderClass } from '../../../src-main/engine/train-config';
import { PRESETS, presetInfo } from '../../../src-main/engine/presets';
import { fitOnnxRuntimeOptions } from '../../../src-main/engine/onnx-runtime-options';

const FACTS = { numClasses: 3, inChannels: 1 };

describe('resolveTrainConfig', () => {
  it('fills everything from the preset and the data', () => {
    const c = resolveTrainConfig({ preset: 'paper' }, FACTS);
    expect(c).toMatchObject({ depth: 4, baseChannels: 64, tile: 572, outputTile: 388, halo: 92, optimizer: 'sgd', momentum: 0.99 });
    expect(c.learningRate).toBe(1e-3);
    expect(c.numClasses).toBe(3);
    expect(c.classNames).toEqual(['unlabeled', 'background', 'class 1']);
    expect(c.checkpointEvery).toBe(c.validateEvery);
  });

  it('adds a border class after the data\'s classes, and resolves its own result to the same config', () => {
    const c = resolveTrainConfig({ borderClass: true }, FACTS);
    expect(c.numClasses).toBe(4);
    expect(c.classNames).toEqual(['unlabeled', 'background', 'class 1', 'border']);
    expect(borderClassOf(c)).toBe(3);
    // A recorded config is resolved again when the engine starts or a run resumes.
    expect(resolveTrainConfig(c, FACTS)).toEqual(c);
    // The preset decides when the run does not: fast trains one, the paper's preset keeps two classes.
    expect(borderClassOf(resolveTrainConfig({}, FACTS))).toBe(3);
    expect(borderClassOf(resolveTrainConfig({ preset: 'paper' }, FACTS))).toBeUndefined();
    expect(resolveTrainConfig({ preset: 'paper' }, FACTS).borderClass).toBe(false);
    expect(resolveTrainConfig({ borderClass: false }, FACTS).numClasses).toBe(3);
    expect([trainsBorderClass({}), trainsBorderClass({ preset: 'paper' }), trainsBorderClass({ preset: 'paper', borderClass: true }), trainsBorderClass({ borderClass: false })]).toEqual([true, false, true, false]);
    expect(() => resolveTrainConfig({ borderClass: true, numClasses: 3 }, FACTS)).toThrow(/smaller than the classes in the data \(3\) and the border class/);
  });

  it('lets explicit fields override the preset', () => {
    const c = resolveTrainConfig({ preset: 'fast', tile: 412, steps: 10, optimizer: 'adam', learningRate: 5e-4 }, FACTS);
    expect(c).toMatchObject({ baseChannels: 16, tile: 412, outputTile: 228, steps: 10, optimizer: 'adam', learningRate: 5e-4 });
  });

  it('records an upscale only when images are enlarged, and accepts whole factors 1 to 4 only', () => {
    // fast enlarges by object size unless told otherwise; the paper's preset does not enlarge.
    expect(resolveTrainConfig({ preset: 'fast' }, FACTS).upscale).toBe('auto');
    expect('upscale' in resolveTrainConfig({ preset: 'paper' }, FACTS)).toBe(false);
    expect('upscale' in resolveTrainConfig({ preset: 'fast', upscale: 1 }, FACTS)).toBe(false);
    expect(resolveTrainConfig({ preset: 'fast', upscale: 2 }, FACTS).upscale).toBe(2);
    for (const upscale of [0, 1.5, 5]) expect(() => resolveTrainConfig({ preset: 'fast', upscale }, FACTS)).toThrow(/upscale/);
  });

  it('records class weights only when they are not per image, and accepts the three weightings only', () => {
    expect('classWeights' in resolveTrainConfig({ preset: 'fast' }, FACTS)).toBe(false);
    expect('classWeights' in resolveTrainConfig({ preset: 'fast', classWeights: 'per-image' }, FACTS)).toBe(false);
    expect(resolveTrainConfig({ preset: 'fast', classWeights: 'data-set' }, FACTS).classWeights).toBe('data-set');
    expect(resolveTrainConfig({ preset: 'fast', classWeights: 'none' }, FACTS).classWeights).toBe('none');
    expect(classWeightingOf(resolveTrainConfig({ preset: 'fast' }, FACTS))).toBe('per-image');
    expect(classWeightingOf(resolveTrainConfig({ preset: 'fast', classWeights: 'data-set' }, FACTS))).toBe('data-set');
    expect(() => resolveTrainConfig({ preset: 'fast', classWeights: 'balanced' as 'none' }, FACTS)).toThrow(/classWeights/);
  });

  it('rejects an illegal tile and names the nearest legal one', () => {
    expect(() => resolveTrainConfig({ preset: 'paper', tile: 570 }, FACTS)).toThrow(/nearest legal size: 556/);
  });

  it('rejects unknown values as INVALID_ARGUMENT', () => {
    expect(() => resolveTrainConfig({ preset: 'paper', learningRate: -1 }, FACTS)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => resolveTrainConfig({ preset: 'paper', numClasses: 2 }, FACTS)).toThrow(/smaller than the classes/);
  });

  it('warms the learning rate up linearly', () => {
    const c = { learningRate: 1e-3, warmupSteps: 10 };
    expect(learningRateAt(c, 1)).toBeCloseTo(1e-4);
    expect(learningRateAt(c, 5)).toBeCloseTo(5e-4);
    expect(learningRateAt(c, 10)).toBe(1e-3);
    expect(learningRateAt({ learningRate: 1e-3, warmupSteps: 0 }, 1)).toBe(1e-3);
  });

  it('gives Adam its usual first-moment decay and SGD the preset\'s momentum, unless the run sets one', () => {
    expect(resolveTrainConfig({ preset: 'paper', optimizer: 'adam' }, FACTS).momentum).toBe(0.9);
    expect(resolveTrainConfig({ preset: 'paper', optimizer: 'sgd' }, FACTS).momentum).toBe(0.99);
    expect(resolveTrainConfig({ preset: 'paper', optimizer: 'adam', momentum: 0.95 }, FACTS).momentum).toBe(0.95);
  });

  it('takes batch normalisation from the preset unless the run says', () => {
    expect(resolveTrainConfig({ preset: 'paper' }, FACTS).batchNorm).toBe(PRESETS.paper.batchNorm);
    expect(resolveTrainConfig({ preset: 'fast' }, FACTS).batchNorm).toBe(PRESETS.fast.batchNorm);
    expect(resolveTrainConfig({ preset: 'fast', batchNorm: false }, FACTS).batchNorm).toBe(false);
    expect(resolveTrainConfig({ preset: 'tiny', batchNorm: true }, FACTS).batchNorm).toBe(true);
  });

  it('trains without batch normalisation on a tfjs backend, and says so', () => {
    const config = resolveTrainConfig({ preset: 'tiny', batchNorm: true }, FACTS);
    const warnings: string[] = [];
    expect(fitOnnxRuntimeOptions(config, 'onnxruntime-cpu', (m) => warnings.push(m)).batchNorm).toBe(true);
    expect(warnings).toEqual([]);
    expect(fitOnnxRuntimeOptions(config, 'wasm', (m) => warnings.push(m)).batchNorm).toBe(false);
    expect(warnings).toEqual(['batch normalisation is trained on ONNX Runtime only: this run trains on wasm without it']);
    expect(config.batchNorm).toBe(true);
  });

  it('takes the weight average from the preset unless the run says; a tfjs backend trains without it', () => {
    expect(resolveTrainConfig({ preset: 'fast' }, FACTS).weightAverage).toBe(PRESETS.fast.weightAverage);
    expect(PRESETS.fast.weightAverage).toBe(0);
    expect(resolveTrainConfig({ preset: 'fast', weightAverage: 0.995 }, FACTS).weightAverage).toBe(0.995);
    expect(resolveTrainConfig({ preset: 'fast', weightAverage: 0 }, FACTS).weightAverage).toBe(0);
    expect(resolveTrainConfig({ preset: 'tiny', weightAverage: 0.99 }, FACTS).weightAverage).toBe(0.99);
    expect(() => resolveTrainConfig({ weightAverage: 1 }, FACTS)).toThrow(/weightAverage/);
    const both = resolveTrainConfig({ preset: 'fast', weightAverage: 0.995 }, FACTS);
    const warnings: string[] = [];
    expect(fitOnnxRuntimeOptions(both, 'onnxruntime-cpu', (m) => warnings.push(m))).toBe(both);
    expect(fitOnnxRuntimeOptions(both, 'cpu', (m) => warnings.push(m))).toMatchObject({ batchNorm: false, weightAverage: 0 });
    expect(warnings).toEqual(['batch normalisation and the weight average are trained on ONNX Runtime only: this run trains on cpu without them']);
    const averageOnly = resolveTrainConfig({ preset: 'tiny', weightAverage: 0.99 }, FACTS);
    expect(fitOnnxRuntimeOptions(averageOnly, 'wasm', (m) => warnings.push(m)).weightAverage).toBe(0);
    expect(warnings[1]).toBe('the weight average is trained on ONNX Runtime only: this run trains on wasm without it');
  });

  it('describes presets for the UI', () => {
    expect(presetInfo('paper', 2)).toMatchObject({ tile: 572, outputTile: 388, parameters: 31_030_658 });
    expect(Object.keys(PRESETS).sort()).toEqual(['fast', 'paper', 'tiny']);
  });
});

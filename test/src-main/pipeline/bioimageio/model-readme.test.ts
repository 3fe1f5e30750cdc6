import { describe, expect, it } from 'vitest';
import type { UNetMetadata } from '../../../../src-main/engine/model-files';
import { modelReadme } from '../../../../src-main/pipeline/bioimageio/model-readme';

const base = {
  architecture: { depth: 4, baseChannels: 16, inChannels: 1, numClasses: 3 },
  tile: { input: 316, output: 132, halo: 92 },
  classNames: ['unlabeled', 'background', 'cell'],
  normalization: null,
  training: { step: 10, dataHash: 'abcdef0123456789', configHash: '0123456789abcdef', backend: 'onnxruntime-cpu' },
  createdAt: '2026-01-01T00:00:00.000Z',
} as unknown as UNetMetadata;

describe('the exported package README', () => {
  it('tells other consumers about inverted bright backgrounds and noise matching only when the model uses them', () => {
    const plain = modelReadme('m', 'd', base);
    expect(plain).not.toMatch(/Bright backgrounds/);
    expect(plain).not.toMatch(/pixel noise/);
    const full = modelReadme('m', 'd', { ...base, invertBrightBackground: true, trainingNoise: { sigma: 0.0144, images: 12 } });
    expect(full).toMatch(/- Bright backgrounds: .*\n  scaling was 0\.5 or more were inverted \(1 - x\)/);
    expect(full).toMatch(/pixel noise \(Immerkær's estimate after scaling\) was 0\.0144/);
    expect(plain).not.toMatch(/Border class/);
    const bordered = modelReadme('m', 'd', { ...base, architecture: { ...base.architecture, numClasses: 4 }, classNames: ['unlabeled', 'background', 'cell', 'border'], borderClass: 3 });
    expect(bordered).toMatch(/- Border class: output channel 3 \("border"\) is the objects' outlines/);
    expect(plain).not.toMatch(/Enlargement/);
    expect(modelReadme('m', 'd', { ...base, upscale: 2 })).toMatch(/- Enlargement: the model was trained on images enlarged 2 times[\s\S]*average the output over 2 x 2 blocks/);
  });
});

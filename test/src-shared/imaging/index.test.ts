import { describe, expect, it } from 'vitest';
import * as imaging from '../../../src-shared/imaging/index';

describe('imaging public API', () => {
  it('exports the functions the training engine and the UI build on', () => {
    const names = [
      'createRng',
      'outputSizeFor',
      'isLegalInputSize',
      'nearestLegalInputSize',
      'legalInputSizes',
      'haloFor',
      'planTiles',
      'mirrorIndex',
      'extractMirroredTile',
      'computePercentileNormalization',
      'computeDatasetNormalization',
      'combineNormalization',
      'applyNormalization',
      'weightMap',
      'separationBorders',
      'euclideanDistanceTransform',
      'createElasticField',
      'warpImage',
      'warpNearest',
      'dihedral',
      'dihedralInverse',
      'rotate',
      'intensityAugment',
      'augmentSample',
      'connectedComponents',
      'relabelSequential',
      'instancesFromBinary',
      'pixelIoU',
      'segScore',
      'randScores',
      'informationScores',
      'pixelError',
      'warpingError',
      'objectMatching',
      'evaluateSegmentation',
    ] as const;
    for (const name of names) expect(typeof imaging[name], name).toBe('function');
    expect(imaging.DEFAULT_AUGMENT_OPTIONS).toEqual({
      elastic: true,
      elasticSigma: 10,
      elasticGrid: 3,
      flipsRotations: true,
      rotation: true,
      intensity: true,
    });
  });
});

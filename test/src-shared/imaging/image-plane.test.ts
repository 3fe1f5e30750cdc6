import { describe, expect, it } from 'vitest';
import {
  commonPlaneSizes,
  describePlane,
  FIRST_PLANE,
  planeProblem,
  planeSelection,
  recordedPlane,
  samePlane,
} from '../../../src-shared/imaging/image-plane';
import type { StackAxes } from '../../../src-shared/imaging/stack-axes';

const hyperstack: StackAxes = { sizeC: 2, sizeZ: 3, sizeT: 2, order: 'XYCZT', source: 'imagej' };

describe('image planes', () => {
  it('describes a plane 1-based, as Fiji counts', () => {
    expect(describePlane(FIRST_PLANE)).toBe('the first plane');
    expect(describePlane({ c: 1, z: 2, t: 0 })).toBe('channel 2 · slice 3 · time 1');
    expect(describePlane({ c: null, z: 1, t: 0 })).toBe('all channels · slice 2 · time 1');
  });

  it('selects a channel only when one was chosen', () => {
    expect(planeSelection(FIRST_PLANE)).toEqual({ z: 0, t: 0 });
    expect(planeSelection({ c: 1, z: 2, t: 1 })).toEqual({ c: 1, z: 2, t: 1 });
    expect(samePlane({ c: 0, z: 0, t: 0 }, FIRST_PLANE)).toBe(false);
  });

  it('offers the planes every image has: hyperstack axes, else samples and one z and t', () => {
    expect(commonPlaneSizes([])).toEqual({ c: 1, z: 1, t: 1 });
    expect(commonPlaneSizes([{ axes: hyperstack, channels: 1 }])).toEqual({ c: 2, z: 3, t: 2 });
    expect(commonPlaneSizes([{ axes: hyperstack, channels: 1 }, { axes: { ...hyperstack, sizeZ: 5, sizeT: 1 }, channels: 1 }])).toEqual({ c: 2, z: 3, t: 1 });
    expect(commonPlaneSizes([{ axes: null, channels: 3 }, { axes: hyperstack, channels: 1 }])).toEqual({ c: 2, z: 1, t: 1 });
  });

  it('says why an image lacks a plane', () => {
    expect(planeProblem({ c: 1, z: 2, t: 1 }, { axes: hyperstack, channels: 1 })).toBeNull();
    expect(planeProblem({ c: 2, z: 0, t: 0 }, { axes: hyperstack, channels: 1 })).toBe('has no channel 3 (it has 2)');
    expect(planeProblem({ c: null, z: 3, t: 0 }, { axes: hyperstack, channels: 1 })).toBe('has no slice 4 (it has 3)');
    expect(planeProblem({ c: null, z: 0, t: 2 }, { axes: hyperstack, channels: 1 })).toBe('has no time point 3 (it has 2)');
    expect(planeProblem({ c: 2, z: 0, t: 0 }, { axes: null, channels: 3 })).toBeNull();
    expect(planeProblem({ c: 3, z: 0, t: 0 }, { axes: null, channels: 3 })).toBe('has no channel 4 (it has 3)');
    expect(planeProblem({ c: null, z: 1, t: 0 }, { axes: null, channels: 1 })).toMatch(/no focal planes/);
    expect(planeProblem(FIRST_PLANE, { axes: null, channels: 1 })).toBeNull();
  });

  it("reads a run's recorded plane; runs from before planes trained on the first", () => {
    expect(recordedPlane({ plane: { c: 1, z: 2, t: 0 } })).toEqual({ c: 1, z: 2, t: 0 });
    expect(recordedPlane({ plane: { c: null, z: 1, t: 1 } })).toEqual({ c: null, z: 1, t: 1 });
    expect(recordedPlane({})).toEqual(FIRST_PLANE);
    expect(recordedPlane({ plane: 'odd' })).toEqual(FIRST_PLANE);
  });
});

import { describe, expect, it } from 'vitest';
import { FIRST_PLANE } from '../../../src-shared/imaging/image-plane';
import type { StackAxes } from '../../../src-shared/imaging/stack-axes';
import { frameOfPlane, openingChannel, planeOfView, showsPlane } from '../../../src-renderer/src/lib/annotate/dataset-plane';

const axes: StackAxes = { sizeC: 2, sizeZ: 3, sizeT: 2, order: 'XYZCT', source: 'ome' };
const stack = { axes, samples: 1 };
const gray = { axes: null, samples: 1 };

describe("Annotate and the data set's plane", () => {
  it('finds the frame of a hyperstack plane; no channel chosen is its first channel', () => {
    expect(frameOfPlane(stack, { c: 1, z: 2, t: 1 })).toBe(2 + 3 + 6);
    expect(frameOfPlane(stack, FIRST_PLANE)).toBe(0);
    expect(showsPlane({ ...stack, frame: 0, channel: 0 }, FIRST_PLANE)).toBe(true);
    expect(showsPlane({ ...stack, frame: 3, channel: 0 }, FIRST_PLANE)).toBe(false);
  });

  it('paints on a plain multi-page TIFF only at its first page, the one trained on', () => {
    expect(showsPlane({ ...gray, frame: 0, channel: 0 }, FIRST_PLANE)).toBe(true);
    expect(showsPlane({ ...gray, frame: 3, channel: 0 }, FIRST_PLANE)).toBe(false);
    expect(planeOfView({ ...gray, frame: 3, channel: 0 })).toBeNull();
    expect(planeOfView({ ...gray, frame: 0, channel: 0 })).toEqual(FIRST_PLANE);
  });

  it('locks an image that lacks the plane (imported after it was chosen)', () => {
    expect(frameOfPlane(gray, { c: 1, z: 0, t: 0 })).toBeNull();
    expect(frameOfPlane(stack, { c: null, z: 3, t: 0 })).toBeNull();
    expect(showsPlane({ ...gray, frame: 0, channel: 0 }, { c: 1, z: 0, t: 0 })).toBe(false);
  });

  it("opens a colour image on the plane's sample, else as usual", () => {
    const rgb = { channels: 3, dtype: 'uint8', axes: null };
    expect(openingChannel(rgb, { c: 2, z: 0, t: 0 })).toBe(2);
    expect(openingChannel(rgb, FIRST_PLANE)).toBe('rgb');
    const colour = { axes: null, samples: 3 };
    expect(frameOfPlane(colour, { c: 2, z: 0, t: 0 })).toBe(0);
    expect(planeOfView({ ...colour, frame: 0, channel: 2 })).toEqual({ c: 2, z: 0, t: 0 });
    expect(showsPlane({ ...colour, frame: 0, channel: 'rgb' }, FIRST_PLANE)).toBe(true);
    expect(showsPlane({ ...colour, frame: 0, channel: 0 }, { c: 2, z: 0, t: 0 })).toBe(false);
    expect(showsPlane({ ...colour, frame: 0, channel: 2 }, { c: 2, z: 0, t: 0 })).toBe(true);
  });
});

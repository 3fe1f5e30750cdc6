import { describe, expect, it } from 'vitest';
import { FIRST_PLANE } from '../../../src-shared/imaging/image-plane';
import type { StackAxes } from '../../../src-shared/imaging/stack-axes';
import { frameOfPlane, openingChannel, planeOfView, showsPlane } from '../../../src-renderer/src/lib/annotate/dataset-plane';

const axes: StackAxes = { sizeC: 2, sizeZ: 3, sizeT: 2, order: 'XYZCT', source: 'ome' };

describe("Annotate and the data set's plane", () => {
  it('finds the frame of a hyperstack plane; no channel chosen is its first channel', () => {
    expect(frameOfPlane(axes, { c: 1, z: 2, t: 1 })).toBe(2 + 3 + 6);
    expect(frameOfPlane(axes, FIRST_PLANE)).toBe(0);
    expect(frameOfPlane(null, { c: 2, z: 0, t: 0 })).toBe(0);
    expect(showsPlane({ frame: 0, axes, channel: 0 }, FIRST_PLANE)).toBe(true);
    expect(showsPlane({ frame: 3, axes, channel: 0 }, FIRST_PLANE)).toBe(false);
  });

  it('paints on a plain multi-page TIFF only at its first page, the one trained on', () => {
    expect(showsPlane({ frame: 0, axes: null, channel: 0 }, FIRST_PLANE)).toBe(true);
    expect(showsPlane({ frame: 3, axes: null, channel: 0 }, FIRST_PLANE)).toBe(false);
    expect(planeOfView({ frame: 3, axes: null, channel: 0 }, 1)).toBeNull();
    expect(planeOfView({ frame: 0, axes: null, channel: 0 }, 1)).toEqual(FIRST_PLANE);
  });

  it("opens a colour image on the plane's sample, else as usual", () => {
    const rgb = { channels: 3, dtype: 'uint8', axes: null };
    expect(openingChannel(rgb, { c: 2, z: 0, t: 0 })).toBe(2);
    expect(openingChannel(rgb, FIRST_PLANE)).toBe('rgb');
    expect(planeOfView({ frame: 0, axes: null, channel: 2 }, 3)).toEqual({ c: 2, z: 0, t: 0 });
    expect(showsPlane({ frame: 0, axes: null, channel: 'rgb' }, FIRST_PLANE)).toBe(true);
    expect(showsPlane({ frame: 0, axes: null, channel: 0 }, { c: 2, z: 0, t: 0 })).toBe(false);
  });
});

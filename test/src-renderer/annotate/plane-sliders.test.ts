import { describe, expect, it } from 'vitest';
import { planeSliders } from '../../../src-renderer/src/lib/annotate/plane-sliders';

describe('planeSliders', () => {
  it('shows a slider for each axis with more than one position', () => {
    expect(planeSliders({ sizeC: 2, sizeZ: 1, sizeT: 5, order: 'XYZCT', source: 'ome' }, { c: 1, z: 0, t: 3 })).toEqual([
      { axis: 'c', label: 'Channel', size: 2, value: 1 },
      { axis: 't', label: 'Time', size: 5, value: 3 },
    ]);
    expect(planeSliders({ sizeC: 1, sizeZ: 4, sizeT: 1, order: 'XYCZT', source: 'imagej' }, { c: 0, z: 2, t: 0 }).map((s) => s.label)).toEqual(['Slice']);
  });
});

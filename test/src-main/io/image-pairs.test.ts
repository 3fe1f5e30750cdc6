import { describe, expect, it } from 'vitest';
import { matchMasks, pairFiles } from '../../../src-main/io/image-pairs';

describe('matchMasks', () => {
  it('prefers the same stem, then a suffixed one, from the masks folder before masks beside the image', () => {
    const { images, unmatchedMasks } = matchMasks(
      ['/i/a.png', '/i/b.png', '/i/c.png', '/i/c_mask.png', '/i/d.png', '/i/d-labels.png'],
      ['/m/a_mask.png', '/m/a.tif', '/m/b_labels.tif', '/m/d_gt.png'],
    );
    expect(images).toEqual([
      { image: '/i/a.png', mask: '/m/a.tif' },
      { image: '/i/b.png', mask: '/m/b_labels.tif' },
      { image: '/i/c.png', mask: '/i/c_mask.png' },
      { image: '/i/d.png', mask: '/m/d_gt.png' },
    ]);
    expect(unmatchedMasks).toEqual(['/m/a_mask.png', '/i/d-labels.png']);
  });

  it('gives a mask to one image only and keeps a suffixed file without its image as an image', () => {
    const { images } = matchMasks(['/i/x.png', '/i/x.tif', '/i/y_mask.png'], ['/m/x.png']);
    expect(images).toEqual([
      { image: '/i/x.png', mask: '/m/x.png' },
      { image: '/i/x.tif', mask: null },
      { image: '/i/y_mask.png', mask: null },
    ]);
  });

  it('finds masks beside an image only in its own folder', () => {
    expect(matchMasks(['/a/x.png', '/b/x_mask.png'], []).images).toEqual([
      { image: '/a/x.png', mask: null },
      { image: '/b/x_mask.png', mask: null },
    ]);
  });

  it('never pairs a file with itself when one folder holds both', () => {
    const files = ['/f/a.png', '/f/a_mask.png', '/f/b.png'];
    expect(pairFiles(files, files)).toEqual({
      pairs: [{ name: 'a.png', image: '/f/a.png', mask: '/f/a_mask.png' }],
      unmatchedImages: ['/f/b.png'],
      unmatchedMasks: [],
    });
  });
});

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { matchMasks, pairFiles, pairFolders } from '../../../src-main/pipeline/image-pairs';
import { defaultImageIo } from '../../../src-main/store/default-image-io';
import { findImportFiles } from '../../../src-main/store/import/find-import-files';
import { tempDir } from '../store/temp-workspace';

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

  it('never pairs a file with itself when one folder holds both', () => {
    const files = ['/f/a.png', '/f/a_mask.png', '/f/b.png'];
    expect(pairFiles(files, files)).toEqual({
      pairs: [{ name: 'a.png', image: '/f/a.png', mask: '/f/a_mask.png' }],
      unmatchedImages: ['/f/b.png'],
      unmatchedMasks: [],
    });
  });
});

describe('one pairing for the import and the train command', () => {
  let dir: ReturnType<typeof tempDir>;
  const touch = (...parts: string[]) => {
    const file = path.join(dir.path, ...parts);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, 'x');
  };
  beforeEach(() => {
    dir = tempDir('unet-pairs-');
  });
  afterEach(() => dir.remove());

  it('pairs an images/ + masks/ folder alike, in natural order', async () => {
    for (const name of ['img10.png', 'img2.png', 'img3.png', 'img3.tif', 'x.png', 'x_mask.png', 'y.png']) touch('set', 'images', name);
    for (const name of ['img10.png', 'img2_mask.png', 'img3.png', 'stray.png']) touch('set', 'masks', name);
    const rel = (p: string | null) => p && path.relative(dir.path, p);
    const expected = [
      ['set/images/img2.png', 'set/masks/img2_mask.png'],
      ['set/images/img3.png', 'set/masks/img3.png'],
      ['set/images/img10.png', 'set/masks/img10.png'],
      ['set/images/x.png', 'set/images/x_mask.png'],
    ];

    const cli = await pairFolders(path.join(dir.path, 'set', 'images'), path.join(dir.path, 'set', 'masks'));
    expect(cli.pairs.map((p) => [rel(p.image), rel(p.mask)])).toEqual(expected);
    expect(cli.unmatchedImages.map(rel)).toEqual(['set/images/img3.tif', 'set/images/y.png']);

    const imported = await findImportFiles([path.join(dir.path, 'set')], {
      masks: true,
      recursive: false,
      listImageFiles: defaultImageIo.listImageFiles,
      isPathAllowed: () => true,
    });
    expect(imported.filter((c) => c.maskPath).map((c) => [rel(c.imagePath), rel(c.maskPath)])).toEqual(expected);
    expect(imported.filter((c) => !c.maskPath).map((c) => rel(c.imagePath))).toEqual(cli.unmatchedImages.map(rel));
  });
});

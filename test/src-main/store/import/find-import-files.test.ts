import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findImportFiles, type FindOptions } from '../../../../src-main/store/import/find-import-files';
import { pairFolders } from '../../../../src-main/io/image-pairs';
import { defaultImageIo } from '../../../../src-main/store/default-image-io';
import { tempDir } from '../temp-workspace';

describe('findImportFiles', () => {
  let dir: ReturnType<typeof tempDir>;
  const touch = (...parts: string[]) => {
    const file = path.join(dir.path, ...parts);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, 'x');
    return file;
  };
  const options = (extra: Partial<FindOptions> = {}): FindOptions => ({
    masks: true,
    recursive: false,
    listImageFiles: defaultImageIo.listImageFiles,
    isPathAllowed: () => true,
    ...extra,
  });
  const relative = (list: { imagePath: string; maskPath: string | null }[]) =>
    list.map((c) => [path.relative(dir.path, c.imagePath), c.maskPath && path.relative(dir.path, c.maskPath)]);

  beforeEach(() => {
    dir = tempDir('unet-find-');
  });
  afterEach(() => dir.remove());

  it('pairs images/NAME with masks/NAME or masks/STEM.other-extension', async () => {
    touch('set', 'images', 'a.tif');
    touch('set', 'images', 'b.png');
    touch('set', 'images', 'c.png');
    touch('set', 'images', 'notes.txt');
    touch('set', 'masks', 'a.tif');
    touch('set', 'masks', 'b.tif');
    const expected = [
      ['set/images/a.tif', 'set/masks/a.tif'],
      ['set/images/b.png', 'set/masks/b.tif'],
      ['set/images/c.png', null],
    ];
    expect(relative(await findImportFiles([path.join(dir.path, 'set')], options()))).toEqual(expected);
    expect(relative(await findImportFiles([path.join(dir.path, 'set', 'images')], options()))).toEqual(expected);
  });

  it('pairs NAME_mask and NAME-labels files beside their image, keeping orphans as images', async () => {
    touch('flat', 'x.png');
    touch('flat', 'x_mask.png');
    touch('flat', 'y.tif');
    touch('flat', 'y-labels.tif');
    touch('flat', 'z_mask.png');
    expect(relative(await findImportFiles([path.join(dir.path, 'flat')], options()))).toEqual([
      ['flat/x.png', 'flat/x_mask.png'],
      ['flat/y.tif', 'flat/y-labels.tif'],
      ['flat/z_mask.png', null],
    ]);
    expect(relative(await findImportFiles([path.join(dir.path, 'flat')], options({ masks: false }))).map((r) => r[0])).toHaveLength(5);
    expect(relative(await findImportFiles([path.join(dir.path, 'flat', 'x.png')], options()))).toEqual([['flat/x.png', 'flat/x_mask.png']]);
  });

  it('pairs an images/ + masks/ folder as `unet-studio train` does, in natural order', async () => {
    for (const name of ['img10.png', 'img2.png', 'img3.png', 'img3.tif', 'x.png', 'x_mask.png', 'y.png']) touch('set', 'images', name);
    for (const name of ['img10.png', 'img2_mask.png', 'img3.png', 'stray.png']) touch('set', 'masks', name);
    const imported = relative(await findImportFiles([path.join(dir.path, 'set')], options()));
    expect(imported).toEqual([
      ['set/images/img2.png', 'set/masks/img2_mask.png'],
      ['set/images/img3.png', 'set/masks/img3.png'],
      ['set/images/img3.tif', null],
      ['set/images/img10.png', 'set/masks/img10.png'],
      ['set/images/x.png', 'set/images/x_mask.png'],
      ['set/images/y.png', null],
    ]);
    const cli = await pairFolders(path.join(dir.path, 'set', 'images'), path.join(dir.path, 'set', 'masks'));
    expect(relative(cli.pairs.map((p) => ({ imagePath: p.image, maskPath: p.mask })))).toEqual(imported.filter(([, mask]) => mask));
    expect(relative(cli.unmatchedImages.map((imagePath) => ({ imagePath, maskPath: null })))).toEqual(imported.filter(([, mask]) => !mask));
  });

  it('descends into subfolders only when recursive, skipping masks folders', async () => {
    touch('tree', 'top.png');
    touch('tree', 'day1', 'a.png');
    touch('tree', 'day2', 'images', 'b.png');
    touch('tree', 'day2', 'masks', 'b.png');
    touch('tree', 'masks', 'top.png');
    expect(relative(await findImportFiles([path.join(dir.path, 'tree')], options()))).toEqual([['tree/top.png', null]]);
    expect(relative(await findImportFiles([path.join(dir.path, 'tree')], options({ recursive: true })))).toEqual([
      ['tree/top.png', null],
      ['tree/day1/a.png', null],
      ['tree/day2/images/b.png', 'tree/day2/masks/b.png'],
    ]);
  });

  it('refuses what is not allowed or does not exist, and lists a file once', async () => {
    const file = touch('once', 'a.png');
    await expect(findImportFiles([path.join(dir.path, 'missing')], options())).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // The refusal says how to allow the file's folder in browser mode.
    await expect(findImportFiles([file], options({ isPathAllowed: () => false }))).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
      message: expect.stringContaining(`Restart it with --allow-root ${path.dirname(file)}`),
      details: { path: file, allowRoot: path.dirname(file) },
    });
    await expect(findImportFiles([path.join(dir.path, 'once')], options({ isPathAllowed: () => false }))).rejects.toMatchObject({
      message: expect.stringMatching(/not allowed: browser mode .* --allow-root DIR .*--allow-root .*once/),
    });
    expect(await findImportFiles([path.join(dir.path, 'once'), file], options())).toHaveLength(1);
    // A masks folder outside the allowed roots is not read.
    touch('guarded', 'images', 'a.png');
    touch('guarded', 'masks', 'a.png');
    const guarded = await findImportFiles([path.join(dir.path, 'guarded', 'images')], options({ isPathAllowed: (p) => !p.endsWith('masks') }));
    expect(relative(guarded)).toEqual([['guarded/images/a.png', null]]);
  });
});

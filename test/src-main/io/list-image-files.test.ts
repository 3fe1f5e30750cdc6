import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnetError } from '../../../src-shared/contract/errors';
import { listImageFiles, naturalCompare } from '../../../src-main/io/list-image-files';
import { defaultImageIo } from '../../../src-main/store/default-image-io';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'io-list-'));
  for (const name of ['t10.tif', 't2.TIF', 't1.tiff', 'a.png', 'b.JPG', 'c.jpeg', 'notes.txt', 'data.csv', '.hidden.tif', '._t3.tif', 'T2b.png']) {
    writeFileSync(join(dir, name), '');
  }
  mkdirSync(join(dir, 'sub', 'deeper'), { recursive: true });
  mkdirSync(join(dir, '.cache'));
  writeFileSync(join(dir, 'sub', 'img9.png'), '');
  writeFileSync(join(dir, 'sub', 'img10.png'), '');
  writeFileSync(join(dir, 'sub', 'deeper', 'x.tif'), '');
  writeFileSync(join(dir, '.cache', 'thumb.png'), '');
  mkdirSync(join(dir, 'folder.tif'));
  symlinkSync(join(dir, 'a.png'), join(dir, 'link.png'));
  symlinkSync(join(dir, 'missing.png'), join(dir, 'dangling.png'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('listImageFiles', () => {
  it('lists supported files of one folder, naturally sorted, skipping hidden ones', async () => {
    const files = await listImageFiles(dir);
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(['a.png', 'b.JPG', 'c.jpeg', 'link.png', 't1.tiff', 't2.TIF', 'T2b.png', 't10.tif']);
  });

  it('descends into sub-folders when recursive', async () => {
    const files = await listImageFiles(dir, { recursive: true });
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual([
      'a.png', 'b.JPG', 'c.jpeg', 'link.png', 'sub/deeper/x.tif', 'sub/img9.png', 'sub/img10.png', 't1.tiff', 't2.TIF', 'T2b.png', 't10.tif',
    ]);
  });

  it('leaves out links to files with followSymlinks: false', async () => {
    const files = await listImageFiles(dir, { followSymlinks: false, recursive: true });
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual([
      'a.png', 'b.JPG', 'c.jpeg', 'sub/deeper/x.tif', 'sub/img9.png', 'sub/img10.png', 't1.tiff', 't2.TIF', 'T2b.png', 't10.tif',
    ]);
  });

  it('is the listing the import uses: natural order, links left out', async () => {
    const files = await defaultImageIo.listImageFiles(dir);
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(['a.png', 'b.JPG', 'c.jpeg', 't1.tiff', 't2.TIF', 'T2b.png', 't10.tif']);
  });

  it('fails with NOT_FOUND or INVALID_ARGUMENT for a bad folder', async () => {
    const missing = await listImageFiles(join(dir, 'nope')).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(UnetError);
    expect((missing as UnetError).code).toBe('NOT_FOUND');
    const file = await listImageFiles(join(dir, 'a.png')).catch((e: unknown) => e);
    expect((file as UnetError).code).toBe('INVALID_ARGUMENT');
  });
});

describe('naturalCompare', () => {
  it('orders numbers by value and is a total order', () => {
    expect(['img10', 'img9', 'img1', 'img01', 'Img2'].sort(naturalCompare)).toEqual(['img01', 'img1', 'Img2', 'img9', 'img10']);
    expect(naturalCompare('a', 'a')).toBe(0);
    expect(Math.sign(naturalCompare('a1', 'A1'))).toBe(-Math.sign(naturalCompare('A1', 'a1')));
  });
});

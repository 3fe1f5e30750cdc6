import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkImageFile } from '../../../src-main/store/image-file-check';

const dir = mkdtempSync(path.join(os.tmpdir(), 'unet-file-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function recorded(name: string, bytes: number) {
  const file = path.join(dir, name);
  writeFileSync(file, new Uint8Array(bytes));
  const info = statSync(file);
  return { id: 7, path: file, size: info.size, mtimeMs: Math.round(info.mtimeMs) };
}

describe('checkImageFile', () => {
  it('accepts the file as imported', async () => {
    await expect(checkImageFile(recorded('same.png', 10))).resolves.toBeUndefined();
  });

  it('a deleted file (or a folder in its place) is NOT_FOUND, naming the path', async () => {
    const image = recorded('gone.png', 10);
    rmSync(image.path);
    await expect(checkImageFile(image)).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining(image.path) });
    await expect(checkImageFile({ ...image, path: dir })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a file rewritten with another size, or touched, is CONFLICT "changed"', async () => {
    const image = recorded('changed.png', 10);
    writeFileSync(image.path, new Uint8Array(11));
    await expect(checkImageFile(image)).rejects.toMatchObject({ code: 'CONFLICT', details: { reason: 'changed', imageId: 7 } });
    const touched = recorded('touched.png', 10);
    utimesSync(touched.path, new Date(), new Date(touched.mtimeMs + 5000));
    await expect(checkImageFile(touched)).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});

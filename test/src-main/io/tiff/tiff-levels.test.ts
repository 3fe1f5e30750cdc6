import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readImage, readImageMetadata } from '../../../../src-main/io/read-image';
import { buildPyramidTiff16, halveLevel, type TiledLevel } from '../../../helpers/tiled-tiff';
import { buildStackTiff } from '../../../helpers/stack-tiff';

let dir: string;

/** A level whose every pixel tells the frame and where it is. */
function level(width: number, height: number, frame: number): TiledLevel {
  const data = new Uint16Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = (frame * 10_000 + (i % width) + Math.floor(i / width) * 3) & 0xffff;
  return { width, height, data };
}

function pyramid(frame: number): TiledLevel[] {
  const full = level(600, 400, frame);
  const half = halveLevel(full);
  return [full, half, halveLevel(half)];
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'io-levels-'));
  writeFileSync(join(dir, 'ome-pyramid.tif'), buildPyramidTiff16([pyramid(0), pyramid(1)], { levelsAs: 'subifds' }));
  writeFileSync(join(dir, 'page-pyramid.tif'), buildPyramidTiff16([pyramid(0), pyramid(1).slice(0, 2)], { levelsAs: 'pages' }));
  const pages = [new Uint16Array(12).fill(1), new Uint16Array(12).fill(2), new Uint16Array(12).fill(3)];
  writeFileSync(join(dir, 'stack.tif'), buildStackTiff({ width: 4, height: 3, pages }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pyramidal TIFFs', () => {
  it.each(['ome-pyramid.tif', 'page-pyramid.tif'])('%s: lists the stored levels, counts only full-resolution pages as frames, and reads any level', async (name) => {
    const path = join(dir, name);
    const meta = await readImageMetadata(path);
    expect(meta).toMatchObject({ width: 600, height: 400, frames: 2, levels: [{ width: 300, height: 200 }, { width: 150, height: 100 }] });
    const [full, half, quarter] = pyramid(0);
    const level2 = await readImage(path, { level: 2 });
    expect([level2.width, level2.height]).toEqual([150, 100]);
    expect(Buffer.from(level2.data.buffer).equals(Buffer.from(quarter.data.buffer))).toBe(true);
    expect(Buffer.from((await readImage(path, { level: 1 })).data.buffer).equals(Buffer.from(half.data.buffer))).toBe(true);
    expect(Buffer.from((await readImage(path)).data.buffer).equals(Buffer.from(full.data.buffer))).toBe(true);
    const frame1 = await readImage(path, { frame: 1 });
    expect(frame1.data[0]).toBe(10_000);
    expect((await readImage(path, { frame: 1, level: 1 })).width).toBe(300);
    await expect(readImage(path, { level: 3 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/level 3 does not exist/) });
    await expect(readImage(path, { frame: 2 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('leaves ordinary stacks as they were: every page a frame, no levels', async () => {
    const path = join(dir, 'stack.tif');
    const meta = await readImageMetadata(path);
    expect(meta.frames).toBe(3);
    expect(meta.levels).toBeUndefined();
    expect((await readImage(path, { frame: 2 })).data[0]).toBe(3);
    await expect(readImage(path, { level: 1 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(readImage(path, { level: -1 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fromArrayBuffer } from 'geotiff';
import { afterAll, describe, expect, it } from 'vitest';
import { stackFrameIndex, stackPosition, type StackAxes } from '../../../src-shared/imaging/stack-axes';
import { readImage, readImageMetadata } from '../../../src-main/io/read-image';
import { readImagePlane } from '../../../src-main/io/read-plane';
import { describeStack } from '../../../src-main/io/tiff/tiff-axes';
import { writeFloatTiff, writeLabelImage } from '../../../src-main/io/write-image';
import { buildStackTiff, omeXml, planeValue, stackPages } from '../../helpers/stack-tiff';

const dir = mkdtempSync(path.join(os.tmpdir(), 'unet-axes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const W = 6;
const H = 4;

describe('OME-TIFF and ImageJ hyperstack axes', () => {
  it('reads a 2 channel x 3 z x 2 t OME-TIFF with its axes and pixel size, and finds every plane', async () => {
    for (const order of ['XYZCT', 'XYCTZ', 'XYTZC'] as const) {
      const sizes = { C: 2, Z: 3, T: 2 };
      const file = path.join(dir, `stack-${order}.ome.tif`);
      writeFileSync(file, buildStackTiff({ width: W, height: H, pages: stackPages(W, H, sizes, order), description: omeXml(sizes, order, { x: 0.325, y: 0.325, unit: 'µm' }) }));
      const meta = await readImageMetadata(file);
      expect(meta.frames).toBe(12);
      expect(meta.axes).toEqual({ sizeC: 2, sizeZ: 3, sizeT: 2, order, source: 'ome' });
      expect(meta.pixelSize).toEqual({ x: expect.closeTo(0.325, 9), y: expect.closeTo(0.325, 9), unit: 'µm' });
      for (let c = 0; c < 2; c++) {
        for (let z = 0; z < 3; z++) {
          for (let t = 0; t < 2; t++) {
            const frame = stackFrameIndex(meta.axes!, { c, z, t });
            expect(stackPosition(meta.axes!, frame)).toEqual({ c, z, t });
            expect((await readImage(file, { frame })).data[0], `${order} c${c} z${z} t${t}`).toBe(planeValue(c, z, t));
          }
        }
      }
    }
  });

  it('reads an ImageJ hyperstack (XYCZT) with its calibration in microns', async () => {
    const sizes = { C: 2, Z: 3, T: 2 };
    const description = 'ImageJ=1.54f\nimages=12\nchannels=2\nslices=3\nframes=2\nhyperstack=true\nmode=composite\nunit=micron\nspacing=0.5\nloop=false\n';
    const file = path.join(dir, 'hyperstack.tif');
    writeFileSync(file, buildStackTiff({ width: W, height: H, pages: stackPages(W, H, sizes, 'XYCZT'), description, resolution: { x: 4, y: 4, unit: 1 } }));
    const meta = await readImageMetadata(file);
    expect(meta.axes).toEqual({ sizeC: 2, sizeZ: 3, sizeT: 2, order: 'XYCZT', source: 'imagej' });
    expect(meta.pixelSize).toEqual({ x: 0.25, y: 0.25, unit: 'µm' });
    expect((await readImage(file, { frame: stackFrameIndex(meta.axes!, { c: 1, z: 2, t: 1 }) })).data[0]).toBe(planeValue(1, 2, 1));
    expect((await readImage(file, { frame: 0 })).pixelSize).toEqual({ x: 0.25, y: 0.25, unit: 'µm' });
  });

  it('keeps pages as plain frames when the description does not account for them', () => {
    expect(describeStack('ImageJ=1.54f\nimages=12\nchannels=2\nslices=3\nframes=2\n', 10, 1).axes).toBeUndefined();
    expect(describeStack(omeXml({ C: 2, Z: 3, T: 2 }, 'XYZCT'), 6, 1).axes).toBeUndefined();
    expect(describeStack(omeXml({ C: 2, Z: 3, T: 2 }, 'XYQZT'), 12, 1).axes).toBeUndefined();
    expect(describeStack('ImageJ=1.54f\nimages=1\n', 1, 1)).toEqual({});
    expect(describeStack('a plain description', 4, 1)).toEqual({});
    // RGB OME-TIFF: SizeC counts samples.
    expect(describeStack(omeXml({ C: 3, Z: 4, T: 1 }, 'XYCZT'), 4, 3).axes).toMatchObject({ sizeC: 1, sizeZ: 4 });
  });

  it('refuses a plane outside the stack with a clear error', () => {
    const axes: StackAxes = { sizeC: 2, sizeZ: 3, sizeT: 2, order: 'XYCZT', source: 'imagej' };
    expect(() => stackFrameIndex(axes, { c: 2, z: 0, t: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', message: 'channel 3 does not exist (the image has 2)' }));
    expect(stackFrameIndex(axes, { c: 1, z: 2, t: 1 })).toBe(1 + 2 * 2 + 1 * 6);
  });
});

describe('readImagePlane', () => {
  it('picks a plane of a hyperstack by (c, z, t) and a sample of an interleaved image by channel', async () => {
    const sizes = { C: 2, Z: 3, T: 2 };
    const file = path.join(dir, 'plane.ome.tif');
    writeFileSync(file, buildStackTiff({ width: W, height: H, pages: stackPages(W, H, sizes, 'XYZCT'), description: omeXml(sizes, 'XYZCT') }));
    const plane = await readImagePlane(file, { c: 1, z: 2, t: 1 });
    expect(plane.frame).toBe(2 + 3 * 1 + 6 * 1);
    expect(plane.image.data[0]).toBe(planeValue(1, 2, 1));
    await expect(readImagePlane(file, { t: 2 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: `${file}: time point 3 does not exist (the image has 2)` });

    const rgb = path.join(dir, 'rgb.tif');
    await writeFloatTiff(rgb, Float32Array.from({ length: W * H * 3 }, (_, i) => i % 3), W, H, 3);
    const green = await readImagePlane(rgb, { c: 1 });
    expect([green.image.channels, green.image.data[0], green.image.data[5]]).toEqual([1, 1, 1]);
    await expect(readImagePlane(rgb, { c: 3 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: `${rgb}: channel 4 does not exist (the image has 3)` });
    await expect(readImagePlane(rgb, { z: 1 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('label TIFFs for Fiji', () => {
  it('carry ImageJ metadata: description with unit and display range, resolution in pixels per micron', async () => {
    const file = path.join(dir, 'labels.tif');
    await writeLabelImage(file, Uint16Array.from({ length: W * H }, (_, i) => i % 5), W, H, { pixelSize: { x: 0.5, y: 0.25, unit: 'µm' } });
    const tiff = await fromArrayBuffer(new Uint8Array(readFileSync(file)).buffer);
    const fd = (await tiff.getImage()).fileDirectory as Record<string, unknown>;
    expect(String(fd.ImageDescription).replace(/\0+$/, '')).toBe('ImageJ=1.54f\nimages=1\nunit=micron\nmin=0\nmax=4\n');
    expect(fd.ResolutionUnit).toBe(1);
    const [num, den] = fd.XResolution as number[];
    expect(num / den).toBeCloseTo(2, 6);
    expect((await readImageMetadata(file)).pixelSize).toEqual({ x: expect.closeTo(0.5, 6), y: expect.closeTo(0.25, 6), unit: 'µm' });
    const plain = path.join(dir, 'plain.tif');
    await writeFloatTiff(plain, new Float32Array(W * H), W, H);
    const fd2 = (await (await fromArrayBuffer(new Uint8Array(readFileSync(plain)).buffer)).getImage()).fileDirectory as Record<string, unknown>;
    expect(String(fd2.ImageDescription).replace(/\0+$/, '')).toBe('ImageJ=1.54f\nimages=1\n');
    expect(fd2.XResolution).toBeUndefined();
  });
});

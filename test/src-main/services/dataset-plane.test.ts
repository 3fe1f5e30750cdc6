import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatasetDetail, ImagePage, ImagePixels } from '../../../src-shared/contract/records';
import type { PlaneSizes } from '../../../src-shared/imaging/image-plane';
import { stackFrameIndex, stackPosition, type StackAxes } from '../../../src-shared/imaging/stack-axes';
import { writeLabelImage } from '../../../src-main/io/write-image';
import { loadTrainingImages, planTraining } from '../../../src-main/pipeline/training-images';
import { thumbnailPath } from '../../../src-main/store/thumbnails';
import { buildStackTiff, omeXml } from '../../helpers/stack-tiff';
import { createStoreApp, type StoreApp } from './store-app';

const W = 16;
const H = 16;
const AXES: StackAxes = { sizeC: 2, sizeZ: 3, sizeT: 2, order: 'XYZCT', source: 'ome' };

/** The one bright pixel of plane (c, z, t): where it lies tells which plane was read. */
function brightPixel(c: number, z: number, t: number): number {
  return (c * 6 + z * 2 + t) * 3;
}

/** A 2 channel x 3 z x 2 t OME-TIFF whose every plane is 100 but for its own bright pixel (1000). */
function writeStack(file: string): void {
  const pages = Array.from({ length: 12 }, (_, frame) => {
    const { c, z, t } = stackPosition(AXES, frame);
    const page = new Uint16Array(W * H).fill(100);
    page[brightPixel(c, z, t)] = 1000;
    return page;
  });
  writeFileSync(file, buildStackTiff({ width: W, height: H, pages, description: omeXml({ C: 2, Z: 3, T: 2 }, 'XYZCT') }));
}

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

describe("a data set's plane", () => {
  let app: StoreApp;
  let dataset: DatasetDetail;

  beforeEach(async () => {
    app = createStoreApp();
    const folder = path.join(app.tmp, 'stacks');
    mkdirSync(path.join(folder, 'images'), { recursive: true });
    mkdirSync(path.join(folder, 'masks'), { recursive: true });
    const mask = Uint8Array.from({ length: W * H }, (_, i) => (i % W < W / 2 ? 255 : 0));
    for (const name of ['a', 'b']) {
      writeStack(path.join(folder, 'images', `${name}.tif`));
      await writeLabelImage(path.join(folder, 'masks', `${name}.png`), mask, W, H);
    }
    dataset = await app.call<DatasetDetail>('datasets.create', { name: 'stacks' });
    const job = await app.job('images.import', { datasetId: dataset.id, paths: [folder] });
    expect(job.status).toBe('succeeded');
  });
  afterEach(() => app.dispose());

  it('offers the planes every image has and refuses one an image lacks', async () => {
    expect(await app.call<PlaneSizes>('datasets.planeSizes', { id: dataset.id })).toEqual({ c: 2, z: 3, t: 2 });
    expect(await app.fail('datasets.setPlane', { id: dataset.id, plane: { c: 2, z: 0, t: 0 }, force: true })).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/^a\.tif has no channel 3 \(it has 2\)/),
    });
    expect(await app.fail('datasets.setPlane', { id: dataset.id, plane: { c: null, z: 0, t: 2 }, force: true })).toMatchObject({ code: 'INVALID_ARGUMENT' });

    // A plain gray image in the data set leaves only its one plane to choose; it is still shown (its
    // only page) while the data set's plane is one it lacks.
    await app.call('datasets.setPlane', { id: dataset.id, plane: { c: 1, z: 0, t: 0 }, force: true });
    const png = path.join(app.tmp, 'gray.png');
    await writeLabelImage(png, new Uint8Array(W * H), W, H);
    await app.job('images.import', { datasetId: dataset.id, paths: [png], masks: false });
    expect(await app.call<PlaneSizes>('datasets.planeSizes', { id: dataset.id })).toEqual({ c: 1, z: 1, t: 1 });
    const grayImage = (await app.call<ImagePage>('images.list', { datasetId: dataset.id, name: 'gray' })).items[0];
    expect((await app.call<ImagePixels>('images.read', { id: grayImage.id })).frame).toBe(0);
    expect(await app.fail('datasets.setPlane', { id: dataset.id, plane: { c: 1, z: 1, t: 0 }, force: true })).toMatchObject({ message: expect.stringMatching(/^gray\.png has no channel 2 \(it has 1\)/) });
  });

  it('changes the plane of annotated images only when confirmed, and says so', async () => {
    const plane = { c: 1, z: 2, t: 1 };
    expect(await app.fail('datasets.setPlane', { id: dataset.id, plane })).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('2 image(s) of "stacks" were annotated on the first plane'),
    });
    expect((await app.call<DatasetDetail>('datasets.get', { id: dataset.id })).plane).toEqual({ c: null, z: 0, t: 0 });
    const updated = await app.call<DatasetDetail>('datasets.setPlane', { id: dataset.id, plane, force: true });
    expect(updated.plane).toEqual(plane);
    expect(app.events.filter((e) => e.channel === 'datasets.changed').at(-1)?.payload).toEqual({ id: dataset.id, reason: 'plane' });
    // Choosing the same plane again asks nothing.
    expect((await app.call<DatasetDetail>('datasets.setPlane', { id: dataset.id, plane })).plane).toEqual(plane);
  });

  it('is what Annotate reads, the thumbnail shows and training loads: channel 1, z 2, t 1 gives that plane', async () => {
    const plane = { c: 1, z: 2, t: 1 };
    await app.call('datasets.setPlane', { id: dataset.id, plane, force: true });
    const [image] = (await app.call<ImagePage>('images.list', { datasetId: dataset.id })).items;

    const pixels = await app.call<ImagePixels>('images.read', { id: image.id });
    expect(pixels.frame).toBe(stackFrameIndex(AXES, plane));
    expect(argmax(pixels.data)).toBe(brightPixel(1, 2, 1));
    // An explicit frame still reads that frame (stepping through the stack).
    expect(argmax((await app.call<ImagePixels>('images.read', { id: image.id, frame: 0 })).data)).toBe(brightPixel(0, 0, 0));

    const ws = app.ctx.workspace.current;
    await app.call('images.thumbnail', { id: image.id, size: 16 });
    expect(existsSync(thumbnailPath(ws.cacheDir, image, 16, plane))).toBe(true);

    const plan = planTraining(ws, dataset.id, 1);
    expect(plan.plane).toEqual(plane);
    const data = await loadTrainingImages(ws, plan);
    for (const sample of [...data.train, ...data.validation]) expect(argmax(sample.image)).toBe(brightPixel(1, 2, 1));
  });
});

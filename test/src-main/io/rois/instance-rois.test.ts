import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { traceObjectOutlines } from '../../../../src-shared/imaging/contour-trace';
import { fillPolygonRings } from '../../../../src-shared/imaging/polygon-fill';
import { readImage } from '../../../../src-main/io/read-image';
import { ROI_VERSION } from '../../../../src-main/io/rois/imagej-roi';
import { writeInstanceRois, type GeoJsonFeatureCollection } from '../../../../src-main/io/rois/instance-rois';
import { decodeRoiSet, geoJsonRings, objectIou } from '../../../helpers/imagej-roi-reader';
import { generateBlobImage } from '../../../helpers/synthetic-blobs';

const dir = mkdtempSync(path.join(os.tmpdir(), 'unet-rois-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Touching blobs, plus an object with a hole (label 50), one in two parts (51) and one on the image border (52). */
function testLabels() {
  const blobs = generateBlobImage(11, { width: 160, height: 120, count: 14, radius: 10, touching: true });
  const { width, height } = blobs;
  const labels = new Uint16Array(blobs.instanceMap);
  const set = (x: number, y: number, v: number) => (labels[y * width + x] = v);
  for (let y = 100; y < 116; y++) for (let x = 4; x < 20; x++) set(x, y, x >= 8 && x < 16 && y >= 104 && y < 112 ? 0 : 50);
  for (let y = 100; y < 106; y++) for (let x = 30; x < 36; x++) set(x, y, 51);
  for (let y = 108; y < 114; y++) for (let x = 40; x < 48; x++) set(x, y, 51);
  for (let y = 110; y < 120; y++) for (let x = 150; x < 160; x++) set(x, y, 52);
  return { labels, width, height };
}

function labelsFromName(name: string): number {
  return Number(/^label-(\d+)$/.exec(name)![1]);
}

/** Round trip through an ImageJ ROI set; returns the per-object IoU and the decoded ROIs. */
async function roiZipRoundTrip(labels: Uint16Array | Uint32Array, width: number, height: number, file: string) {
  const written = await writeInstanceRois(file, 'zip', labels, width, height);
  const rois = decodeRoiSet(readFileSync(file));
  const redrawn = new Uint32Array(width * height);
  for (const roi of rois) fillPolygonRings(roi.rings, redrawn, width, height, labelsFromName(roi.name));
  const ious = new Map(rois.map((roi) => [labelsFromName(roi.name), objectIou(labels, labelsFromName(roi.name), redrawn, labelsFromName(roi.name))]));
  return { written, rois, ious };
}

async function geoJsonRoundTrip(labels: Uint16Array | Uint32Array, width: number, height: number, file: string) {
  const written = await writeInstanceRois(file, 'geojson', labels, width, height, { className: 'Nucleus' });
  const collection = JSON.parse(readFileSync(file, 'utf8')) as GeoJsonFeatureCollection;
  const redrawn = new Uint32Array(width * height);
  for (const f of collection.features) fillPolygonRings(geoJsonRings(f.geometry), redrawn, width, height, f.properties.measurements.Label);
  const ious = new Map(collection.features.map((f) => [f.properties.measurements.Label, objectIou(labels, f.properties.measurements.Label, redrawn, f.properties.measurements.Label)]));
  return { written, collection, ious };
}

function distinctLabels(labels: ArrayLike<number>): number[] {
  return [...new Set(Array.from(labels))].filter((v) => v !== 0).sort((a, b) => a - b);
}

describe('ImageJ ROI set export', () => {
  it('writes one RoiEncoder ROI per object, named by label, with coordinates relative to its bounding box', async () => {
    const { labels, width, height } = testLabels();
    const { written, rois, ious } = await roiZipRoundTrip(labels, width, height, path.join(dir, 'blobs.rois.zip'));
    const expected = distinctLabels(labels);
    expect(written.objects).toBe(expected.length);
    expect(rois.map((r) => labelsFromName(r.name)).sort((a, b) => a - b)).toEqual(expected);
    const outlines = new Map(traceObjectOutlines(labels, width, height).map((o) => [o.label, o]));
    for (const roi of rois) {
      expect(roi.magic).toBe('Iout');
      expect(roi.version).toBe(ROI_VERSION);
      expect(roi.entry).toBe(`${roi.name}.roi`);
      const b = outlines.get(labelsFromName(roi.name))!.bounds;
      expect([roi.left, roi.top, roi.right, roi.bottom]).toEqual([b.left, b.top, b.right, b.bottom]);
      if (roi.type === 0) {
        expect(roi.nCoordinates).toBe(roi.relativeX.length);
        expect(Math.min(...roi.relativeX)).toBe(0);
        expect(Math.max(...roi.relativeX)).toBe(roi.right - roi.left);
        expect(Math.min(...roi.relativeY)).toBe(0);
        expect(Math.max(...roi.relativeY)).toBe(roi.bottom - roi.top);
      }
    }
    // The object with a hole and the one in two parts are composite ROIs; the rest polygons.
    const byLabel = new Map(rois.map((r) => [labelsFromName(r.name), r]));
    expect(byLabel.get(50)).toMatchObject({ type: 1, rings: [expect.any(Array), expect.any(Array)] });
    expect(byLabel.get(51)).toMatchObject({ type: 1 });
    expect(byLabel.get(51)!.rings).toHaveLength(2);
    expect(byLabel.get(52)).toMatchObject({ type: 0, right: 160, bottom: 120 });
    for (const [label, iou] of ious) expect(iou, `label ${label}`).toBeGreaterThanOrEqual(0.98);
  });
});

describe('QuPath GeoJSON export', () => {
  it('writes one classified polygon feature per object, holes and parts kept', async () => {
    const { labels, width, height } = testLabels();
    const { written, collection, ious } = await geoJsonRoundTrip(labels, width, height, path.join(dir, 'blobs.geojson'));
    expect(collection.type).toBe('FeatureCollection');
    expect(collection.features).toHaveLength(written.objects);
    expect(written.objects).toBe(distinctLabels(labels).length);
    for (const f of collection.features) {
      expect(f.type).toBe('Feature');
      expect(f.properties.classification.name).toBe('Nucleus');
      expect(f.properties.objectType).toBe('detection');
    }
    const byLabel = new Map(collection.features.map((f) => [f.properties.measurements.Label, f]));
    const holed = byLabel.get(50)!.geometry;
    expect(holed.type).toBe('Polygon');
    expect(holed.coordinates).toHaveLength(2); // outer ring + hole
    const ring = (holed.coordinates as number[][][])[0];
    expect(ring.at(-1)).toEqual(ring[0]); // closed
    expect(byLabel.get(51)!.geometry.type).toBe('MultiPolygon');
    expect(byLabel.get(50)!.properties.measurements['Area px']).toBe(16 * 16 - 8 * 8);
    for (const [label, iou] of ious) expect(iou, `label ${label}`).toBeGreaterThanOrEqual(0.98);
  });
});

describe('ROI export errors', () => {
  it('refuses an unknown format, an unwritable path and coordinates ImageJ cannot hold', async () => {
    const labels = new Uint16Array([0, 1, 1, 0]);
    await expect(writeInstanceRois(path.join(dir, 'x.svg'), 'svg' as 'zip', labels, 2, 2)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const blocker = path.join(dir, 'blocker.geojson');
    await writeInstanceRois(blocker, 'geojson', labels, 2, 2);
    await expect(writeInstanceRois(path.join(blocker, 'inside.zip'), 'zip', labels, 2, 2)).rejects.toMatchObject({ code: 'IO_ERROR' });
    const wide = new Uint16Array(40000);
    wide[39999] = 1;
    await expect(writeInstanceRois(path.join(dir, 'wide.zip'), 'zip', wide, 40000, 1)).rejects.toMatchObject({ code: 'TOO_LARGE' });
    await expect(writeInstanceRois(path.join(dir, 'bad.zip'), 'zip', labels, 3, 2)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

const DSB = path.resolve(__dirname, '../../../../../shared/data/dsb2018');
const dsbMissing = `real DSB 2018 masks are not at ${DSB}: real-data ROI round trip skipped`;
describe.skipIf(!existsSync(DSB))(existsSync(DSB) ? 'ROI export of real DSB 2018 nuclei' : dsbMissing, () => {
  it('round-trips every nucleus of a 520x696 and a brightfield ground-truth mask through both formats (IoU >= 0.98)', async () => {
    const names = ['16_fluor_520x696.png', '36_bright_gray_1024x1024.png'].filter((n) => existsSync(path.join(DSB, 'masks', n)));
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      const mask = await readImage(path.join(DSB, 'masks', name));
      const labels = Uint32Array.from(mask.data);
      const expected = distinctLabels(labels);
      const zip = await roiZipRoundTrip(labels, mask.width, mask.height, path.join(dir, `${name}.rois.zip`));
      const geo = await geoJsonRoundTrip(labels, mask.width, mask.height, path.join(dir, `${name}.geojson`));
      expect(zip.written.objects).toBe(expected.length);
      expect(geo.written.objects).toBe(expected.length);
      for (const label of expected) {
        expect(zip.ious.get(label), `${name} label ${label} (zip)`).toBeGreaterThanOrEqual(0.98);
        expect(geo.ious.get(label), `${name} label ${label} (geojson)`).toBeGreaterThanOrEqual(0.98);
      }
    }
  });
});

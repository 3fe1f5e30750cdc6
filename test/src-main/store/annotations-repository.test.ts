import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeMaps, encodeMaps } from '../../../src-main/store/annotation-codec';
import type { Workspace } from '../../../src-main/store/workspace';
import { fakeImage, patternMaps, tempWorkspace } from './temp-workspace';

describe('AnnotationsRepository', () => {
  let t: ReturnType<typeof tempWorkspace>;
  let ws: Workspace;
  let imageId: number;
  beforeEach(() => {
    t = tempWorkspace();
    ws = t.ws;
    const d = ws.datasets.create({ name: 'd' });
    imageId = ws.images.insert(fakeImage(d.id, 'a.png', 40, 30)).id;
  });
  afterEach(() => t.dispose());

  it('round-trips both maps through compression', () => {
    const maps = patternMaps(40, 30, 1);
    maps.instanceMap[5] = 0xfffffff0;
    const encoded = encodeMaps(maps.classMap, maps.instanceMap);
    expect(encoded.classMap.length).toBeLessThan(maps.classMap.length);
    const decoded = decodeMaps(encoded.classMap, encoded.instanceMap, 40, 30);
    expect(decoded.classMap).toEqual(maps.classMap);
    expect(decoded.instanceMap).toEqual(maps.instanceMap);
    expect(() => decodeMaps(encoded.classMap, encoded.instanceMap, 41, 30)).toThrow(expect.objectContaining({ code: 'CORRUPT' }));
    expect(() => decodeMaps(new Uint8Array([1, 2, 3]), encoded.instanceMap, 40, 30)).toThrow(expect.objectContaining({ code: 'CORRUPT' }));
  });

  it('saves versions, checks the base version and keeps history', () => {
    const m1 = patternMaps(40, 30, 1);
    const m2 = patternMaps(40, 30, 2);
    expect(ws.annotations.latest(imageId)).toBeNull();
    const s1 = ws.annotations.save(imageId, { ...m1, baseVersion: 0, author: 'ana' });
    expect(s1).toMatchObject({ version: 1, unchanged: false });
    const s2 = ws.annotations.save(imageId, { ...m2, baseVersion: 1 });
    expect(s2.version).toBe(2);
    // Someone else's edit started from version 1: refused, nothing written.
    expect(() => ws.annotations.save(imageId, { ...m1, baseVersion: 1 })).toThrow(
      expect.objectContaining({ code: 'CONFLICT', details: { imageId, baseVersion: 1, latestVersion: 2 } }),
    );
    // Saving the same maps again (an autosave without edits) adds no version.
    expect(ws.annotations.save(imageId, { ...m2, baseVersion: 2 })).toMatchObject({ version: 2, unchanged: true });
    const latest = ws.annotations.latest(imageId);
    expect(latest?.version).toBe(2);
    expect(latest?.classMap).toEqual(m2.classMap);
    expect(ws.annotations.version(imageId, 1).instanceMap).toEqual(m1.instanceMap);
    const history = ws.annotations.history(imageId);
    expect(history.map((h) => [h.version, h.author])).toEqual([
      [2, ''],
      [1, 'ana'],
    ]);
    const fg = m1.classMap.filter((v) => v === 2).length;
    expect(history[1]).toMatchObject({ labeledPixels: 1200, instanceCount: 3, classCounts: { 1: 1200 - fg, 2: fg } });
  });

  it('restores an old version as a new one', () => {
    const m1 = patternMaps(40, 30, 1);
    ws.annotations.save(imageId, m1);
    ws.annotations.save(imageId, patternMaps(40, 30, 2));
    const restored = ws.annotations.restore(imageId, 1, { baseVersion: 2 });
    expect(restored.version).toBe(3);
    expect(ws.annotations.latest(imageId)?.classMap).toEqual(m1.classMap);
    expect(ws.annotations.history(imageId)[0]).toMatchObject({ source: 'restore', restoredFrom: 1 });
    expect(() => ws.annotations.restore(imageId, 9)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('refuses maps of the wrong size or with classes outside the palette', () => {
    expect(() => ws.annotations.save(imageId, { classMap: new Uint8Array(10), instanceMap: new Uint32Array(1200) })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    const maps = patternMaps(40, 30, 1);
    maps.classMap[0] = 9;
    expect(() => ws.annotations.save(imageId, maps)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', details: { unknownClasses: [9] } }));
    expect(() => ws.annotations.save(4242, maps)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(ws.annotations.history(imageId)).toEqual([]);
  });
});

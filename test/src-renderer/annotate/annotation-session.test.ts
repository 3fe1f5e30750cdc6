import { describe, expect, it } from 'vitest';
import { AnnotationSession } from '../../../src-renderer/src/lib/annotate/annotation-session.svelte';
import { createLabelMaps, type PixelRect } from '../../../src-renderer/src/lib/annotate/label-maps';

function session(width = 8, height = 8) {
  const s = new AnnotationSession();
  const regions: PixelRect[] = [];
  let edits = 0;
  s.onRegionChanged((r) => regions.push(r));
  s.onEdit = () => edits++;
  s.load(createLabelMaps(width, height));
  regions.length = 0;
  return { s, regions, edits: () => edits };
}

describe('annotation session', () => {
  it('paints class and instance together; each object stroke gets its own id in instance mode', () => {
    const { s, edits } = session();
    s.beginStroke({ x: 1.5, y: 1.5 }, 1, { cls: 2, newObject: true });
    s.extendStroke({ x: 3.5, y: 1.5 });
    expect(s.endStroke()).toBe(true);
    s.beginStroke({ x: 4.5, y: 1.5 }, 1, { cls: 2, newObject: true });
    s.endStroke();
    const m = s.maps!;
    expect([...m.classMap.subarray(8, 16)]).toEqual([0, 2, 2, 2, 2, 0, 0, 0]);
    expect([...m.instanceMap.subarray(8, 16)]).toEqual([0, 1, 1, 1, 2, 0, 0, 0]);
    expect(edits()).toBe(2);
    expect(s.revision).toBeGreaterThan(0);
  });

  it('without instance mode a stroke extends the object it starts on', () => {
    const { s } = session();
    s.beginStroke({ x: 1.5, y: 1.5 }, 1, { cls: 2, newObject: false });
    s.endStroke();
    s.beginStroke({ x: 1.5, y: 1.5 }, 1, { cls: 2, newObject: false });
    s.extendStroke({ x: 1.5, y: 3.5 });
    s.endStroke();
    expect(s.maps!.instanceMap[3 * 8 + 1]).toBe(1);
  });

  it('background and the eraser carry no instance', () => {
    const { s } = session();
    s.beginStroke({ x: 0.5, y: 0.5 }, 1, { cls: 2, newObject: true });
    s.endStroke();
    s.beginStroke({ x: 0.5, y: 0.5 }, 1, { cls: 1, newObject: true });
    s.endStroke();
    expect([s.maps!.classMap[0], s.maps!.instanceMap[0]]).toEqual([1, 0]);
    s.beginStroke({ x: 0.5, y: 0.5 }, 1, { cls: 0, newObject: true });
    s.endStroke();
    expect([s.maps!.classMap[0], s.maps!.instanceMap[0]]).toEqual([0, 0]);
  });

  it('undo and redo walk the strokes and report the changed region', () => {
    const { s, regions } = session();
    s.fill({ x: 0, y: 0 }, { cls: 1, newObject: true });
    s.polygon(
      [
        { x: 2, y: 2 },
        { x: 5, y: 2 },
        { x: 5, y: 5 },
        { x: 2, y: 5 },
      ],
      { cls: 3, newObject: true },
    );
    const painted = s.maps!.classMap.slice();
    expect(painted.filter((c) => c === 3).length).toBe(9);
    expect(painted.filter((c) => c === 1).length).toBe(55);
    regions.length = 0;
    expect(s.undo()).toBe(true);
    expect(regions).toEqual([{ x: 1, y: 1, width: 5, height: 5 }]);
    expect(s.maps!.classMap.every((c) => c === 1)).toBe(true);
    expect(s.undo()).toBe(true);
    expect(s.maps!.classMap.every((c) => c === 0)).toBe(true);
    expect(s.canUndo).toBe(false);
    expect(s.redo() && s.redo()).toBe(true);
    expect(s.maps!.classMap).toEqual(painted);
    expect(s.canRedo).toBe(false);
  });

  it('new objects get ids above every id in a loaded annotation', () => {
    const s = new AnnotationSession();
    const maps = createLabelMaps(4, 4);
    maps.classMap[0] = 2;
    maps.instanceMap[0] = 41;
    s.load(maps);
    s.beginStroke({ x: 3.5, y: 3.5 }, 1, { cls: 2, newObject: true });
    s.endStroke();
    expect(s.maps!.instanceMap[15]).toBe(42);
  });

  it('a flood fill takes only the 4-connected region of equal labels', () => {
    const { s } = session(5, 5);
    s.beginStroke({ x: 2.5, y: 0 }, 1, { cls: 2, newObject: true });
    s.extendStroke({ x: 2.5, y: 4.9 });
    s.endStroke();
    s.fill({ x: 0, y: 0 }, { cls: 1, newObject: true });
    const m = s.maps!.classMap;
    for (let y = 0; y < 5; y++) expect([...m.subarray(y * 5, y * 5 + 5)]).toEqual([1, 1, 2, 0, 0]);
  });

  it('marks the tiles each edit changed (undo and redo too) on an image of many tiles', () => {
    const { s } = session(2000, 1000);
    const dirty = s.dirty!;
    s.beginStroke({ x: 10.5, y: 10.5 }, 9, { cls: 2, newObject: true });
    s.extendStroke({ x: 1990.5, y: 10.5 });
    s.endStroke();
    // One row of tiles, 8 across: the stroke crossed every one.
    expect(dirty.take().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // A vertical stroke down one column of tiles.
    s.beginStroke({ x: 600.5, y: 900.5 }, 3, { cls: 2, newObject: false });
    s.extendStroke({ x: 600.5, y: 600.5 });
    s.endStroke();
    expect(dirty.take().sort((a, b) => a - b)).toEqual([2 * 8 + 2, 3 * 8 + 2]);
    expect(s.undo()).toBe(true);
    expect(dirty.take().sort((a, b) => a - b)).toEqual([2 * 8 + 2, 3 * 8 + 2]);
    expect(s.maps!.classMap[700 * 2000 + 600]).toBe(0);
    expect(s.redo()).toBe(true);
    expect(s.maps!.classMap[700 * 2000 + 600]).toBe(2);
    dirty.restore([5]);
    expect(dirty.take().sort((a, b) => a - b)).toEqual([5, 2 * 8 + 2, 3 * 8 + 2]);
  });

  it('records strokes far apart on a large image exactly (stamps are kept per block)', () => {
    const { s } = session(4096, 4096);
    s.beginStroke({ x: 5.5, y: 5.5 }, 1, { cls: 2, newObject: true });
    s.extendStroke({ x: 4090.5, y: 4090.5 });
    s.extendStroke({ x: 5.5, y: 5.5 }); // back over the same pixels: each recorded once
    expect(s.finishStroke()).toBe('changed');
    const painted = s.maps!.classMap.reduce((n, v) => n + (v === 2 ? 1 : 0), 0);
    expect(painted).toBe(4086);
    expect(s.undo()).toBe(true);
    expect(s.maps!.classMap.every((v) => v === 0)).toBe(true);
    s.beginStroke({ x: -50, y: -50 }, 5, { cls: 2, newObject: true });
    s.extendStroke({ x: -10, y: -60 });
    expect(s.finishStroke()).toBe('outside');
    expect(s.canRedo).toBe(true);
  });
});

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
});

import { describe, expect, it } from 'vitest';
import { createLabelMaps } from '../../../src-renderer/src/lib/annotate/label-maps';
import { applyDiff, diffBytes, StrokeRecorder, type StrokeDiff } from '../../../src-renderer/src/lib/annotate/stroke-diff';
import { UndoStack } from '../../../src-renderer/src/lib/annotate/undo-stack';

function strokeOf(maps: ReturnType<typeof createLabelMaps>, pixels: number[], cls: number, instance: number): StrokeDiff {
  const recorder = new StrokeRecorder(maps);
  recorder.begin();
  for (const i of pixels) recorder.paint(i, cls, instance);
  return recorder.end()!;
}

describe('stroke recorder', () => {
  it('keeps the first old value of each pixel and the final new value', () => {
    const maps = createLabelMaps(4, 4);
    maps.classMap[5] = 1;
    const recorder = new StrokeRecorder(maps);
    recorder.begin();
    recorder.paint(5, 2, 7);
    recorder.paint(5, 3, 8);
    recorder.paint(6, 2, 7);
    const diff = recorder.end()!;
    expect([...diff.indices]).toEqual([5, 6]);
    expect([...diff.oldClass]).toEqual([1, 0]);
    expect([...diff.newClass]).toEqual([3, 2]);
    expect([...diff.oldInstance]).toEqual([0, 0]);
    expect([...diff.newInstance]).toEqual([8, 7]);
    expect(diff.bounds).toEqual({ x: 1, y: 1, width: 2, height: 1 });
  });

  it('stores only changed pixels, and nothing for a stroke that changed nothing in the end', () => {
    const maps = createLabelMaps(3, 3);
    const recorder = new StrokeRecorder(maps);
    recorder.begin();
    expect(recorder.paint(0, 0, 0)).toBe(false);
    recorder.paint(1, 2, 1);
    recorder.paint(1, 0, 0); // painted back
    expect(recorder.end()).toBeNull();
  });

  it('starts each stroke afresh', () => {
    const maps = createLabelMaps(3, 3);
    const first = strokeOf(maps, [0, 1], 2, 1);
    const second = strokeOf(maps, [1, 2], 3, 2);
    expect([...first.indices]).toEqual([0, 1]);
    expect([...second.indices]).toEqual([1, 2]);
    expect([...second.oldClass]).toEqual([2, 0]);
  });
});

describe('undo stack over stroke diffs', () => {
  it('undo restores the maps and redo re-applies, stroke by stroke', () => {
    const maps = createLabelMaps(4, 1);
    const stack = new UndoStack();
    stack.push(strokeOf(maps, [0, 1], 2, 1));
    stack.push(strokeOf(maps, [1, 2], 3, 2));
    expect([...maps.classMap]).toEqual([2, 3, 3, 0]);

    applyDiff(maps, stack.undo()!, 'undo');
    expect([...maps.classMap]).toEqual([2, 2, 0, 0]);
    expect([...maps.instanceMap]).toEqual([1, 1, 0, 0]);
    applyDiff(maps, stack.undo()!, 'undo');
    expect([...maps.classMap]).toEqual([0, 0, 0, 0]);
    expect(stack.undo()).toBeUndefined();
    expect(stack.canUndo).toBe(false);

    applyDiff(maps, stack.redo()!, 'redo');
    applyDiff(maps, stack.redo()!, 'redo');
    expect([...maps.classMap]).toEqual([2, 3, 3, 0]);
    expect([...maps.instanceMap]).toEqual([1, 2, 2, 0]);
    expect(stack.redo()).toBeUndefined();
  });

  it('a new stroke after undo clears the redo side', () => {
    const maps = createLabelMaps(4, 1);
    const stack = new UndoStack();
    stack.push(strokeOf(maps, [0], 2, 1));
    applyDiff(maps, stack.undo()!, 'undo');
    expect(stack.canRedo).toBe(true);
    stack.push(strokeOf(maps, [3], 2, 2));
    expect(stack.canRedo).toBe(false);
    expect(stack.undoDepth).toBe(1);
  });

  it('drops the oldest strokes beyond the byte budget but always keeps the newest', () => {
    const maps = createLabelMaps(100, 1);
    const one = strokeOf(maps, [0, 1, 2, 3], 2, 1);
    const size = diffBytes(one);
    const stack = new UndoStack(size * 2);
    stack.push(one);
    stack.push(strokeOf(maps, [4, 5, 6, 7], 2, 2));
    stack.push(strokeOf(maps, [8, 9, 10, 11], 2, 3));
    expect(stack.undoDepth).toBe(2);
    expect(stack.sizeBytes).toBe(size * 2);
    const tiny = new UndoStack(1);
    tiny.push(strokeOf(maps, [20, 21], 2, 4));
    expect(tiny.undoDepth).toBe(1);
  });

  it('stores diffs, not copies of the maps', () => {
    const maps = createLabelMaps(1024, 1024);
    const diff = strokeOf(maps, [10, 11, 12], 2, 1);
    // 3 pixels: indices, old/new class, old/new instance.
    expect(diffBytes(diff)).toBe(3 * 4 + 3 * 2 + 3 * 8);
  });
});

describe('stroke recorder at scale', () => {
  it('records a stroke larger than its initial buffers', () => {
    const maps = createLabelMaps(300, 300);
    const recorder = new StrokeRecorder(maps);
    recorder.begin();
    for (let i = 0; i < 90_000; i++) recorder.paint(i, 1, 0);
    const diff = recorder.end()!;
    expect(diff.indices.length).toBe(90_000);
    expect(diff.indices[89_999]).toBe(89_999);
    expect(diff.newClass.every((c) => c === 1)).toBe(true);
    expect(diff.bounds).toEqual({ x: 0, y: 0, width: 300, height: 300 });
    applyDiff(maps, diff, 'undo');
    expect(maps.classMap.every((c) => c === 0)).toBe(true);
  });
});

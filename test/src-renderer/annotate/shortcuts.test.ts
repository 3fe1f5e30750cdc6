import { describe, expect, it } from 'vitest';
import { shortcutFor, stepBrushSize } from '../../../src-renderer/src/lib/annotate/shortcuts';

const key = (k: string, mods: Partial<{ ctrlKey: boolean; shiftKey: boolean; metaKey: boolean; altKey: boolean }> = {}) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

describe('annotate shortcuts', () => {
  it('binds the tools, sizes, classes and help', () => {
    expect(shortcutFor(key('b'))).toEqual({ kind: 'tool', tool: 'brush' });
    expect(shortcutFor(key('E', { shiftKey: true }))).toEqual({ kind: 'tool', tool: 'eraser' });
    expect(shortcutFor(key('f'))).toEqual({ kind: 'tool', tool: 'fill' });
    expect(shortcutFor(key('p'))).toEqual({ kind: 'tool', tool: 'polygon' });
    expect(shortcutFor(key('['))).toEqual({ kind: 'size', delta: -1 });
    expect(shortcutFor(key(']'))).toEqual({ kind: 'size', delta: 1 });
    expect(shortcutFor(key('3'))).toEqual({ kind: 'class', value: 3 });
    expect(shortcutFor(key('?', { shiftKey: true }))).toEqual({ kind: 'help' });
  });

  it('binds undo and redo with Ctrl (or Cmd)', () => {
    expect(shortcutFor(key('z', { ctrlKey: true }))).toEqual({ kind: 'undo' });
    expect(shortcutFor(key('Z', { ctrlKey: true, shiftKey: true }))).toEqual({ kind: 'redo' });
    expect(shortcutFor(key('z', { metaKey: true }))).toEqual({ kind: 'undo' });
    expect(shortcutFor(key('y', { ctrlKey: true }))).toEqual({ kind: 'redo' });
    expect(shortcutFor(key('b', { ctrlKey: true }))).toBeNull();
  });

  it('steps through the data set and toggles the prediction layer', () => {
    expect(shortcutFor(key('d'))).toEqual({ kind: 'image', direction: 'next', unannotated: false });
    expect(shortcutFor(key('PageDown'))).toEqual({ kind: 'image', direction: 'next', unannotated: false });
    expect(shortcutFor(key('a'))).toEqual({ kind: 'image', direction: 'previous', unannotated: false });
    expect(shortcutFor(key('PageUp'))).toEqual({ kind: 'image', direction: 'previous', unannotated: false });
    expect(shortcutFor(key('n'))).toEqual({ kind: 'image', direction: 'next', unannotated: true });
    expect(shortcutFor(key('l'))).toEqual({ kind: 'toggle-prediction' });
    // Frames of a stack keep their keys.
    expect(shortcutFor(key('.'))).toEqual({ kind: 'frame', delta: 1 });
  });

  it('leaves Alt combinations to the app shell', () => {
    expect(shortcutFor(key('2', { altKey: true }))).toBeNull();
  });

  it('steps brush sizes', () => {
    expect(stepBrushSize(5, 1)).toBe(6);
    expect(stepBrushSize(5, -1)).toBe(4);
    expect(stepBrushSize(7, 1)).toBe(8);
    expect(stepBrushSize(7, -1)).toBe(6);
    expect(stepBrushSize(1, -1)).toBe(1);
    expect(stepBrushSize(200, 1)).toBe(200);
  });
});

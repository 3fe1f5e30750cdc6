import { describe, expect, it } from 'vitest';
import { defaultClassColor } from '../../../src-shared/contract/class-colors';
import { createLabelMaps } from '../../../src-renderer/src/lib/annotate/label-maps';
import { renderLabelOverlay } from '../../../src-renderer/src/lib/annotate/overlay-render';
import { addClass, classColorTable, nextClassValue, paintableClasses, updateClass } from '../../../src-renderer/src/lib/annotate/palette';

const classes = [
  { value: 1, name: 'background', color: '#0000ff' },
  { value: 2, name: 'cell', color: '#ff0000' },
];

describe('palette', () => {
  it('offers unlabeled, background and the classes, and adds classes with the next free value', () => {
    expect(paintableClasses(classes).map((c) => c.value)).toEqual([0, 1, 2]);
    expect(nextClassValue(classes)).toBe(3);
    const more = addClass(classes, '  nucleus ');
    expect(more[2]).toMatchObject({ value: 3, name: 'nucleus' });
    expect(more[2].color).toMatch(/^#[0-9a-f]{6}$/);
    expect(() => addClass(classes, '   ')).toThrow();
    expect(updateClass(more, 3, { name: 'nuclei' })[2].name).toBe('nuclei');
    expect(updateClass(more, 3, { name: '' })[2].name).toBe('nucleus');
  });

  it('gives a new class the colour an import gives it', () => {
    let palette = classes;
    for (let i = 0; i < 9; i++) palette = addClass(palette, `class ${i}`);
    expect(palette.slice(2).map((c) => c.color)).toEqual(palette.slice(2).map((c) => defaultClassColor(c.value)));
    expect(palette.find((c) => c.value === 9)?.color).toBe('#718096');
    expect(paintableClasses([])[1].color).toBe(defaultClassColor(1));
  });

  it('builds an RGBA table with class 0 transparent', () => {
    const table = classColorTable(classes);
    expect([...table.subarray(0, 4)]).toEqual([0, 0, 0, 0]);
    expect([...table.subarray(4, 8)]).toEqual([0, 0, 255, 255]);
    expect([...table.subarray(8, 12)]).toEqual([255, 0, 0, 255]);
    expect([...table.subarray(36, 40)]).toEqual([160, 160, 160, 255]);
  });
});

describe('label overlay', () => {
  it('colours classes and lightens the border between touching objects', () => {
    const maps = createLabelMaps(4, 1);
    maps.classMap.set([1, 2, 2, 2]);
    maps.instanceMap.set([0, 1, 2, 2]);
    const out = new Uint8ClampedArray(16).fill(9);
    renderLabelOverlay(maps, classColorTable(classes), { x: 0, y: 0, width: 4, height: 1 }, out, true);
    expect([...out.subarray(0, 4)]).toEqual([0, 0, 255, 255]);
    // Objects 1 and 2 touch: both border pixels are lightened; the last pixel of object 2 is inside.
    expect([...out.subarray(4, 8)]).toEqual([255, 170, 170, 255]);
    expect([...out.subarray(8, 12)]).toEqual([255, 170, 170, 255]);
    expect([...out.subarray(12, 16)]).toEqual([255, 0, 0, 255]);
    const plain = new Uint8ClampedArray(16);
    renderLabelOverlay(maps, classColorTable(classes), { x: 0, y: 0, width: 4, height: 1 }, plain, false);
    expect([...plain.subarray(4, 8)]).toEqual([255, 0, 0, 255]);
  });

  it('writes only inside the rect and clears unlabeled pixels', () => {
    const maps = createLabelMaps(3, 3);
    const out = new Uint8ClampedArray(36).fill(7);
    renderLabelOverlay(maps, classColorTable(classes), { x: 1, y: 1, width: 1, height: 1 }, out, true);
    expect(out[4 * 4 + 3]).toBe(0);
    expect(out[0]).toBe(7);
    expect(out[8 * 4 + 3]).toBe(7);
  });

  it('writes into a buffer of just the rect, as a whole-image buffer would hold it there', () => {
    const maps = createLabelMaps(5, 4);
    maps.classMap.set([2, 2, 1, 1, 0], 5);
    maps.instanceMap.set([3, 4, 0, 0, 0], 5);
    const whole = new Uint8ClampedArray(5 * 4 * 4);
    renderLabelOverlay(maps, classColorTable(classes), { x: 0, y: 0, width: 5, height: 4 }, whole, true);
    const rect = { x: 1, y: 1, width: 3, height: 2 };
    const part = new Uint8ClampedArray(3 * 2 * 4);
    renderLabelOverlay(maps, classColorTable(classes), rect, part, true, 'rect');
    for (let y = 0; y < 2; y++) expect([...part.subarray(y * 12, y * 12 + 12)]).toEqual([...whole.subarray(((y + 1) * 5 + 1) * 4, ((y + 1) * 5 + 4) * 4)]);
  });
});

import { describe, expect, it } from 'vitest';
import { UnetError } from '../../../src-shared/contract/errors';
import { withBorderClass } from '../../../src-shared/imaging/border-class';
import { separationBorders } from '../../../src-shared/imaging/separation-borders';

const BORDER = 3;

/** Rows of digits -> maps: an object id per pixel (class 2), '.' background, '?' unlabelled. */
function parse(rows: string[]) {
  const w = rows[0].length;
  const h = rows.length;
  const chars = rows.join('');
  const instances = new Uint16Array(w * h).map((_, i) => (/\d/.test(chars[i]) ? Number(chars[i]) : 0));
  const classMap = new Uint8Array(w * h).map((_, i) => (chars[i] === '?' ? 0 : instances[i] ? 2 : 1));
  return { classMap, instances, w, h };
}

/** Target rows: 'o' object interior, 'b' border, '.' background, '?' unlabelled. */
function show(target: Uint8Array, w: number): string[] {
  const symbol = ['?', '.', 'o', 'b'];
  const rows: string[] = [];
  for (let i = 0; i < target.length; i += w) rows.push(Array.from(target.subarray(i, i + w), (c) => symbol[c]).join(''));
  return rows;
}

function target(rows: string[], gap = 2): string[] {
  const { classMap, instances, w, h } = parse(rows);
  const separated = separationBorders(classMap, instances, w, h, gap);
  return show(withBorderClass(classMap, separated.classMap, separated.instanceMap, w, h, BORDER), w);
}

describe('withBorderClass', () => {
  it('outlines a lone object and keeps its interior', () => {
    expect(target(['.......', '.11111.', '.11111.', '.11111.', '.......'])).toEqual(['.......', '.bbbbb.', '.booob.', '.bbbbb.', '.......']);
  });

  it('turns the gap between touching objects into border, and the pixels beside it', () => {
    // Gap 2 takes one column from each object; the next column of each touches the gap.
    expect(target(['11112222', '11112222', '11112222'])).toEqual(['oobbbboo', 'oobbbboo', 'oobbbboo']);
  });

  it('makes no border against unlabelled pixels or the image edge', () => {
    expect(target(['???', '?1?', '?1?', '???'])).toEqual(['???', '?o?', '?o?', '???']);
    expect(target(['111', '111'])).toEqual(['ooo', 'ooo']);
  });

  it('outlines objects painted without ids, one object per class', () => {
    const w = 4;
    const classMap = Uint8Array.from([1, 2, 2, 1]);
    const none = new Uint16Array(w);
    expect(show(withBorderClass(classMap, classMap, none, w, 1, BORDER), w)).toEqual(['.bb.']);
    // Two classes side by side without ids: each pixel borders the other class.
    const twoClasses = Uint8Array.from([2, 2, 4, 4]);
    expect(Array.from(withBorderClass(twoClasses, twoClasses, none, w, 1, 5))).toEqual([2, 5, 5, 4]);
  });

  it('leaves its inputs alone and refuses bad arguments', () => {
    const { classMap, instances, w, h } = parse(['.1.', '.1.']);
    const before = classMap.slice();
    withBorderClass(classMap, classMap, instances, w, h, BORDER);
    expect(classMap).toEqual(before);
    expect(() => withBorderClass(classMap, classMap, instances, w, h, 1)).toThrow(UnetError);
    expect(() => withBorderClass(classMap, classMap, instances, w, h, 2.5)).toThrow(/borderClass/);
    expect(() => withBorderClass(classMap, classMap.subarray(1), instances, w, h, BORDER)).toThrow(UnetError);
  });
});

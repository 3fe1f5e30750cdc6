import { describe, expect, it } from 'vitest';
import { separationBorders } from '../../../src-shared/imaging/separation-borders';
import { UnetError } from '../../../src-shared/contract/errors';

/** Rows of digits -> maps (class 2 where the instance is non-zero, background elsewhere). */
function parse(rows: string[]): { classMap: Uint8Array; instances: Uint16Array; w: number; h: number } {
  const w = rows[0].length;
  const h = rows.length;
  const instances = new Uint16Array(w * h).map((_, i) => Number(rows[Math.floor(i / w)][i % w]));
  const classMap = new Uint8Array(w * h).map((_, i) => (instances[i] ? 2 : 1));
  return { classMap, instances, w, h };
}

function show(instances: ArrayLike<number>, w: number): string[] {
  const rows: string[] = [];
  for (let i = 0; i < instances.length; i += w) rows.push(Array.from(instances).slice(i, i + w).join(''));
  return rows;
}

describe('separationBorders', () => {
  const touching = ['111222', '111222', '111222'];

  it('cuts a 2-pixel background line between touching objects', () => {
    const { classMap, instances, w, h } = parse(touching);
    const out = separationBorders(classMap, instances, w, h, 2);
    expect(show(out.instanceMap, w)).toEqual(['110022', '110022', '110022']);
    expect(Array.from(out.classMap.subarray(0, 6))).toEqual([2, 2, 1, 1, 2, 2]);
    expect(out.instanceMap).toBeInstanceOf(Uint16Array);
    expect(show(instances, w)).toEqual(touching); // input untouched
  });

  it('takes odd gaps from the larger id', () => {
    const { classMap, instances, w, h } = parse(touching);
    expect(show(separationBorders(classMap, instances, w, h, 1).instanceMap, w)).toEqual(['111022', '111022', '111022']);
    expect(show(separationBorders(classMap, instances, w, h, 3).instanceMap, w)).toEqual(['110002', '110002', '110002']);
    expect(show(separationBorders(classMap, instances, w, h, 0).instanceMap, w)).toEqual(touching);
  });

  it('separates diagonal contacts and leaves distant or single objects alone', () => {
    const diag = parse(['1100', '1100', '0022', '0022']);
    expect(show(separationBorders(diag.classMap, diag.instances, 4, 4).instanceMap, 4)).toEqual([
      '1100',
      '1000',
      '0002',
      '0022',
    ]);
    const apart = parse(['11022', '11022']);
    expect(show(separationBorders(apart.classMap, apart.instances, 5, 2).instanceMap, 5)).toEqual(['11022', '11022']);
  });

  it('rejects bad input', () => {
    const { classMap, instances } = parse(touching);
    expect(() => separationBorders(classMap, instances, 5, 3)).toThrow(UnetError);
    expect(() => separationBorders(classMap, instances, 6, 3, -1)).toThrow(UnetError);
  });
});

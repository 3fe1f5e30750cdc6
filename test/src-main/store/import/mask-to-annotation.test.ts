import { describe, expect, it } from 'vitest';
import { maskToAnnotation } from '../../../../src-main/store/import/mask-to-annotation';

const mask = (rows: number[][], channels = 1) => ({
  width: rows[0].length,
  height: rows.length,
  channels,
  data: rows.flat().flatMap((v) => Array.from({ length: channels }, (_, c) => (c === 0 ? v : 77))),
});

describe('maskToAnnotation', () => {
  it('reads a {0,255} mask as binary with 4-connected instances', () => {
    const result = maskToAnnotation(
      mask([
        [255, 255, 0, 0],
        [0, 0, 255, 0],
        [0, 0, 255, 255],
      ]),
    );
    expect(result.kind).toBe('binary');
    expect(result.instanceCount).toBe(2);
    expect([...result.classMap]).toEqual([2, 2, 1, 1, 1, 1, 2, 1, 1, 1, 2, 2]);
    // Diagonal neighbours are separate objects under 4-connectivity.
    expect([...result.instanceMap]).toEqual([1, 1, 0, 0, 0, 0, 2, 0, 0, 0, 2, 2]);
  });

  it('reads a {0,1} mask as binary, using the first channel of a multi-channel file', () => {
    const result = maskToAnnotation(
      mask(
        [
          [1, 0, 1],
          [1, 0, 1],
        ],
        3,
      ),
    );
    expect(result.kind).toBe('binary');
    expect([...result.instanceMap]).toEqual([1, 0, 2, 1, 0, 2]);
    expect([...result.classMap]).toEqual([2, 1, 2, 2, 1, 2]);
  });

  it('keeps the ids of an instance label image, touching objects included', () => {
    const result = maskToAnnotation(
      mask([
        [0, 7, 7, 12],
        [0, 7, 12, 12],
        [300, 0, 0, 0],
      ]),
    );
    expect(result.kind).toBe('instances');
    expect(result.instanceCount).toBe(3);
    expect([...result.instanceMap]).toEqual([0, 7, 7, 12, 0, 7, 12, 12, 300, 0, 0, 0]);
    expect([...result.classMap]).toEqual([1, 2, 2, 2, 1, 2, 2, 2, 2, 1, 1, 1]);
  });

  it('treats {0,1,255} and {1,2} as labels, an empty mask as all background', () => {
    expect(maskToAnnotation(mask([[0, 1, 255]])).kind).toBe('instances');
    expect(maskToAnnotation(mask([[1, 2, 2]])).kind).toBe('instances');
    const empty = maskToAnnotation(mask([[0, 0, 0]]));
    expect(empty).toMatchObject({ kind: 'binary', instanceCount: 0 });
    expect([...empty.classMap]).toEqual([1, 1, 1]);
  });

  it('refuses masks that are not integer labels', () => {
    expect(() => maskToAnnotation(mask([[0, 0.5]]))).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
    expect(() => maskToAnnotation(mask([[0, -3]]))).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
    expect(() => maskToAnnotation({ width: 2, height: 2, channels: 1, data: [0, 1] })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

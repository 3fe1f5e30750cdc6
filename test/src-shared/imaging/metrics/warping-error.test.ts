import { describe, expect, it } from 'vitest';
import { SIMPLE_POINT_4_8, warpingError } from '../../../../src-shared/imaging/metrics/warping-error';

const grid = (rows: string[]) => Uint8Array.from(rows.join('').split('').map(Number));

describe('simple points (4, 8)', () => {
  it('knows the basic cases', () => {
    expect(SIMPLE_POINT_4_8[0]).toBe(0); // isolated pixel: deleting it deletes an object
    expect(SIMPLE_POINT_4_8[255]).toBe(0); // interior pixel: deleting it opens a hole
    expect(SIMPLE_POINT_4_8[0b10000000]).toBe(1); // end of a line (left neighbour only)
    expect(SIMPLE_POINT_4_8[0b10001000]).toBe(0); // middle of a horizontal line: would split it
    expect(SIMPLE_POINT_4_8[0b00000001]).toBe(0); // only a diagonal neighbour: not 4-connected to p
  });
});

describe('warpingError', () => {
  it('is 0 for identical maps and for boundary shifts that keep topology', () => {
    const truth = grid(['0000000', '0111110', '0111110', '0111110', '0000000']);
    expect(warpingError(truth, truth, 7, 5).mismatches).toBe(0);
    const shifted = grid(['0000000', '0011111', '0011111', '0111111', '0000000']);
    const r = warpingError(shifted, truth, 7, 5);
    expect(r.mismatches).toBe(0);
    expect(Array.from(r.warped)).toEqual(Array.from(shifted));
  });

  it('leaves one pixel for a split of an object by a predicted line', () => {
    const truth = grid(['0000000', '0111110', '0111110', '0111110', '0000000']);
    const pred = grid(['0000000', '0110110', '0110110', '0110110', '0000000']);
    const r = warpingError(pred, truth, 7, 5);
    expect(r.mismatches).toBe(1);
    expect(r.warpingError).toBeCloseTo(1 / 35, 12);
  });

  it('counts every bridge pixel of a merge (none is simple) and one pixel for a missed object', () => {
    const truth = grid(['0000000', '0110110', '0110110', '0000000']);
    const merged = grid(['0000000', '0111110', '0111110', '0000000']);
    expect(warpingError(merged, truth, 7, 4).mismatches).toBe(2);
    const thinBridge = grid(['0000000', '0111110', '0110110', '0000000']);
    expect(warpingError(thinBridge, truth, 7, 4).mismatches).toBe(1);
    const missed = grid(['0000000', '0110000', '0110000', '0000000']);
    expect(warpingError(missed, truth, 7, 4).mismatches).toBe(1);
  });
});

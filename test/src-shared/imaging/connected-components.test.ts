import { describe, expect, it } from 'vitest';
import {
  connectedComponents,
  instancesFromBinary,
  relabelSequential,
} from '../../../src-shared/imaging/connected-components';
import { UnetError } from '../../../src-shared/contract/errors';

const grid = (rows: string[]) => Uint8Array.from(rows.join('').split('').map(Number));

describe('connectedComponents', () => {
  const mask = grid(['1100', '0011', '1001', '1000']);

  it('labels 4-connected components in raster order of their first pixel', () => {
    const { labels, count } = connectedComponents(mask, 4, 4, 4);
    expect(count).toBe(3);
    expect(Array.from(labels)).toEqual([1, 1, 0, 0, 0, 0, 2, 2, 3, 0, 0, 2, 3, 0, 0, 0]);
  });

  it('joins diagonal neighbours with 8-connectivity', () => {
    const { labels, count } = connectedComponents(mask, 4, 4, 8);
    expect(count).toBe(2);
    expect(Array.from(labels)).toEqual([1, 1, 0, 0, 0, 0, 1, 1, 2, 0, 0, 1, 2, 0, 0, 0]);
  });

  it('merges U shapes whose arms meet late (union-find)', () => {
    const u = grid(['10101', '10101', '11111']);
    const { labels, count } = connectedComponents(u, 5, 3);
    expect(count).toBe(1);
    expect(new Set(labels)).toEqual(new Set([0, 1]));
  });

  it('splits by value with sameValue', () => {
    const inst = Uint16Array.from([5, 5, 7, 7, 0, 5]);
    const { labels, count } = connectedComponents(inst, 3, 2, 4, { sameValue: true });
    // 5 5 7 / 7 0 5: the two 7s and the two 5-groups touch only diagonally or not at all.
    expect(count).toBe(4);
    expect(Array.from(labels)).toEqual([1, 1, 2, 3, 0, 4]);
    expect(connectedComponents(Uint16Array.from([5, 5, 5, 7]), 2, 2, 4, { sameValue: true }).count).toBe(2);
  });

  it('handles checkerboards (many provisional labels) and rejects bad input', () => {
    const n = 64;
    const checker = new Uint8Array(n * n).map((_, i) => ((i % n) + Math.floor(i / n)) % 2);
    expect(connectedComponents(checker, n, n, 4).count).toBe((n * n) / 2);
    expect(connectedComponents(checker, n, n, 8).count).toBe(1);
    expect(() => connectedComponents(mask, 4, 3)).toThrow(UnetError);
    expect(() => connectedComponents(mask, 4, 4, 6 as 4)).toThrow(UnetError);
  });
});

describe('relabelSequential / instancesFromBinary', () => {
  it('relabels values in ascending order', () => {
    const r = relabelSequential(Uint32Array.from([0, 40, 7, 40, 99]));
    expect(Array.from(r.labels)).toEqual([0, 2, 1, 2, 3]);
    expect(r.count).toBe(3);
    expect(Array.from(r.values)).toEqual([0, 7, 40, 99]);
  });

  it('drops components smaller than minSize', () => {
    const m = grid(['1101', '1101', '0010']);
    const r = instancesFromBinary(m, 4, 3, { minSize: 2 });
    expect(r.count).toBe(2);
    expect(Array.from(r.labels)).toEqual([1, 1, 0, 2, 1, 1, 0, 2, 0, 0, 0, 0]);
    expect(instancesFromBinary(m, 4, 3).count).toBe(3);
    expect(() => instancesFromBinary(m, 4, 3, { minSize: -1 })).toThrow(UnetError);
  });
});

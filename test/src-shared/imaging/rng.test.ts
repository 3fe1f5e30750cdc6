import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src-shared/imaging/rng';
import { UnetError } from '../../../src-shared/contract/errors';

describe('createRng', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const sa = Array.from({ length: 20 }, () => a.next());
    const sb = Array.from({ length: 20 }, () => b.next());
    const sc = Array.from({ length: 20 }, () => c.next());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
  });

  it('gives uniform values in [0, 1) with the right mean and variance', () => {
    const rng = createRng(1);
    const n = 100_000;
    let sum = 0;
    let sum2 = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const v = rng.next();
      if (!(v >= 0 && v < 1)) outside++;
      sum += v;
      sum2 += v * v;
    }
    expect(outside).toBe(0);
    expect(sum / n).toBeCloseTo(0.5, 2);
    expect(sum2 / n - (sum / n) ** 2).toBeCloseTo(1 / 12, 2);
  });

  it('gives standard normals', () => {
    const rng = createRng(7);
    const n = 100_000;
    let sum = 0;
    let sum2 = 0;
    let within1 = 0;
    for (let i = 0; i < n; i++) {
      const v = rng.normal();
      sum += v;
      sum2 += v * v;
      if (Math.abs(v) < 1) within1++;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.02);
    expect(sum2 / n).toBeCloseTo(1, 1);
    expect(within1 / n).toBeCloseTo(0.6827, 2);
  });

  it('int(n) covers 0..n-1 evenly', () => {
    const rng = createRng(3);
    const counts = new Array(8).fill(0);
    for (let i = 0; i < 80_000; i++) counts[rng.int(8)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    expect(rng.int(1)).toBe(0);
  });

  it('rejects bad arguments with UnetError', () => {
    expect(() => createRng(Number.NaN)).toThrow(UnetError);
    const rng = createRng(0);
    expect(() => rng.int(0)).toThrow(UnetError);
    expect(() => rng.int(2.5)).toThrow(UnetError);
  });

  it('accepts non-integer and large seeds deterministically', () => {
    expect(createRng(0.5).next()).toBe(createRng(0.5).next());
    expect(createRng(2 ** 40).next()).toBe(createRng(2 ** 40).next());
    expect(createRng(0.5).next()).not.toBe(createRng(0.25).next());
  });

  it('fork gives a reproducible independent stream', () => {
    const a = createRng(9).fork();
    const b = createRng(9).fork();
    expect(a.next()).toBe(b.next());
    const parent = createRng(9);
    const child = parent.fork();
    expect(child.next()).not.toBe(parent.next());
  });
});

import { describe, expect, it } from 'vitest';
import { BACKGROUND_CLASS, UNLABELED_CLASS } from '../../src-shared/contract/records';
import { ignoreUnannotatedCells, partialByDefault } from '../../scripts/bench/lib/partial-annotations';

describe('bench:paper partial masks', () => {
  it('are the default for the Cell Tracking Challenge folders, whatever the run is called', () => {
    expect(partialByDefault('../shared/data/dic-hela')).toBe(true);
    expect(partialByDefault('/data/PhC-U373/')).toBe(true);
    expect(partialByDefault('../shared/data/isbi2012')).toBe(false);
    expect(partialByDefault('../shared/data/dsb2018')).toBe(false);
  });

  it('set textured background far from annotated cells aside and keep flat background and the ring around cells', () => {
    const w = 64;
    const h = 32;
    const image = new Float32Array(w * h);
    const classMap = new Uint8Array(w * h).fill(BACKGROUND_CLASS);
    // An annotated cell at the left; textured (unannotated) cell matter at the right; flat medium between.
    for (let y = 10; y < 20; y++) for (let x = 4; x < 14; x++) classMap[y * w + x] = 2;
    for (let y = 0; y < h; y++) for (let x = 44; x < w; x++) image[y * w + x] = (x + y) % 2;
    const { classMap: out, ignored } = ignoreUnannotatedCells(image, classMap, w, h);
    expect(ignored).toBeGreaterThan(0);
    expect(out[15 * w + 54]).toBe(UNLABELED_CLASS);
    expect(out[15 * w + 30]).toBe(BACKGROUND_CLASS);
    expect(out[15 * w + 8]).toBe(2);
    // Only pixels whose texture window (radius 3) reaches the textured block are set aside.
    let inReach = 0;
    for (let i = 0; i < out.length; i++) if (out[i] === UNLABELED_CLASS) inReach += i % w >= 44 - 3 ? 1 : 0;
    expect(inReach).toBe(ignored);
  });
});

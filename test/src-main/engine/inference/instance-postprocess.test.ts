import { describe, expect, it } from 'vitest';
import { instancesFromForeground } from '../../../../src-main/engine/inference/instance-postprocess';

const W = 48;
const H = 32;

/** Two discs of radius 7 whose centres are 16 px apart, joined by a 3-px bridge; a 2x2 speck far away. */
function scene() {
  const mask = new Uint8Array(W * H);
  const fg = new Float32Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const p = y * W + x;
      const inA = (x - 12) ** 2 + (y - 15) ** 2 <= 49;
      const inB = (x - 28) ** 2 + (y - 15) ** 2 <= 49;
      const bridge = x > 12 && x < 28 && Math.abs(y - 15) <= 1;
      if (inA || inB) {
        mask[p] = 1;
        fg[p] = 0.95;
      } else if (bridge) {
        mask[p] = 1;
        fg[p] = 0.6;
      }
    }
  }
  for (const p of [5 * W + 42, 5 * W + 43, 6 * W + 42, 6 * W + 43]) {
    mask[p] = 1;
    fg[p] = 0.9;
  }
  return { mask, fg };
}

const at = (labels: Int32Array, x: number, y: number) => labels[y * W + x];

describe('instance post-processing', () => {
  it('without parameters gives the connected components of the mask', () => {
    const { mask, fg } = scene();
    const { labels, count } = instancesFromForeground(mask, fg, W, H);
    expect(count).toBe(2);
    expect(at(labels, 12, 15)).toBe(at(labels, 28, 15));
    expect(at(labels, 42, 5)).not.toBe(at(labels, 12, 15));
  });

  it('splits touching objects with eroded seeds and regrows them inside the mask', () => {
    const { mask, fg } = scene();
    const { labels, count } = instancesFromForeground(mask, fg, W, H, { erosion: 2 });
    // The two discs, plus the speck kept as its own object although erosion removed its seed.
    expect(count).toBe(3);
    const a = at(labels, 12, 15);
    const b = at(labels, 28, 15);
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(0);
    expect(a).not.toBe(b);
    expect(at(labels, 42, 5)).not.toBe(a);
    expect(at(labels, 42, 5)).not.toBe(b);
    // Every mask pixel is labelled, nothing outside it is.
    for (let p = 0; p < W * H; p++) expect(labels[p] > 0).toBe(mask[p] === 1);
    // The bridge is shared at its middle: left half to A, right half to B.
    expect(at(labels, 15, 15)).toBe(a);
    expect(at(labels, 25, 15)).toBe(b);
  });

  it('splits at a low-confidence bridge with a probability threshold', () => {
    const { mask, fg } = scene();
    const { labels, count } = instancesFromForeground(mask, fg, W, H, { threshold: 0.8 });
    expect(count).toBe(3);
    expect(at(labels, 12, 15)).not.toBe(at(labels, 28, 15));
    for (let p = 0; p < W * H; p++) expect(labels[p] > 0).toBe(mask[p] === 1);
  });

  it('rejects bad parameters with typed errors', () => {
    const { mask, fg } = scene();
    expect(() => instancesFromForeground(mask, fg, W, H, { threshold: 1.5 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => instancesFromForeground(mask, fg, W, H, { erosion: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => instancesFromForeground(mask, undefined, W, H, { threshold: 0.5 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

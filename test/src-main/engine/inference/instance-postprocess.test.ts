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

describe('instance post-processing: watershed growth and minimum size', () => {
  /** Two overlapping discs merged into one mask blob; the probability dips along the line where they meet. */
  function touching() {
    const w = 40;
    const h = 24;
    const mask = new Uint8Array(w * h);
    const fg = new Float32Array(w * h);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const da = Math.hypot(x - 12, y - 12);
        const db = Math.hypot(x - 26, y - 12);
        if (da <= 8 || db <= 8) {
          mask[y * w + x] = 1;
          // Peaks at the centres, a valley at x = 19 where the discs meet.
          fg[y * w + x] = 0.55 + 0.4 * Math.min(1, Math.abs(x - 19) / 7);
        }
      }
    }
    return { mask, fg, w, h };
  }

  it('a watershed on the probability puts the border in the valley between the cells', () => {
    const { mask, fg, w, h } = touching();
    const { labels, count } = instancesFromForeground(mask, fg, w, h, { threshold: 0.8, growth: 'probability' });
    expect(count).toBe(2);
    const a = labels[12 * w + 12];
    const b = labels[12 * w + 26];
    expect(a).not.toBe(b);
    // Left of the valley belongs to the left cell, right of it to the right one.
    expect(labels[12 * w + 17]).toBe(a);
    expect(labels[12 * w + 21]).toBe(b);
    for (let p = 0; p < w * h; p++) expect(labels[p] > 0).toBe(mask[p] === 1);
  });

  it('a watershed on the distance map splits the two discs without a probability map', () => {
    const { mask, w, h } = touching();
    const { labels, count } = instancesFromForeground(mask, undefined, w, h, { erosion: 5, growth: 'distance' });
    expect(count).toBe(2);
    expect(labels[12 * w + 12]).not.toBe(labels[12 * w + 26]);
    expect(labels[12 * w + 15]).toBe(labels[12 * w + 12]);
    expect(labels[12 * w + 23]).toBe(labels[12 * w + 26]);
  });

  it('minSize drops small objects and renumbers the rest', () => {
    const { mask, fg } = scene();
    const all = instancesFromForeground(mask, fg, W, H, { erosion: 2 });
    const kept = instancesFromForeground(mask, fg, W, H, { erosion: 2, minSize: 5 });
    expect(all.count).toBe(3);
    expect(kept.count).toBe(2);
    expect(at(kept.labels, 42, 5)).toBe(0);
    expect(Math.max(...kept.labels)).toBe(2);
    expect(instancesFromForeground(mask, fg, W, H, { minSize: 5 }).count).toBe(1);
  });

  it('refuses an unknown growth and a bad minimum size', () => {
    const { mask, fg } = scene();
    expect(() => instancesFromForeground(mask, fg, W, H, { erosion: 1, growth: 'flood' as never })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => instancesFromForeground(mask, fg, W, H, { minSize: -2 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => instancesFromForeground(mask, undefined, W, H, { erosion: 1, growth: 'probability' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('instance post-processing: filling the background (objects that tile the image)', () => {
  /**
   * Two cells left and right of a vertical membrane (x = 9..10), as in EM: the mask leaves a wide gap
   * around the membrane (x = 6..13) and the probability is lowest on it.
   */
  function membrane() {
    const w = 20;
    const h = 8;
    const mask = new Uint8Array(w * h);
    const fg = new Float32Array(w * h);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        fg[y * w + x] = Math.min(1, Math.abs(x - 9.5) / 8);
        mask[y * w + x] = x < 6 || x > 13 ? 1 : 0;
      }
    }
    return { mask, fg, w, h };
  }

  it('grows the objects over every pixel and meets at the valley of the probability', () => {
    const { mask, fg, w, h } = membrane();
    const { labels, count } = instancesFromForeground(mask, fg, w, h, { fill: true, growth: 'probability' });
    expect(count).toBe(2);
    for (let p = 0; p < w * h; p++) expect(labels[p]).toBeGreaterThan(0);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) expect(labels[y * w + x]).toBe(x <= 9 ? labels[0] : labels[w - 1]);
    }
    // Without fill the gap stays background.
    const plain = instancesFromForeground(mask, fg, w, h, {});
    expect(plain.labels[3 * w + 8]).toBe(0);
  });

  it('drops small seeds before they grow, so a speck does not claim the background', () => {
    const { mask, fg, w, h } = membrane();
    mask[3 * w + 9] = 1;
    const specked = instancesFromForeground(mask, fg, w, h, { fill: true, growth: 'nearest' });
    expect(specked.count).toBe(3);
    const kept = instancesFromForeground(mask, fg, w, h, { fill: true, growth: 'nearest', minSize: 2 });
    expect(kept.count).toBe(2);
    for (let p = 0; p < w * h; p++) expect(kept.labels[p]).toBeGreaterThan(0);
  });

  it('fills from thresholded seeds too, and needs the probability for a watershed on it', () => {
    const { mask, fg, w, h } = membrane();
    const seeded = instancesFromForeground(mask, fg, w, h, { threshold: 0.9, fill: true });
    expect(seeded.count).toBe(2);
    expect(seeded.labels.every((l) => l > 0)).toBe(true);
    expect(() => instancesFromForeground(mask, undefined, w, h, { fill: true, growth: 'probability' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(instancesFromForeground(new Uint8Array(w * h), fg, w, h, { fill: true }).count).toBe(0);
  });
});

describe('instance post-processing: merging across confident borders', () => {
  /** One 30 x 10 object, foreground 0.9, with two cores of 0.99 at its ends: seeds p >= 0.95 split it in two. */
  function texturedObject() {
    const mask = new Uint8Array(W * H);
    const fg = new Float32Array(W * H);
    for (let y = 10; y < 20; y++) {
      for (let x = 8; x < 38; x++) {
        mask[y * W + x] = 1;
        fg[y * W + x] = x < 14 || x >= 32 ? 0.99 : 0.9;
      }
    }
    return { mask, fg };
  }

  it('joins seeds whose objects meet on confident foreground', () => {
    const { mask, fg } = texturedObject();
    expect(instancesFromForeground(mask, fg, W, H, { threshold: 0.95 }).count).toBe(2);
    const merged = instancesFromForeground(mask, fg, W, H, { threshold: 0.95, merge: 0.8 });
    expect(merged.count).toBe(1);
    for (let p = 0; p < W * H; p++) expect(merged.labels[p]).toBe(mask[p] === 1 ? 1 : 0);
    // Above the border's probability (0.9) the split stays.
    expect(instancesFromForeground(mask, fg, W, H, { threshold: 0.95, merge: 0.95 }).count).toBe(2);
  });

  it('keeps cells apart where their border dips, and renumbers what it merges', () => {
    const { mask, fg } = scene();
    // The discs meet on the bridge (0.6): merging at 0.8 keeps them, at 0.5 joins them; the speck stays alone.
    const kept = instancesFromForeground(mask, fg, W, H, { threshold: 0.8, merge: 0.8 });
    expect(kept.count).toBe(3);
    expect(at(kept.labels, 12, 15)).not.toBe(at(kept.labels, 28, 15));
    const joined = instancesFromForeground(mask, fg, W, H, { threshold: 0.8, merge: 0.5 });
    expect(joined.count).toBe(2);
    expect(at(joined.labels, 12, 15)).toBe(at(joined.labels, 28, 15));
    expect(new Set(joined.labels)).toEqual(new Set([0, 1, 2]));
  });

  it('refuses a level outside [0, 1], and needs the probability map', () => {
    const { mask, fg } = texturedObject();
    expect(() => instancesFromForeground(mask, fg, W, H, { threshold: 0.95, merge: 1.2 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => instancesFromForeground(mask, undefined, W, H, { erosion: 2, merge: 0.8 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

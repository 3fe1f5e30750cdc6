import { UnetError } from '../contract/errors';
import { compactLabels } from './label-index';
import { assertImageSize, assertLength, assertNonNegativeInt } from './validate';

/**
 * Connected components by two-pass union-find. Labels are 1..count in raster order of each component's first
 * pixel (as scipy.ndimage.label); background (0) stays 0.
 */
export interface Components {
  labels: Int32Array;
  count: number;
}

export interface ComponentOptions {
  /** When true, neighbouring pixels join only if their values are equal (splits an instance map into pieces). */
  sameValue?: boolean;
}

function find(parent: Int32Array, x: number): number {
  while (parent[x] !== x) {
    parent[x] = parent[parent[x]];
    x = parent[x];
  }
  return x;
}

function union(parent: Int32Array, a: number, b: number): number {
  const ra = find(parent, a);
  const rb = find(parent, b);
  if (ra === rb) return ra;
  // The smaller root wins, so roots stay the earliest provisional label.
  if (ra < rb) {
    parent[rb] = ra;
    return ra;
  }
  parent[ra] = rb;
  return rb;
}

export function connectedComponents(
  mask: ArrayLike<number>,
  width: number,
  height: number,
  connectivity: 4 | 8 = 4,
  options: ComponentOptions = {},
): Components {
  assertImageSize(width, height);
  assertLength(mask, width * height, 'mask');
  if (connectivity !== 4 && connectivity !== 8) {
    throw new UnetError('INVALID_ARGUMENT', `connectivity must be 4 or 8, got ${connectivity}`);
  }
  const same = options.sameValue === true;
  const n = width * height;
  const labels = new Int32Array(n);
  // Provisional labels, grown on demand (a checkerboard needs one per foreground pixel).
  let parent = new Int32Array(Math.min(n + 1, 1024));
  let next = 1;
  // Previously visited neighbours: left, up, up-left, up-right (the last two only for 8-connectivity).
  const offsets = connectivity === 8 ? [1, width, width + 1, width - 1] : [1, width];
  const dxs = connectivity === 8 ? [-1, 0, -1, 1] : [-1, 0];
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      const v = mask[i];
      if (v === 0) continue;
      let label = 0;
      for (let k = 0; k < offsets.length; k++) {
        const nx = x + dxs[k];
        if (nx < 0 || nx >= width || (k > 0 && y === 0)) continue;
        const j = i - offsets[k];
        const lj = labels[j];
        if (lj === 0 || (same && mask[j] !== v)) continue;
        if (label === 0) label = find(parent, lj);
        else if (lj !== label) label = union(parent, label, lj);
      }
      if (label === 0) {
        if (next >= parent.length) {
          const grown = new Int32Array(Math.min(n + 1, parent.length * 2));
          grown.set(parent);
          parent = grown;
        }
        parent[next] = next;
        label = next++;
      }
      labels[i] = label;
    }
  }
  // Final labels in order of first appearance: provisional labels are created in raster order and the smaller
  // root always wins, so numbering the roots in increasing order gives raster order of first pixels.
  const final = new Int32Array(next);
  let count = 0;
  for (let l = 1; l < next; l++) {
    const r = find(parent, l);
    final[l] = r === l ? ++count : final[r];
  }
  for (let i = 0; i < n; i++) if (labels[i] !== 0) labels[i] = final[labels[i]];
  return { labels, count };
}

/**
 * Renumbers arbitrary labels to 1..count in ascending order of the original values (as
 * skimage.segmentation.relabel_sequential); 0 stays 0. `values[k]` is the original value of new label k.
 */
export function relabelSequential(labels: ArrayLike<number>): { labels: Int32Array; count: number; values: Float64Array } {
  const compact = compactLabels(labels);
  return { labels: compact.index, count: compact.count, values: compact.values };
}

/** Objects of a binary mask: connected components, dropping those smaller than minSize pixels, renumbered 1..count. */
export function instancesFromBinary(
  mask: ArrayLike<number>,
  width: number,
  height: number,
  options: { connectivity?: 4 | 8; minSize?: number } = {},
): Components {
  const minSize = options.minSize ?? 0;
  assertNonNegativeInt(minSize, 'minSize');
  const { labels, count } = connectedComponents(mask, width, height, options.connectivity ?? 4);
  if (minSize <= 1) return { labels, count };
  const sizes = new Int32Array(count + 1);
  for (let i = 0; i < labels.length; i++) sizes[labels[i]]++;
  const remap = new Int32Array(count + 1);
  let kept = 0;
  for (let l = 1; l <= count; l++) if (sizes[l] >= minSize) remap[l] = ++kept;
  for (let i = 0; i < labels.length; i++) labels[i] = remap[labels[i]];
  return { labels, count: kept };
}

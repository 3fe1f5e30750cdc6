import { describe, expect, it } from 'vitest';
import type { UnetApi } from '../../../src-shared/contract/index';
import { parseTargetKey, resolveTargetImages, targetKey, type SegmentTarget } from '../../../src-renderer/src/lib/results/segment-target';

function fakeImages(total: number, calls: unknown[]): UnetApi {
  return {
    images: {
      list: async (input: { offset?: number; limit?: number; split?: string }) => {
        calls.push(input);
        const offset = input.offset ?? 0;
        const n = Math.max(0, Math.min(input.limit ?? 100, total - offset));
        return { total, offset, limit: input.limit ?? 100, items: Array.from({ length: n }, (_, i) => ({ id: offset + i + 1 })) };
      },
    },
  } as unknown as UnetApi;
}

describe('resolveTargetImages', () => {
  it('pages through a large split', async () => {
    const calls: { offset?: number; split?: string }[] = [];
    const ids = await resolveTargetImages(fakeImages(2500, calls), 1, { kind: 'split', split: 'test' });
    expect(ids).toHaveLength(2500);
    expect(ids[2499]).toBe(2500);
    expect(calls.map((c) => c.offset)).toEqual([0, 1000, 2000]);
    expect(calls.every((c) => c.split === 'test')).toBe(true);
  });

  it('stops on an exact multiple of the page size', async () => {
    const calls: unknown[] = [];
    expect(await resolveTargetImages(fakeImages(1000, calls), 1, { kind: 'all' })).toHaveLength(1000);
    expect(calls).toHaveLength(1);
  });

  it('needs no call for one image', async () => {
    const calls: unknown[] = [];
    expect(await resolveTargetImages(fakeImages(5, calls), 1, { kind: 'image', imageId: 42 })).toEqual([42]);
    expect(calls).toHaveLength(0);
  });
});

describe('target keys', () => {
  it('round-trip and reject garbage', () => {
    const targets: SegmentTarget[] = [{ kind: 'all' }, { kind: 'split', split: 'validation' }, { kind: 'image', imageId: 7 }];
    for (const t of targets) expect(parseTargetKey(targetKey(t))).toEqual(t);
    expect(parseTargetKey('split:holdout')).toBeUndefined();
    expect(parseTargetKey('image:x')).toBeUndefined();
  });
});

import type { UnetApi } from '../../../../src-shared/contract/index';
import type { Split } from '../../../../src-shared/contract/records';

/** What to segment: one image, one split of the run's data set, or all of its images. */
export type SegmentTarget = { kind: 'image'; imageId: number } | { kind: 'split'; split: Split } | { kind: 'all' };

const PAGE = 1000;

/** Image ids of a target, paging through `images.list`. */
export async function resolveTargetImages(api: UnetApi, datasetId: number, target: SegmentTarget): Promise<number[]> {
  if (target.kind === 'image') return [target.imageId];
  const ids: number[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await api.images.list({ datasetId, offset, limit: PAGE, split: target.kind === 'split' ? target.split : undefined });
    ids.push(...page.items.map((i) => i.id));
    if (page.items.length < PAGE || ids.length >= page.total) return ids;
  }
}

export function targetKey(target: SegmentTarget): string {
  return target.kind === 'image' ? `image:${target.imageId}` : target.kind === 'split' ? `split:${target.split}` : 'all';
}

export function parseTargetKey(key: string): SegmentTarget | undefined {
  const [kind, value] = key.split(':');
  if (kind === 'all') return { kind: 'all' };
  if (kind === 'split' && (value === 'train' || value === 'validation' || value === 'test')) return { kind: 'split', split: value };
  if (kind === 'image' && /^\d+$/.test(value ?? '')) return { kind: 'image', imageId: Number(value) };
  return undefined;
}

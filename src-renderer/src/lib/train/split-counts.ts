import type { UnetApi } from '../../../../src-shared/contract/index';
import type { DatasetSummary } from '../../../../src-shared/contract/records';
import type { SplitCounts } from './split-summary';

/** Images per split of a data set and how many of them are annotated (four one-row queries). */
export async function fetchSplitCounts(api: UnetApi, dataset: DatasetSummary): Promise<SplitCounts> {
  const total = async (split: 'train' | 'validation', annotated?: boolean) =>
    (await api.images.list({ datasetId: dataset.id, split, annotated, limit: 1 })).total;
  const [train, trainAnnotated, validation, validationAnnotated] = await Promise.all([
    total('train'),
    total('train', true),
    total('validation'),
    total('validation', true),
  ]);
  return { train, trainAnnotated, validation, validationAnnotated, test: dataset.splitCounts.test, unassigned: dataset.splitCounts.none };
}

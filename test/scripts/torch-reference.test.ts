import { describe, expect, it } from 'vitest';
import { referenceDataset } from '../../scripts/bench/lib/torch-reference';

describe('bench:paper PyTorch reference recipes', () => {
  it('knows the shared sets by their folder names, DSB 2018 by the nuclei recipe', () => {
    expect(referenceDataset('../shared/data/isbi2012')).toBe('isbi');
    expect(referenceDataset('../shared/data/dic-hela/')).toBe('dic');
    expect(referenceDataset('/data/shared/dsb2018')).toBe('nuclei');
  });

  it('has no recipe for other folders, so the bench skips the reference there', () => {
    expect(referenceDataset('../shared/data/dsb2018-stage1')).toBeNull();
    expect(referenceDataset('resources/demo/train')).toBeNull();
  });
});

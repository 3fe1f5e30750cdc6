import { describe, expect, it } from 'vitest';
import type { PredictionRecord } from '../../../src-shared/contract/records';
import { folderOf, maskFolders } from '../../../src-renderer/src/lib/results/export-paths';

const rec = (labelsPath: string | null, probabilitiesPath: string | null = null) => ({ labelsPath, probabilitiesPath }) as PredictionRecord;

describe('export paths', () => {
  it('finds the folder of POSIX and Windows paths', () => {
    expect(folderOf('/ws/models/run-1/predictions/a.tif')).toBe('/ws/models/run-1/predictions');
    expect(folderOf('C:\\ws\\pred\\a.tif')).toBe('C:\\ws\\pred');
    expect(folderOf('a.tif')).toBe('a.tif');
  });

  it('lists each folder once', () => {
    expect(maskFolders([rec('/p/l/a.tif', '/p/q/a.tif'), rec('/p/l/b.tif'), rec(null)])).toEqual({ labels: ['/p/l'], probabilities: ['/p/q'] });
  });
});

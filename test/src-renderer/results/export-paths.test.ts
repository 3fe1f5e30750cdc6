import { describe, expect, it } from 'vitest';
import type { PredictionRecord } from '../../../src-shared/contract/records';
import { folderOf, maskFolders, roiExportSummary } from '../../../src-renderer/src/lib/results/export-paths';

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

  it('summarises a ROI export with what was skipped', () => {
    const files = [{ imageName: 'a.png', path: '/x/a.rois.zip', objects: 3 }];
    expect(roiExportSummary({ folder: '/x', format: 'zip', files, objects: 3, skipped: [] })).toBe('3 object(s) from 1 image(s) as ImageJ ROI sets');
    expect(roiExportSummary({ folder: '/x', format: 'geojson', files, objects: 3, skipped: [{ imageName: 'b.png', reason: 'gone' }, { imageName: 'c.png', reason: 'gone' }] })).toBe(
      '3 object(s) from 1 image(s) as QuPath GeoJSON (2 skipped: b.png: gone, …)',
    );
  });
});

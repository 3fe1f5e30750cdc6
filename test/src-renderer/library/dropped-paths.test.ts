import { describe, expect, it } from 'vitest';
import type { DesktopBridge } from '../../../src-shared/contract/desktop';
import { droppedPaths } from '../../../src-renderer/src/lib/library/desktop';

const desktop: DesktopBridge = {
  pickPaths: async () => [],
  pathForFile: (f) => ((f as { path?: string }).path ?? ''),
};

describe('droppedPaths', () => {
  it('gives the local paths of dropped files and folders in the desktop app, once each', () => {
    expect(droppedPaths([{ path: '/data/a' }, { path: '/data/b.tif' }, { path: '/data/a' }], desktop)).toEqual({ paths: ['/data/a', '/data/b.tif'] });
  });

  it('says why nothing can be imported: browser mode, no local path, nothing dropped', () => {
    expect(droppedPaths([{ path: '/data/a' }], undefined)).toEqual({ paths: [], message: expect.stringMatching(/browser mode .* type the folder's path/) });
    expect(droppedPaths([{}], desktop)).toEqual({ paths: [], message: expect.stringMatching(/no local path/) });
    expect(droppedPaths(null, desktop).message).toMatch(/Nothing was dropped/);
  });
});

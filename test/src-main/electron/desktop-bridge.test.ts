import { describe, expect, it, vi } from 'vitest';
import type { DesktopBridge } from '../../../src-shared/contract/desktop';
import { exposeDesktop } from '../../../src-main/electron/desktop-bridge';
import { IPC_PICK_PATHS } from '../../../src-main/electron/ipc-channels';
import { createPickPaths, openDialogOptions } from '../../../src-main/electron/open-dialog';

describe('desktop bridge (preload)', () => {
  it('exposes only pickPaths and pathForFile as window.unetDesktop', async () => {
    const exposed: Record<string, unknown> = {};
    const bridge = { exposeInMainWorld: vi.fn((key: string, api: unknown) => void (exposed[key] = api)) };
    const renderer = { invoke: vi.fn(async () => ['/data/a', 42, '/data/b']) };
    const utils = { getPathForFile: vi.fn((f: { name: string }) => (f.name === 'bad' ? (() => { throw new Error('not a File'); })() : `/drop/${f.name}`)) };
    exposeDesktop(bridge as never, renderer as never, utils as never);
    expect(Object.keys(exposed)).toEqual(['unetDesktop']);
    const desktop = exposed.unetDesktop as DesktopBridge;
    expect(Object.keys(desktop).sort()).toEqual(['pathForFile', 'pickPaths']);
    // Non-strings from the channel are dropped.
    await expect(desktop.pickPaths({ kind: 'folders' })).resolves.toEqual(['/data/a', '/data/b']);
    expect(renderer.invoke).toHaveBeenCalledWith(IPC_PICK_PATHS, { kind: 'folders' });
    expect(desktop.pathForFile({ name: 'x.tif' })).toBe('/drop/x.tif');
    expect(desktop.pathForFile({ name: 'bad' })).toBe('');
  });
});

describe('open dialog (main process)', () => {
  it('asks for several folders or several image files', () => {
    expect(openDialogOptions('folders')).toEqual({ title: 'Import folders', properties: ['openDirectory', 'multiSelections'] });
    const files = openDialogOptions('files', 'Masks');
    expect(files.properties).toEqual(['openFile', 'multiSelections']);
    expect(files.title).toBe('Masks');
    expect(files.filters?.[0].extensions).toEqual(['tif', 'tiff', 'png', 'jpg', 'jpeg']);
  });

  it('validates the page\'s request and returns the chosen paths, nothing when cancelled', async () => {
    const window = {} as never;
    const show = vi.fn(async () => ({ canceled: false, filePaths: ['/data/run-1', '/data/run-2'] }));
    const pick = createPickPaths(show, () => window);
    await expect(pick({ kind: 'folders' })).resolves.toEqual(['/data/run-1', '/data/run-2']);
    expect(show).toHaveBeenCalledWith(window, openDialogOptions('folders'));
    await expect(pick({ kind: 'everything' })).resolves.toEqual([]);
    await expect(pick('folders')).resolves.toEqual([]);
    await expect(pick({ kind: 'files', title: 'x'.repeat(500) })).resolves.toEqual([]);
    expect(show).toHaveBeenCalledTimes(1);
    show.mockResolvedValueOnce({ canceled: true, filePaths: ['/ignored'] });
    await expect(pick({ kind: 'files' })).resolves.toEqual([]);
    await expect(createPickPaths(show, () => undefined)({ kind: 'files' })).resolves.toEqual([]);
  });
});

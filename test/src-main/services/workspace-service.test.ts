import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkspaceInfo } from '../../../src-shared/contract/workspace';
import { SCHEMA_VERSION } from '../../../src-main/store/migrations/index';
import { createStoreApp, type StoreApp } from './store-app';

describe('workspace service', () => {
  let app: StoreApp;
  afterEach(() => app.dispose());

  it('opens the workspace on first use with its folders', async () => {
    app = createStoreApp();
    const info = await app.call<WorkspaceInfo>('workspace.current');
    expect(info).toMatchObject({ path: path.join(app.tmp, 'workspace'), schemaVersion: SCHEMA_VERSION, datasetCount: 0, runCount: 0, interruptedRunCount: 0 });
    for (const dir of [info.modelsDir, info.exportsDir, info.cacheDir, info.databasePath]) expect(existsSync(dir)).toBe(true);
  });

  it('switches to another workspace, which the rest of the services then use', async () => {
    app = createStoreApp();
    await app.call('datasets.create', { name: 'first' });
    const other = path.join(app.tmp, 'second');
    expect((await app.fail('workspace.open', { path: other, create: false })).code).toBe('NOT_FOUND');
    const info = await app.call<WorkspaceInfo>('workspace.open', { path: other });
    expect(info.path).toBe(other);
    expect(app.ctx.workspacePath).toBe(other);
    expect(await app.call('datasets.list')).toEqual([]);
    expect(app.events.find((e) => e.channel === 'workspace.changed')?.payload).toMatchObject({ path: other });
    await app.call('workspace.open', { path: path.join(app.tmp, 'workspace') });
    expect((await app.call<{ name: string }[]>('datasets.list')).map((d) => d.name)).toEqual(['first']);
  });

  it('refuses folders outside the allowed roots', async () => {
    let root = '';
    app = createStoreApp({ isPathAllowed: (p) => p.startsWith(root) });
    root = app.tmp;
    expect((await app.fail('workspace.open', { path: '/etc/unet' })).code).toBe('UNAUTHORIZED');
    expect((await app.call<WorkspaceInfo>('workspace.open', { path: path.join(app.tmp, 'ok') })).datasetCount).toBe(0);
  });

  it('keeps the open workspace (and its running runs) when asked to open it again', async () => {
    app = createStoreApp();
    const store = app.ctx.workspace.current;
    const d = store.datasets.create({ name: 'd' });
    const run = store.runs.create({ datasetId: d.id, config: {}, seed: 1, backend: 'cpu', device: 'cpu', appVersion: '0', tfjsVersion: '4', images: [], status: 'running' });
    await app.call('workspace.open', { path: path.join(app.tmp, 'workspace') });
    expect(app.ctx.workspace.current).toBe(store);
    expect(store.runs.summary(run.id).status).toBe('running');
  });
});

import { describe, expect, it, vi } from 'vitest';
import { contract, contractManifest, eventListenerName } from '../../../src-shared/contract/index';
import { exposeApi } from '../../../src-main/electron/preload-bridge';
import { IPC_CALL, IPC_EVENT } from '../../../src-main/electron/ipc-channels';

function fakeElectron() {
  const exposed: Record<string, unknown> = {};
  const handlers = new Map<string, (...args: unknown[]) => void>();
  const bridge = { exposeInMainWorld: vi.fn((key: string, api: unknown) => void (exposed[key] = api)) };
  const renderer = {
    invoke: vi.fn(async (_channel: string, method: string) => ({ ok: true, value: `called ${method}` })),
    on: vi.fn((channel: string, handler: (...args: unknown[]) => void) => {
      handlers.set(channel, handler);
      return renderer;
    }),
  };
  return { exposed, handlers, bridge, renderer };
}

describe('preload bridge', () => {
  it('exposes exactly the contract as window.unet and nothing else', () => {
    const { exposed, bridge, renderer } = fakeElectron();
    exposeApi(bridge as never, renderer as never);
    expect(bridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    expect(Object.keys(exposed)).toEqual(['unet']);
    const api = exposed.unet as Record<string, Record<string, unknown>>;
    expect(Object.keys(api).sort()).toEqual(Object.keys(contract).sort());
    for (const [service, def] of Object.entries(contract)) {
      const expected = [...Object.keys(def.methods), ...Object.keys(def.events).map(eventListenerName)].sort();
      expect(Object.keys(api[service]).sort()).toEqual(expected);
      for (const fn of Object.values(api[service])) expect(typeof fn).toBe('function');
    }
    const manifest = contractManifest(contract);
    expect(manifest.methods).toContain('system.info');
  });

  it('routes calls through ipcRenderer.invoke and events from the event channel', async () => {
    const { exposed, handlers, bridge, renderer } = fakeElectron();
    exposeApi(bridge as never, renderer as never);
    const api = exposed.unet as { system: { info(): Promise<unknown>; onLog(l: (p: unknown) => void): () => void } };
    await expect(api.system.info()).resolves.toBe('called system.info');
    expect(renderer.invoke).toHaveBeenCalledWith(IPC_CALL, 'system.info', undefined);
    const seen: unknown[] = [];
    const unsubscribe = api.system.onLog((p) => seen.push(p));
    handlers.get(IPC_EVENT)!({}, 'system.log', { message: 'a' });
    handlers.get(IPC_EVENT)!({}, 'jobs.update', { id: 'x' });
    unsubscribe();
    handlers.get(IPC_EVENT)!({}, 'system.log', { message: 'b' });
    expect(seen).toEqual([{ message: 'a' }]);
  });

  it('turns an error outcome into a thrown UnetError with its code', async () => {
    const { exposed, bridge, renderer } = fakeElectron();
    renderer.invoke.mockResolvedValueOnce({ ok: false, error: { code: 'NOT_FOUND', message: 'gone' } } as never);
    exposeApi(bridge as never, renderer as never);
    const api = exposed.unet as { jobs: { get(i: { id: string }): Promise<unknown> } };
    await expect(api.jobs.get({ id: 'x' })).rejects.toMatchObject({ name: 'UnetError', code: 'NOT_FOUND', message: 'gone' });
  });
});
